import { subscriptionsCard, type SubscriptionRow } from '../../cards/subscriptions-card';
import { t } from '../../i18n';
import { ackAnswer, cardAnswer, policySubject, type Answer, type Turn } from '../context';
import { policyReason } from '../guards/authorize';
import { subscriptionIdOf, type StoredSubscription } from '../state';

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
    const decision = changeDecision(turn, target.resourceGroup);
    if (!decision.allowed) {
      await turn.audit('unsubscribe', 'denied', decision.reason, parameters);
      return ackAnswer(t(turn.locale, 'watch.changeDenied', { reason: policyReason(turn.locale, decision) }));
    }
    await state.removeSubscription(conversationId, id as string);
    await turn.audit('unsubscribe', 'succeeded', undefined, parameters);
    const rest = (await state.subscriptions()).filter((s) => s.conversationId === conversationId);
    return cardAnswer(subscriptionsCard(subscriptionRows(rest), turn.locale));
  }
  const ended = await endAllSubscriptions(turn);
  if (ended.kind === 'denied') return ackAnswer(ended.text);
  return ackAnswer(ended.kind === 'none' ? t(turn.locale, 'actions.unsubscribed') : t(turn.locale, 'watch.unsubscribed', { count: ended.count }));
}

export type EndAll = { kind: 'none' } | { kind: 'ended'; count: number } | { kind: 'denied'; text: string };

/**
 * Ends every subscription of this conversation (typed `unsubscribe`, a notification card's button) if the asker may
 * change notifications for each scope they cover (the policy action `subscribe`): one scope denied ends none, so a
 * reader cannot silence a channel's notifications that only its operators may change. Audited either way.
 */
export async function endAllSubscriptions(turn: Turn): Promise<EndAll> {
  const state = turn.services.actions!.state;
  const conversationId = turn.subject.conversationId;
  const mine = (await state.subscriptions()).filter((s) => s.conversationId === conversationId);
  if (!mine.length) return { kind: 'none' };
  for (const sub of mine) {
    const decision = changeDecision(turn, sub.resourceGroup);
    if (!decision.allowed) {
      await turn.audit('unsubscribe', 'denied', decision.reason, { count: mine.length, resourceGroup: sub.resourceGroup });
      return { kind: 'denied', text: t(turn.locale, 'watch.changeDenied', { reason: policyReason(turn.locale, decision) }) };
    }
  }
  const count = await state.removeSubscriptions(conversationId);
  if (!count) return { kind: 'none' };
  await turn.audit('unsubscribe', 'succeeded', undefined, { count });
  return { kind: 'ended', count };
}

function changeDecision(turn: Turn, resourceGroup: string | undefined) {
  return turn.services.policy.can(policySubject(turn.subject), { subscriptionId: turn.services.gateways.subscriptionId, resourceGroup: resourceGroup ?? '' }, 'subscribe');
}

export function subscriptionRows(subs: readonly StoredSubscription[]): SubscriptionRow[] {
  return subs.map((s) => ({ id: subscriptionIdOf(s), resourceGroup: s.resourceGroup, templateGlob: s.templateGlob, outcomes: s.outcomes, by: s.by, at: s.at }));
}
