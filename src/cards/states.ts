import { t, type Locale } from '../i18n';
import { clip } from './text';

// Image Builder's state values (runState, runSubState, provisioningState) as a reader of the card's language
// names them: "Failed · Customizing" reads 失敗 · カスタマイズ中 on a Japanese card. A value Image Builder adds
// later has no translation yet and is shown as Azure spells it, clipped.

const KNOWN = new Set([
  'Running', 'Canceling', 'Succeeded', 'PartiallySucceeded', 'Failed', 'Canceled',
  'Queued', 'Building', 'Customizing', 'Optimizing', 'Validating', 'Distributing',
  'Creating', 'Updating', 'Deleting',
]);

export function stateLabel(locale: Locale, value: string): string {
  return KNOWN.has(value) ? t(locale, `card.state.${value}`) : clip(value, 40);
}

/** The present states, each in the card's language, joined the way the cards show them. */
export function joinStates(locale: Locale, ...states: Array<string | undefined>): string | undefined {
  const present = states.filter((s): s is string => !!s).map((s) => stateLabel(locale, s));
  return present.length ? present.join(' · ') : undefined;
}
