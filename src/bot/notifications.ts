import type { Activity, CloudAdapter, ConversationReference } from 'botbuilder';
import type { AzureGateways } from '../azure';
import { t, resolveLocale } from '../i18n';
import type { Logger } from '../logger';
import { diagnoseFetchedTemplate } from '../usecases/diagnose-template';
import { templateCoordinates } from '../azure';
import type { SendFailure } from '../watch/delivery-policy';
import type { NotificationPoster, SubscriptionSource } from '../watch/notifier';
import type { DetectedEvent } from '../watch/pass';
import { templateDiagnosisCard } from './handlers/diagnosis-cards';
import { cardMessage } from './card-delivery';
import type { BotState } from './state';
import type { AuditLog } from '../azure/records';

// The chat side of the failure notifier: subscriptions come from bot state, and a notification is the diagnosis
// card the bot gives on request, posted proactively. In a channel the first run of a template starts a thread and
// later runs of it reply in that thread.

export interface NotificationDeps {
  state: BotState;
  audit: AuditLog;
  gateways: AzureGateways;
  adapter: CloudAdapter;
  appId: string;
  tailBytes: number;
  maxBytes: number;
  logger: Logger;
}

export function subscriptionSource(d: Pick<NotificationDeps, 'state' | 'audit' | 'logger'>): SubscriptionSource {
  return {
    subscriptions: async () => (await d.state.subscriptions()).map(({ conversationId, resourceGroup, templateGlob, outcomes }) => ({ conversationId, resourceGroup, templateGlob, outcomes })),
    mutes: () => d.state.mutes(),
    async drop(conversationId, reason) {
      await d.state.removeSubscriptions(conversationId);
      await d.audit
        .append({ time: new Date().toISOString(), user: { name: 'watcher' }, conversationId, action: 'unsubscribe', target: '(all)', result: 'succeeded', detail: `dropped: ${reason}` })
        .catch((e: Error) => d.logger.error('could not audit a dropped subscription', { conversationId, error: e.message }));
    },
  };
}

/** Thrown when the conversation has no stored reference: the policy treats it as a conversation that is gone. */
class ConversationGone extends Error {
  readonly failure: SendFailure = { status: 404, code: 'ConversationNotFound' };
}

export function notificationPoster(d: NotificationDeps): NotificationPoster {
  const localeOf = async (conversationId: string) => resolveLocale((await d.state.subscriptions()).find((s) => s.conversationId === conversationId)?.locale);
  const referenceOf = async (conversationId: string) => {
    const ref = await d.state.conversationRef(conversationId);
    if (!ref) throw new ConversationGone(`no conversation reference for ${conversationId}`);
    return ref;
  };
  const send = async (ref: Partial<ConversationReference>, activity: Partial<Activity>): Promise<string | undefined> => {
    let id: string | undefined;
    await d.adapter.continueConversationAsync(d.appId, ref, async (ctx) => {
      id = (await ctx.sendActivity(activity))?.id;
    });
    return id;
  };
  return {
    async post({ event, template }, conversationId) {
      const ref = await referenceOf(conversationId);
      const locale = await localeOf(conversationId);
      const coords = templateCoordinates(template);
      const card = templateDiagnosisCard(
        { name: event.templateName, resourceGroup: coords?.resourceGroup ?? '', id: event.templateId },
        await diagnoseFetchedTemplate(d.gateways, template, { read: 'tail', tailBytes: d.tailBytes, maxBytes: d.maxBytes }),
        'tail',
        locale,
      );
      const isChannel = ref.conversation?.conversationType === 'channel';
      const root = isChannel ? (await d.state.cardRefs(event.templateId)).find((r) => r.purpose === 'notification' && r.conversation.conversation?.id === ref.conversation?.id) : undefined;
      // A reply in a channel thread goes to the thread's conversation id: `<channel>;messageid=<root activity>`.
      const target = root ? { ...ref, conversation: { ...ref.conversation!, id: `${ref.conversation!.id!.split(';')[0]};messageid=${root.activityId}` } } : ref;
      const id = await send(target, cardMessage(card));
      if (isChannel && !root && id) await d.state.saveCardRef({ activityId: id, conversation: ref, templateId: event.templateId, purpose: 'notification' });
    },
    async postDigest(conversationId, events) {
      const ref = await referenceOf(conversationId);
      const locale = await localeOf(conversationId);
      const lines = events.map((e) => `- ${e.event.templateName}: ${e.event.outcome}${e.event.runStart ? ` (${e.event.runStart})` : ''}`);
      await send(ref, { type: 'message', text: [t(locale, 'watch.digest', { count: events.length }), ...lines].join('\n') });
    },
    failureOf(e) {
      if (e instanceof ConversationGone) return e.failure;
      const x = e as { statusCode?: number; code?: string; body?: { error?: { code?: string } }; response?: { headers?: { get?(n: string): string | undefined } } };
      if (typeof x.statusCode !== 'number') return undefined;
      const retryAfter = Number(x.response?.headers?.get?.('retry-after'));
      return { status: x.statusCode, code: x.body?.error?.code ?? x.code, retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined };
    },
  };
}
