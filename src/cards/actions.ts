// Buttons as view-model values. The templates decide how a button looks; these decide what it does and whether
// it is one of the few visible ones.

/** Teams shows the first buttons and hides the rest behind "…" only when they say `mode: secondary`. */
export const MAX_VISIBLE_ACTIONS = 3;

export type ActionMode = 'primary' | 'secondary';

/** What an Action.Execute sends back; the bot's action handlers read these fields. */
export interface ActionPayload {
  templateId?: string;
  diagnosisId?: string;
  resourceGroup?: string;
  name?: string;
  /** Which card a `refresh` should re-render. */
  card?: string;
  /** The confirmation a confirm/dismiss button answers (card actions, issue 5). */
  pendingId?: string;
  /** The message a `diagnose-text` button diagnoses: the server reads it as a paste, like one typed again. */
  text?: string;
  /** A list's scope and page (`list` verb): Show more carries them, Narrow reads the card's inputs instead. */
  failedOnly?: boolean;
  nameContains?: string;
  offset?: number;
  narrow?: boolean;
  /** The notification subscription an Unsubscribe button of the subscriptions card ends. */
  subscriptionId?: string;
}

export interface ExecuteAction {
  kind: 'execute';
  title: string;
  verb: string;
  payload: ActionPayload;
  /** Older clients get an Action.Submit; it carries the verb in its data because a submit has no `verb`. */
  submitPayload: ActionPayload & { verb: string };
  mode: ActionMode;
}

export interface UrlAction {
  kind: 'url';
  title: string;
  url: string;
  mode: ActionMode;
}

export interface SubmitAction {
  kind: 'submit';
  title: string;
  payload: { msteams: { type: 'imBack'; value: string } };
  mode: ActionMode;
}

export type ActionView = ExecuteAction | UrlAction | SubmitAction;

/** Drops undefined fields: the payload is JSON the bot compares, and `templateId: undefined` is noise. */
function defined(payload: ActionPayload): ActionPayload {
  return Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined)) as ActionPayload;
}

export function execute(verb: string, title: string, payload: ActionPayload, mode: ActionMode = 'primary'): ExecuteAction {
  const data = defined(payload);
  return { kind: 'execute', title, verb, payload: data, submitPayload: { ...data, verb }, mode };
}

export function openUrl(title: string, url: string, mode: ActionMode = 'primary'): UrlAction {
  return { kind: 'url', title, url, mode };
}

/** A button that posts `text` as if the user had typed it (Teams `imBack`). */
export function imBack(title: string, text: string, mode: ActionMode = 'primary'): SubmitAction {
  return { kind: 'submit', title, payload: { msteams: { type: 'imBack', value: text } }, mode };
}

/**
 * Keeps the order (most important first) and marks everything after the first `max` visible ones as secondary.
 * An action already marked secondary stays there and does not use up a visible slot.
 */
export function withOverflow<T extends ActionView>(actions: T[], max = MAX_VISIBLE_ACTIONS): T[] {
  let visible = 0;
  return actions.map((action) => {
    if (action.mode === 'primary' && visible < max) {
      visible++;
      return action;
    }
    return { ...action, mode: 'secondary' };
  });
}
