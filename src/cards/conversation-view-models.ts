import { t, type Locale } from '../i18n';
import { LOG_READER_ROLE } from '../model';
import { execute, imBack, withOverflow, type ActionView, type SubmitAction } from './actions';
import { clip, escapeMarkdown } from './text';
import type { TextItem } from './view-models';

// View models of the cards that are about the conversation rather than a template: help, welcome, and errors a
// person can act on.

/** Example questions, under `bot.examples.*` in every locale so the intent tests can ask them verbatim. */
export const EXAMPLE_KEYS = ['why', 'wrong', 'status', 'list', 'listFailed', 'log'] as const;
export type ExampleKey = (typeof EXAMPLE_KEYS)[number];

export function exampleQuestion(locale: Locale, key: ExampleKey): string {
  return t(locale, `bot.examples.${key}`);
}

function examples(locale: Locale, keys: readonly ExampleKey[]): TextItem[] {
  return keys.map((key) => ({ text: exampleQuestion(locale, key) }));
}

function askButtons(locale: Locale, keys: readonly ExampleKey[]): SubmitAction[] {
  return keys.map((key) => {
    const question = exampleQuestion(locale, key);
    return imBack(question, question);
  });
}

// ------------------------------------------------------------------------------------------------ help, welcome

export interface HelpView {
  summary: string;
  heading: string;
  intro: string;
  abilities: TextItem[];
  examplesHeading: string;
  examples: TextItem[];
  buttons: SubmitAction[];
}

const ABILITIES = ['diagnose', 'status', 'list', 'log', 'paste', 'act'] as const;

export function helpView(locale: Locale): HelpView {
  const heading = t(locale, 'card.help.heading');
  return {
    summary: heading,
    heading,
    intro: t(locale, 'card.help.intro'),
    abilities: ABILITIES.map((key) => ({ text: t(locale, `card.help.can.${key}`) })),
    examplesHeading: t(locale, 'card.help.examples'),
    examples: examples(locale, EXAMPLE_KEYS),
    buttons: askButtons(locale, ['list', 'listFailed']),
  };
}

export interface WelcomeView {
  summary: string;
  heading: string;
  intro: string;
  examplesHeading: string;
  examples: TextItem[];
  footer: string;
  buttons: SubmitAction[];
}

export function welcomeView(locale: Locale): WelcomeView {
  const heading = t(locale, 'card.welcome.heading');
  return {
    summary: heading,
    heading,
    intro: t(locale, 'card.welcome.intro'),
    examplesHeading: t(locale, 'card.welcome.examples'),
    examples: examples(locale, ['why', 'status', 'listFailed', 'log']),
    footer: t(locale, 'card.welcome.footer'),
    buttons: askButtons(locale, ['list', 'listFailed']),
  };
}

// ------------------------------------------------------------------------------------------------ errors

export interface SuggestedTemplate {
  name: string;
  resourceGroup?: string;
  /** ARM id; without it the button carries the name and resource group for the bot to resolve. */
  id?: string;
}

/**
 * Codes an error card explains: the conversation's own, plus every `AzureGatewayError` code so the bot can pass a
 * gateway error through unchanged.
 */
export const ERROR_CARD_CODES = [
  'template-not-found',
  'invalid-name',
  'forbidden',
  'log-forbidden',
  'log-not-found',
  'log-location-unknown',
  'throttled',
  'service-unavailable',
  'empty-message',
  'unrecognized',
  'not-supported-activity',
  'internal',
  'not-found',
  'conflict',
  'unauthenticated',
  'operation-not-allowed',
  'operation-failed',
  'misconfigured',
  'unexpected',
  'unknown-action',
  'invalid-card-data',
  'foreign-subscription',
  'rate-limited',
  'audit-unavailable',
  'not-allowed',
] as const;
export type ErrorCardCode = (typeof ERROR_CARD_CODES)[number];

/**
 * What the words can mention. Names follow both the conversation (`name`, `role`, `correlationId`) and the
 * gateway error fields (`invalidValue`, `requiredRole`, `missingAction`, `errorId`), so either can be passed.
 */
