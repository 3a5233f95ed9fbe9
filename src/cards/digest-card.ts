import listTemplate from '../../cards/list.json';
import { resolveLocale, t, type Locale } from '../i18n';
import { execute } from './actions';
import { bindCard, type CardAttachment } from './bind';
import { fitRows } from './render';
import { clip, formatUtc } from './text';

// The digest: when more failures arrive in one conversation than the noise rule allows, the rest come in this one
// card, a row per failed run with its Diagnose button. The rows have the list card's shape, so it is the list
// template with its own view model.

export interface DigestItem {
  templateId: string;
  name: string;
  resourceGroup?: string;
  outcome: string;
  runStart?: string;
}

const NAME_CHARS = 80;
/** Rows shown; the heading still counts every failure. Keeps the card far below Teams' 28 KB. */
export const MAX_DIGEST_ROWS = 25;

export function digestView(items: readonly DigestItem[], windowMs: number, locale: Locale, maxRows = MAX_DIGEST_ROWS) {
  const heading = t(locale, 'watch.digestHeading', { count: items.length, minutes: Math.max(1, Math.round(windowMs / 60_000)) });
  const shown = items.slice(0, maxRows);
  const notes = [{ text: t(locale, 'watch.digestNote') }];
  if (items.length > shown.length) notes.push({ text: t(locale, 'watch.digestTruncated', { count: shown.length }) });
  return {
    summary: heading,
    heading,
    notes,
    rows: shown.map((item) => ({
      name: clip(item.name, NAME_CHARS),
      detail: item.resourceGroup ? `${t(locale, 'card.common.resourceGroup')}: ${clip(item.resourceGroup, NAME_CHARS)}` : '',
      state: item.runStart ? t(locale, 'watch.digestRun', { outcome: item.outcome, time: formatUtc(item.runStart) }) : item.outcome,
      stateColor: 'Attention',
      failure: '',
      button: execute('diagnose', t(locale, 'card.common.diagnose'), { templateId: item.templateId }),
    })),
    // cards/list.json also binds the list's paging and narrowing; these cards have neither.
    narrow: [],
    actions: [],
  };
}

export function digestCard(items: readonly DigestItem[], windowMs: number, locale: string): CardAttachment {
  const resolved = resolveLocale(locale);
  return fitRows((rows) => bindCard('list', listTemplate, digestView(items, windowMs, resolved, rows)), MAX_DIGEST_ROWS);
}
