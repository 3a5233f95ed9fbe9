import { t } from '../../i18n';
import { ackAnswer, type Answer, type Turn } from '../context';

// The Unsubscribe button of a notification card: ends this conversation's subscriptions, like the typed request.

export async function unsubscribe(turn: Turn): Promise<Answer> {
  const state = turn.services.actions?.state;
  if (!state) return ackAnswer(t(turn.locale, 'watch.unavailable'));
  const count = await state.removeSubscriptions(turn.subject.conversationId);
  if (!count) return ackAnswer(t(turn.locale, 'actions.unsubscribed'));
  await turn.audit('unsubscribe', 'succeeded', undefined, { count });
  return ackAnswer(t(turn.locale, 'watch.unsubscribed', { count }));
}
