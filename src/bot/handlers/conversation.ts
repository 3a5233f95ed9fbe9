import { errorCard, helpCard } from '../../cards/render';
import type { Turn } from '../context';
import type { Intent } from '../intents';

// The answers about the conversation itself: help, an empty message, one the rules did not understand.

export async function help(turn: Turn): Promise<void> {
  await turn.replies.send(helpCard(turn.locale));
}

export async function emptyMessage(turn: Turn): Promise<void> {
  await turn.replies.send(errorCard({ code: 'empty-message', params: {} }, turn.locale));
}

export async function unrecognized(turn: Turn, intent: Extract<Intent, { kind: 'unrecognized' }>): Promise<void> {
  await turn.replies.send(errorCard({ code: 'unrecognized', params: { text: intent.text } }, turn.locale));
}
