import diagnosisTemplate from '../../cards/diagnosis.json';
import statusTemplate from '../../cards/status.json';
import listTemplate from '../../cards/list.json';
import choiceTemplate from '../../cards/choice.json';
import logTemplate from '../../cards/log.json';
import helpTemplate from '../../cards/help.json';
import welcomeTemplate from '../../cards/welcome.json';
import errorTemplate from '../../cards/error.json';
import { resolveLocale } from '../i18n';
import { bindCard, cardBytes, teamsBytes, type CardAttachment } from './bind';
import {
  choiceView,
  diagnosisView,
  listView,
  LIST_PAGE_ROWS,
  MAX_EVIDENCE_LINES,
  MAX_LIST_ROWS,
  logView,
  statusView,
  type ChoiceCardInput,
  type DiagnosisCardInput,
  type ListCardInput,
  type LogCardInput,
  type StatusCardInput,
} from './view-models';
import { errorView, helpView, welcomeView, type ErrorCardInput } from './conversation-view-models';

// One builder per card: domain data + the requester's locale tag (any form `resolveLocale` accepts; unsupported
// ones get English) → an attachment ready for `activity.attachments` or an invoke response's `value.content`.

/**
 * A diagnosis card stays within 16 KB as Teams counts the whole activity (UTF-16); the envelope (ids, names,
 * service URL, summary) takes up to about 1.5 KB, so the card gets the rest.
 */
export const DIAGNOSIS_TEAMS_BYTES = 16 * 1024 - 1536;

/**
 * Everything but the evidence is bounded by construction; evidence lines behind Details go until the card fits.
 * Its buttons carry no Action.Submit fallback: a client that renders a 1.5 card knows Action.Execute (1.4), and the
 * fallback's copy of every payload was a third of the card.
 */
export function diagnosisCard(input: DiagnosisCardInput, locale: string): CardAttachment {
  const resolved = resolveLocale(locale);
  let lines = MAX_EVIDENCE_LINES;
  let card = bindCard('diagnosis', diagnosisTemplate, diagnosisView(input, resolved, lines));
  while (teamsBytes(card) > DIAGNOSIS_TEAMS_BYTES && lines > 0) {
    lines--;
    card = bindCard('diagnosis', diagnosisTemplate, diagnosisView(input, resolved, lines));
  }
  return card;
}

export function statusCard(input: StatusCardInput, locale: string): CardAttachment {
  return bindCard('status', statusTemplate, statusView(input, resolveLocale(locale)));
}

/**
 * Teams refuses a message over 28 KB, envelope included. The other cards are bounded by construction (clipped
 * texts, capped line counts); a list's size depends on how long its names and ids are, so it is measured.
 */
export const CARD_BYTE_BUDGET = 24 * 1024;

/** Renders with as many rows as fit the budget: the row count shrinks in proportion to the overshoot. */
export function fitRows(render: (rows: number) => CardAttachment, maxRows: number = MAX_LIST_ROWS): CardAttachment {
  let rows = maxRows;
  let card = render(rows);
  let bytes = cardBytes(card);
  while (bytes > CARD_BYTE_BUDGET && rows > 1) {
    rows = Math.max(1, Math.min(rows - 1, Math.floor((rows * CARD_BYTE_BUDGET) / bytes)));
    card = render(rows);
    bytes = cardBytes(card);
  }
  return card;
}

export function listCard(input: ListCardInput, locale: string): CardAttachment {
  const resolved = resolveLocale(locale);
  return fitRows((rows) => bindCard('list', listTemplate, listView(input, resolved, rows)), LIST_PAGE_ROWS);
}

export function choiceCard(input: ChoiceCardInput, locale: string): CardAttachment {
  const resolved = resolveLocale(locale);
  return fitRows((rows) => bindCard('choice', choiceTemplate, choiceView(input, resolved, rows)));
}

export function logCard(input: LogCardInput, locale: string): CardAttachment {
  return bindCard('log', logTemplate, logView(input, resolveLocale(locale)));
}

export function helpCard(locale: string): CardAttachment {
  return bindCard('help', helpTemplate, helpView(resolveLocale(locale)));
}

export function welcomeCard(locale: string): CardAttachment {
  return bindCard('welcome', welcomeTemplate, welcomeView(resolveLocale(locale)));
}

export function errorCard(input: ErrorCardInput, locale: string): CardAttachment {
  return bindCard('error', errorTemplate, errorView(input, resolveLocale(locale)));
}