export interface ErrorParams {
  /** The template name the person asked about. */
  name?: string;
  resourceGroup?: string;
  /** Nearest names for template-not-found; each becomes a Diagnose button (a bare name is looked up in `resourceGroup`). */
  suggestions?: Array<string | SuggestedTemplate>;
  action?: string;
  missingAction?: string;
  scope?: string;
  role?: string;
  requiredRole?: string;
  stagingResourceGroup?: string;
  retryAfterSeconds?: number;
  invalidValue?: string;
  /** What a not-found was about: a template id, `rg/name`, or a blob path. */
  resource?: string;
  /** The service's own message (scrubbed and shortened on the card). */
  message?: string;
  /** A short id people can quote when they report the problem. */
  correlationId?: string;
  errorId?: string;
  /** The card verb nobody handles (unknown-action). */
  verb?: string;
  /** What kind of activity could not be read (file, image…); informational. */
  kind?: string;
  /** The message that was not understood: an "unrecognized" card offers to diagnose it as an error. */
  text?: string;
}

export interface ErrorCardInput {
  code: ErrorCardCode;
  params?: ErrorParams;
}

export interface ErrorView {
  summary: string;
  heading: string;
  color: 'Attention' | 'Warning' | 'Default';
  text: string;
  hints: TextItem[];
  examples: TextItem[];
  details: Array<{ label: string; text: string }>;
  references: TextItem[];
  actions: ActionView[];
}

const NAME_CHARS = 80;
const SCOPE_CHARS = 300;
const MESSAGE_CHARS = 300;
const MAX_SUGGESTIONS = 5;
/** An unrecognized message is short (longer ones are pastes already); the cap only bounds the card. */
const PASTE_BUTTON_CHARS = 2000;

/** Codes about the conversation itself: a service message or a reference id would only distract there. */
const CONVERSATIONAL: ReadonlySet<ErrorCardCode> = new Set<ErrorCardCode>(['empty-message', 'unrecognized', 'not-supported-activity', 'unknown-action', 'not-allowed', 'rate-limited']);

