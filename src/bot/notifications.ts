import type { Activity, CloudAdapter, ConversationReference } from 'botbuilder';
import type { AzureGateways } from '../azure';
import { resolveLocale } from '../i18n';
import { digestCard } from '../cards/digest-card';
import type { Logger } from '../logger';
import { diagnoseFetchedTemplate, diagnoseWholeLog } from '../usecases/diagnose-template';
import { templateCoordinates } from '../azure';
import type { ScanPool } from '../usecases/scan-pool';
import type { SendFailure } from '../watch/delivery-policy';
import { sendWithPolicy } from '../watch/delivery';
import type { NotificationPoster, SubscriptionSource } from '../watch/notifier';
import { cardMessage, proactively, updateCardActivity } from './card-delivery';
import { templateDiagnosisCard } from './handlers/diagnosis-cards';
import type { BotState } from './state';
import type { AuditLog } from '../azure/records';

// The chat side of the failure notifier: subscriptions come from bot state, and a notification is the diagnosis
// card the bot gives on request, posted proactively: from the log's tail at once, then updated in place after the
// full scan. In a channel the first run of a template starts a thread and later runs of it reply in that thread.

export interface NotificationDeps {
  state: BotState;
  audit: AuditLog;
  gateways: AzureGateways;
  adapter: CloudAdapter;
  appId: string;
  tailBytes: number;
  maxBytes: number;
  logger: Logger;
  /** The noise rule's window, named in the digest card's heading. */
  digestWindowMs: number;
  /** The process-wide scan pool: the full scan after the tail card queues with the other full scans. */
  scans?: ScanPool;
  /** Background work the process lets finish (the full scan and its card update). */
  track?: (work: Promise<unknown>) => void;
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
  const send = (ref: Partial<ConversationReference>, activity: Partial<Activity>): Promise<string | undefined> =>
    proactively(d.adapter, d.appId, ref, async (ctx) => (await ctx.sendActivity(activity))?.id);
  return {
    async post({ event, template }, conversationId) {
      const ref = await referenceOf(conversationId);
      const locale = await localeOf(conversationId);
      const coords = templateCoordinates(template);
      const cardRef = { name: event.templateName, resourceGroup: coords?.resourceGroup ?? '', id: event.templateId };
      const quick = await diagnoseFetchedTemplate(d.gateways, template, { read: 'tail', tailBytes: d.tailBytes, maxBytes: d.maxBytes });
      const isChannel = ref.conversation?.conversationType === 'channel';
      const root = isChannel ? (await d.state.cardRefs(event.templateId)).find((r) => r.purpose === 'notification' && r.conversation.conversation?.id === ref.conversation?.id) : undefined;
      // A reply in a channel thread goes to the thread's conversation id: `<channel>;messageid=<root activity>`.
      const target = root ? { ...ref, conversation: { ...ref.conversation!, id: `${ref.conversation!.id!.split(';')[0]};messageid=${root.activityId}` } } : ref;
      const id = await send(target, cardMessage(templateDiagnosisCard(cardRef, quick, 'tail', locale)));
      if (isChannel && !root && id) await d.state.saveCardRef({ activityId: id, conversation: ref, templateId: event.templateId, purpose: 'notification' });
      if (!id || !quick.log.partial || quick.log.error) return;
      // The post is done (its claim can be finished); the full scan updates the same card when it is through.
      const full = (d.scans ? d.scans.run(event.templateId.toLowerCase(), scanFully) : scanFully())
        .then(async (complete) => {
          // A rerun clicked on the card meanwhile owns it now: its progress must not be overwritten by this answer.
          if ((await d.state.watches()).some((w) => w.activityId === id)) return;
          const card = templateDiagnosisCard(cardRef, complete, 'full', locale);
          const sent = await sendWithPolicy(() => updateCardActivity({ adapter: d.adapter, appId: d.appId, reference: target }, id, card), { failureOf: sendFailureOf });
          if (sent.kind !== 'sent') d.logger.warn('the full-scan update of a notification card was not delivered', { template: event.templateId, reason: sent.reason });
        })
        .catch((e: Error) => d.logger.warn('full log scan of a notification failed; the tail card stands', { template: event.templateId, error: e.message }));
      d.track?.(full);
      // From what the tail read found (no second locate or size read), and in the worker threads, not on the event loop.
      function scanFully() {
        return diagnoseWholeLog(d.gateways, quick, { read: 'full', tailBytes: d.tailBytes, maxBytes: d.maxBytes, scan: d.scans?.scan });
      }
    },
    async postDigest(conversationId, events) {
      const ref = await referenceOf(conversationId);
      const locale = await localeOf(conversationId);
      const items = events.map(({ event, template }) => ({
        templateId: event.templateId,
        name: event.templateName,
        resourceGroup: templateCoordinates(template)?.resourceGroup,
        outcome: event.outcome,
        runStart: event.runStart,
      }));
      await send(ref, cardMessage(digestCard(items, d.digestWindowMs, locale)));
    },
    failureOf(e) {
      if (e instanceof ConversationGone) return e.failure;
      return sendFailureOf(e);
    },
  };
}

/** A botbuilder send error as the delivery policy reads it: status, Teams' error code, Retry-After. */
export function sendFailureOf(e: unknown): SendFailure | undefined {
  const x = e as { statusCode?: number; code?: string; body?: { error?: { code?: string } }; response?: { headers?: { get?(n: string): string | undefined } } };
  if (typeof x?.statusCode !== 'number') return undefined;
  const retryAfter = Number(x.response?.headers?.get?.('retry-after'));
  return { status: x.statusCode, code: x.body?.error?.code ?? x.code, retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined };
}
