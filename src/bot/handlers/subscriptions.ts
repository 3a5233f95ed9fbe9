import { t } from '../../i18n';
import type { SubscriptionCommand } from '../intents/subscriptions';
import { policySubject, type Turn } from '../context';
import { policyReason } from '../guards/authorize';
import type { StoredSubscription } from '../state';
import { endAllSubscriptions, subscriptionRows } from './unsubscribe';
import { subscriptionScope, subscriptionsCard } from '../../cards/subscriptions-card';

// subscribe / unsubscribe / subscriptions / mute: what a conversation asks of the failure notifier. Subscribing and
// muting and unsubscribing are the policy action `subscribe`, asked for the scope the subscription covers, and
// audited either way.

export async function subscription(turn: Turn, intent: { command: SubscriptionCommand }): Promise<void> {
  const c = intent.command;
  const state = turn.services.actions?.state;
  if (!state) return turn.replies.text(t(turn.locale, 'watch.unavailable'));
  const conversationId = turn.subject.conversationId;
  switch (c.kind) {
    case 'subscriptions': {
      const mine = (await state.subscriptions()).filter((s) => s.conversationId === conversationId);
      if (!mine.length) return turn.replies.text(t(turn.locale, 'watch.none'));
      await turn.replies.send(subscriptionsCard(subscriptionRows(mine), turn.locale));
      return;
    }
    case 'unsubscribe': {
      const ended = await endAllSubscriptions(turn);
      if (ended.kind === 'denied') return turn.replies.text(ended.text);
      return turn.replies.text(ended.kind === 'none' ? t(turn.locale, 'watch.none') : t(turn.locale, 'watch.unsubscribed', { count: ended.count }));
    }
    case 'mute-invalid':
      return turn.replies.text(t(turn.locale, 'watch.muteUsage'));
    case 'mute':
    case 'subscribe': {
      const resourceGroup = c.kind === 'subscribe' ? c.resourceGroup : undefined;
      const decision = turn.services.policy.can(policySubject(turn.subject), { subscriptionId: turn.services.gateways.subscriptionId, resourceGroup: resourceGroup ?? '' }, 'subscribe');
      const parameters = c.kind === 'subscribe' ? { resourceGroup, templateGlob: c.templateGlob, outcomes: c.outcomes } : { template: c.template, durationMs: c.durationMs };
      if (!decision.allowed) {
        await turn.audit(c.kind, 'denied', decision.reason, parameters);
        return turn.replies.text(t(turn.locale, 'watch.denied', { reason: policyReason(turn.locale, decision) }));
      }
      if (c.kind === 'mute') {
        const until = new Date(Date.now() + c.durationMs).toISOString();
        await state.saveMute({ conversationId, template: c.template, until });
        await turn.audit('mute', 'succeeded', undefined, parameters);
        return turn.replies.text(t(turn.locale, 'watch.muted', { template: c.template, until: until.replace('T', ' ').slice(0, 16) + ' UTC' }));
      }
      // The watcher posts proactively: it needs this conversation's reference, kept beside the subscription.
      await state.saveConversationRef(turn.channel().reference);
      const sub: StoredSubscription = { conversationId, outcomes: c.outcomes, locale: turn.locale, by: turn.subject.user.name, at: new Date().toISOString() };
      if (c.resourceGroup) sub.resourceGroup = c.resourceGroup;
      if (c.templateGlob) sub.templateGlob = c.templateGlob;
      await state.saveSubscription(sub);
      await turn.audit('subscribe', 'succeeded', undefined, parameters);
      return turn.replies.text(t(turn.locale, 'watch.subscribed', { outcomes: t(turn.locale, c.outcomes === 'all' ? 'watch.outcomesAll' : 'watch.outcomesFailures'), scope: subscriptionScope(turn.locale, sub) }));
    }
  }
}
