/**
 * The bot's language understanding: a Teams message (en, zh-CN, pt-BR, it-IT, fr-FR, ja-JP) → what the person
 * asks for and about which template. Pure: strings in, values out, no I/O and no Bot Framework types. Every
 * language is understood in every chat; `understand` also says which languages the words read as, so the bot can
 * answer a Japanese question in Japanese from a client set to English (see `replyLocale`).
 *
 * The rule tables live in ./intents/languages.ts; this file decides between a question and a pasted error.
 */
import type { Locale } from '../i18n';
import { removeMentionTagsAndInvisibles } from './intents/mentions';
import { hasErrorHints, looksLikeMachineOutput, PASTE_MIN_CHARS, SHORT_MULTILINE } from './intents/paste';
import { NO_LANGUAGE, understandCommand, type Command, type Matched, type QuestionLanguages } from './intents/rules';
import { parseSubscriptionCommand } from './intents/subscriptions';
import type { Intent } from './intents/types';

export type { Intent, TemplateRef } from './intents/types';
export type { QuestionLanguage, QuestionLanguages } from './intents/rules';
export { stripMentions } from './intents/mentions';
export { NO_LANGUAGE } from './intents/rules';

/** Requests are read from this many characters at most; a longer paste is still passed on whole as diagnose-text. */
export const MAX_MESSAGE_CHARS = 1000;

function toIntent(command: Command): Intent {
  switch (command.kind) {
    case 'help':
      return { kind: 'help' };
    case 'list': {
      const intent: Extract<Intent, { kind: 'list' }> = { kind: 'list', failedOnly: command.failedOnly };
      if (command.resourceGroup) intent.resourceGroup = command.resourceGroup;
      if (command.nameContains) intent.nameContains = command.nameContains;
      return intent;
    }
    default: {
      const { name, resourceGroup } = command.target;
      return { kind: command.kind, target: resourceGroup ? { name, resourceGroup } : { name } };
    }
  }
}

/** What a message asks for, and the languages its words were understood in (empty: they tell none). */
export interface Understood {
  intent: Intent;
  languages: QuestionLanguages;
}

const understood = (intent: Intent, languages: QuestionLanguages = NO_LANGUAGE): Understood => ({ intent, languages });
const fromMatched = (matched: Matched): Understood => understood(toIntent(matched.command), matched.languages);

function parse(input: unknown): Understood {
  const text = removeMentionTagsAndInvisibles(typeof input === 'string' ? input : '');
  if (!text) return understood({ kind: 'empty' });
  if (looksLikeMachineOutput(text)) return understood({ kind: 'diagnose-text', text });

  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
  if (lines.length > 1) {
    // Shift+Enter in the middle of a short question is not a paste; anything longer or unrecognised is.
    const short = lines.length <= SHORT_MULTILINE.maxLines && text.length <= SHORT_MULTILINE.maxChars;
    const matched = short ? understandCommand(lines.join(' ')) : undefined;
    return matched ? fromMatched(matched) : understood({ kind: 'diagnose-text', text });
  }

  const subscription = parseSubscriptionCommand(text.slice(0, MAX_MESSAGE_CHARS));
  if (subscription) return understood({ kind: 'subscription', command: subscription });
  const matched = understandCommand(text.slice(0, MAX_MESSAGE_CHARS));
  if (matched) return fromMatched(matched);
  if (text.length > PASTE_MIN_CHARS || hasErrorHints(text)) return understood({ kind: 'diagnose-text', text });
  return understood({ kind: 'unrecognized', text });
}

/** Never throws: a message the rules cannot handle is `unrecognized`, never a failed turn. */
export function understand(text: string): Understood {
  try {
    return parse(text);
  } catch {
    // Reaching this is a bug in a rule; the person still gets the "I did not understand" answer with help.
    return understood({ kind: 'unrecognized', text: typeof text === 'string' ? text.slice(0, MAX_MESSAGE_CHARS) : '' });
  }
}

export function parseIntent(text: string): Intent {
  return understand(text).intent;
}

/**
 * The reply's locale: the client's when its language reads the words too (or they tell no language), else the
 * language the question was understood in. `client` is a supported locale already resolved from `activity.locale`.
 */
export function replyLocale(languages: QuestionLanguages, client: Locale): Locale {
  if (!languages.first || languages.reads(client)) return client;
  return languages.first;
}
