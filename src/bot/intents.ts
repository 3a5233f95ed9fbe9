/**
 * The bot's language understanding: a Teams message (en, zh-CN, pt-BR, it-IT, fr-FR, ja-JP) → what the person
 * asks for and about which template. Pure: strings in, values out, no I/O and no Bot Framework types. The reply
 * language is not decided here (it follows the activity locale), so every language is understood in every chat.
 *
 * The rule tables live in ./intents/languages.ts; this file decides between a question and a pasted error.
 */
import { removeMentionTagsAndInvisibles } from './intents/mentions';
import { hasErrorHints, looksLikeMachineOutput, PASTE_MIN_CHARS, SHORT_MULTILINE } from './intents/paste';
import { parseCommand, type Command } from './intents/rules';
import { parseSubscriptionCommand } from './intents/subscriptions';
import type { Intent } from './intents/types';

export type { Intent, TemplateRef } from './intents/types';
export { stripMentions } from './intents/mentions';

/** Requests are read from this many characters at most; a longer paste is still passed on whole as diagnose-text. */
export const MAX_MESSAGE_CHARS = 1000;

function toIntent(command: Command): Intent {
  switch (command.kind) {
    case 'help':
      return { kind: 'help' };
    case 'list':
      return command.resourceGroup
        ? { kind: 'list', failedOnly: command.failedOnly, resourceGroup: command.resourceGroup }
        : { kind: 'list', failedOnly: command.failedOnly };
    default: {
      const { name, resourceGroup } = command.target;
      return { kind: command.kind, target: resourceGroup ? { name, resourceGroup } : { name } };
    }
  }
}

function parse(input: unknown): Intent {
  const text = removeMentionTagsAndInvisibles(typeof input === 'string' ? input : '');
  if (!text) return { kind: 'empty' };
  if (looksLikeMachineOutput(text)) return { kind: 'diagnose-text', text };

  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
  if (lines.length > 1) {
    // Shift+Enter in the middle of a short question is not a paste; anything longer or unrecognised is.
    const short = lines.length <= SHORT_MULTILINE.maxLines && text.length <= SHORT_MULTILINE.maxChars;
    const command = short ? parseCommand(lines.join(' ')) : undefined;
    return command ? toIntent(command) : { kind: 'diagnose-text', text };
  }

  const subscription = parseSubscriptionCommand(text.slice(0, MAX_MESSAGE_CHARS));
  if (subscription) return { kind: 'subscription', command: subscription };
  const command = parseCommand(text.slice(0, MAX_MESSAGE_CHARS));
  if (command) return toIntent(command);
  if (text.length > PASTE_MIN_CHARS || hasErrorHints(text)) return { kind: 'diagnose-text', text };
  return { kind: 'unrecognized', text };
}

/** Never throws: a message the rules cannot handle is `unrecognized`, never a failed turn. */
export function parseIntent(text: string): Intent {
  try {
    return parse(text);
  } catch {
    // Reaching this is a bug in a rule; the person still gets the "I did not understand" answer with help.
    return { kind: 'unrecognized', text: typeof text === 'string' ? text.slice(0, MAX_MESSAGE_CHARS) : '' };
  }
}
