import { t } from '../../i18n';
import { ackAnswer, type Answer, type Turn } from '../context';

// Notification cards carry an Unsubscribe button. Until the notifier keeps subscriptions, there is nothing to end:
// the click is answered plainly instead of as an unknown action.

export async function unsubscribe(turn: Turn): Promise<Answer> {
  return ackAnswer(t(turn.locale, 'actions.unsubscribed'));
}
