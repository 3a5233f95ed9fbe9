import listTemplate from '../../cards/list.json';
import { resolveLocale, t, type Locale } from '../i18n';
import { execute } from './actions';
import { bindCard, type CardAttachment } from './bind';
import { fitRows } from './render';
import { clip, formatUtc } from './text';

// `subscriptions`: the notification subscriptions of one conversation, one row each with its Unsubscribe button.
// The rows have the list card's shape (name, detail, state, one button), so it is the list template with its own
// view model.

export interface SubscriptionRow {
  id: string;
  resourceGroup?: string;
  templateGlob?: string;
  outcomes: 'failures' | 'all';
  by?: string;
  at: string;
}

const NAME_CHARS = 80;
/** A conversation has a handful; past this the card says how many more there are. */
export const MAX_SUBSCRIPTION_ROWS = 25;

export function subscriptionScope(locale: Locale, s: Pick<SubscriptionRow, 'resourceGroup' | 'templateGlob'>): string {
  const scope = s.resourceGroup ? t(locale, 'watch.scopeGroup', { resourceGroup: clip(s.resourceGroup, NAME_CHARS) }) : t(locale, 'watch.scopeAll');
  return s.templateGlob ? t(locale, 'watch.scopeGlob', { scope, glob: clip(s.templateGlob, NAME_CHARS) }) : scope;
}

export function subscriptionsView(rows: readonly SubscriptionRow[], locale: Locale, maxRows = MAX_SUBSCRIPTION_ROWS) {
  const heading = t(locale, 'watch.listHeading');
  const shown = rows.slice(0, maxRows);
  const notes = [];
  if (!shown.length) notes.push({ text: t(locale, 'watch.none') });
  if (rows.length > shown.length) notes.push({ text: t(locale, 'watch.listTruncated', { count: shown.length }) });
  return {
    summary: heading,
    heading,
    notes,
    rows: shown.map((s) => ({
      name: subscriptionScope(locale, s),
      detail: t(locale, s.outcomes === 'all' ? 'watch.outcomesAll' : 'watch.outcomesFailures'),
      state: s.by ? t(locale, 'watch.subscribedBy', { name: clip(s.by, NAME_CHARS), time: formatUtc(s.at) }) : formatUtc(s.at),
      stateColor: 'Default',
      failure: '',
      button: execute('unsubscribe', t(locale, 'watch.unsubscribeButton'), { subscriptionId: s.id }),
    })),
    // cards/list.json also binds the list's paging and narrowing; these cards have neither.
    narrow: [],
    actions: [],
  };
}

export function subscriptionsCard(rows: readonly SubscriptionRow[], locale: string): CardAttachment {
  const resolved = resolveLocale(locale);
  return fitRows((n) => bindCard('list', listTemplate, subscriptionsView(rows, resolved, n)), MAX_SUBSCRIPTION_ROWS);
}
