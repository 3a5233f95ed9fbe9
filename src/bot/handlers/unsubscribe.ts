import { subscriptionsCard } from '../../cards/subscriptions-card';
import { t } from '../../i18n';
import { ackAnswer, cardAnswer, policySubject, type Answer, type Turn } from '../context';
import { policyReason } from '../guards/authorize';
import { subscriptionIdOf } from '../state';
import { subscriptionRows } from './subscriptions';

// The Unsubscribe buttons. On a notification card: ends this conversation's subscriptions, like the typed request.
// On a row of the subscriptions card (data.subscriptionId): ends that one subscription, if the clicker may change
// notifications for its scope (the policy action `subscribe`), and answers with the card without that row.

export async function unsubscribe(turn: Turn): Promise<Answer> {
  const state = turn.services.actions?.state;
  if (!state) return ackAnswer(t(turn.locale, 'watch.unavailable'));
  const conversationId = turn.subject.conversationId;
  const id = turn.data.subscriptionId;
  if (id !== undefined) {
    // Only ids of this conversation's own subscriptions can match: a forged or replayed id finds nothing here.
    const target = typeof id === 'string' ? (await state.subscriptions()).find((s) => s.conversationId === conversationId && subscriptionIdOf(s) === id) : undefined;
    if (!target) return cardAnswer(subscriptionsCard(subscriptionRows((await state.subscriptions()).filter((s) => s.conversationId === conversationId)), turn.locale));
    const parameters = { resourceGroup: target.resourceGroup, templateGlob: target.templateGlob, outcomes: target.outcomes };
    const decision = turn.services.policy.can(policySubject(turn.subject), { subscriptionId: turn.services.gateways.subscriptionId, resourceGroup: target.resourceGroup ?? '' }, 'subscribe');
    if (!decision.allowed) {
      await turn.audit('unsubscribe', 'denied', decision.reason, parameters);
      return ackAnswer(t(turn.locale, 'watch.changeDenied', { reason: policyReason(turn.locale, decision) }));
    }
    await state.removeSubscription(conversationId, id as string);
    await turn.audit('unsubscribe', 'succeeded', undefined, parameters);
    const rest = (await state.subscriptions()).filter((s) => s.conversationId === conversationId);
    return cardAnswer(subscriptionsCard(subscriptionRows(rest), turn.locale));
  }
  const count = await state.removeSubscriptions(conversationId);
  if (!count) return ackAnswer(t(turn.locale, 'actions.unsubscribed'));
  await turn.audit('unsubscribe', 'succeeded', undefined, { count });
  return ackAnswer(t(turn.locale, 'watch.unsubscribed', { count }));
}