export function errorView(input: ErrorCardInput, locale: Locale): ErrorView {
  // A code from a caller outside the type system still gets a card a person can read.
  const code: ErrorCardCode = (ERROR_CARD_CODES as readonly string[]).includes(input.code) ? input.code : 'internal';
  const p: ErrorParams = input.params ?? {};
  const key = (leaf: string) => `card.error.${code}.${leaf}`;
  const view: ErrorView = {
    summary: '',
    heading: t(locale, key('title')),
    color: 'Attention',
    text: '',
    hints: [],
    examples: [],
    details: [],
    references: [],
    actions: [],
  };
  const hint = (leaf: string, params?: Record<string, string>) => view.hints.push({ text: t(locale, key(leaf), params) });
  // Every parameter may have been chosen by the client (a typed name, a card's verb): escaped for markdown.
  const short = (value: string | undefined, max = NAME_CHARS) => (value ? escapeMarkdown(clip(value, max)) : undefined);

  switch (code) {
    case 'template-not-found': {
      const name = short(p.name ?? p.invalidValue ?? p.resource) ?? '?';
      const group = short(p.resourceGroup);
      view.text = group ? t(locale, key('textGroup'), { name, group }) : t(locale, key('text'), { name });
      const suggestions = (p.suggestions ?? []).slice(0, MAX_SUGGESTIONS);
      if (suggestions.length) {
        hint('suggest');
        view.actions = suggestions.map((suggestion) => {
          const s: SuggestedTemplate = typeof suggestion === 'string' ? { name: suggestion, resourceGroup: p.resourceGroup } : suggestion;
          const title = s.resourceGroup ? `${clip(s.name, NAME_CHARS)} (${clip(s.resourceGroup, NAME_CHARS)})` : clip(s.name, NAME_CHARS);
          return execute('diagnose', title, { templateId: s.id, resourceGroup: s.resourceGroup, name: s.name });
        });
      } else {
        hint('hint');
      }
      break;
    }
    case 'invalid-name':
      view.text = t(locale, key('text'), { name: short(p.name ?? p.invalidValue) ?? '' });
      break;
    case 'forbidden': {
      const action = short(p.action ?? p.missingAction, SCOPE_CHARS);
      const scope = short(p.scope, SCOPE_CHARS);
      view.text = action && scope
        ? t(locale, key('text'), { action, scope })
        : action
          ? t(locale, key('textAction'), { action })
          : t(locale, key('textGeneric'));
      const role = short(p.role ?? p.requiredRole);
      if (role) hint('hintRole', { role });
      else hint('hint');
      break;
    }
    case 'log-forbidden': {
      const role = short(p.role ?? p.requiredRole) ?? LOG_READER_ROLE;
      const group = short(p.stagingResourceGroup);
      view.text = group ? t(locale, key('text'), { role, group }) : t(locale, key('textNoGroup'), { role });
      hint('hint');
      break;
    }
    case 'log-not-found':
    case 'log-location-unknown': {
      const name = short(p.name);
      view.text = name ? t(locale, key('text'), { name }) : t(locale, key('textNoName'));
      hint('hint');
      break;
    }
    case 'throttled':
    case 'service-unavailable': {
      view.color = 'Warning';
      const wait = p.retryAfterSeconds;
      view.text =
        wait !== undefined && Number.isFinite(wait) && wait > 0
          ? t(locale, key('text'), { seconds: String(Math.ceil(wait)) })
          : t(locale, key('textNoDelay'));
      break;
    }
    case 'empty-message':
    case 'unrecognized':
      view.color = 'Default';
      view.text = t(locale, key('text'));
      view.examples = examples(locale, ['why', 'status', 'listFailed']);
      view.actions = askButtons(locale, ['list']);
      // The words may be an error the paste rules did not recognise: one click diagnoses them as one.
      if (code === 'unrecognized' && p.text?.trim()) {
        view.actions.unshift(execute('diagnose-text', t(locale, key('diagnoseAsError')), { text: clip(p.text, PASTE_BUTTON_CHARS) }));
      }
      break;
    case 'not-supported-activity':
      view.color = 'Warning';
      view.text = t(locale, key('text'));
      break;
    case 'not-found': {
      const resource = short(p.resource ?? p.name, SCOPE_CHARS);
      view.text = resource ? t(locale, key('text'), { resource }) : t(locale, key('textNoResource'));
      hint('hint');
      break;
    }
    case 'unknown-action': {
      view.color = 'Warning';
      const verb = short(p.verb, 40);
      view.text = verb ? t(locale, key('text'), { verb }) : t(locale, key('textNoVerb'));
      break;
    }
    case 'foreign-subscription':
      view.text = t(locale, key('text'), { subscription: short(p.invalidValue, 40) ?? '?' });
      hint('hint');
      break;
    case 'rate-limited': {
      view.color = 'Warning';
      const wait = p.retryAfterSeconds;
      view.text = t(locale, key('text'), { seconds: String(wait !== undefined && Number.isFinite(wait) && wait > 0 ? Math.ceil(wait) : 60) });
      break;
    }
    case 'not-allowed':
      view.text = t(locale, key('text'), { group: short(p.resourceGroup) ?? '?', reason: p.message ? clip(p.message, MESSAGE_CHARS) : '' });
      hint('hint');
      break;
    case 'invalid-card-data':
    case 'audit-unavailable':
    case 'conflict':
    case 'unauthenticated':
    case 'operation-not-allowed':
    case 'misconfigured':
      view.text = t(locale, key('text'));
      hint('hint');
      break;
    case 'operation-failed':
    case 'unexpected':
    case 'internal':
      view.text = t(locale, key('text'));
      break;
  }
  if (!CONVERSATIONAL.has(code)) {
    if (p.message && code !== 'internal') view.details.push({ label: t(locale, 'card.error.details'), text: clip(p.message, MESSAGE_CHARS) });
    const reference = p.correlationId ?? p.errorId;
    if (reference) view.references.push({ text: t(locale, 'card.error.internal.reference', { correlationId: clip(reference, 64) }) });
  }
  view.summary = `${view.heading} — ${view.text}`;
  view.actions = withOverflow(view.actions);
  return view;
}
