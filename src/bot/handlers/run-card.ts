import type { ImageTemplate } from '../../azure';
import { outcomeCard, runProgressCard } from '../../cards/action-cards';
import type { CardAttachment } from '../../cards/bind';
import { resolveLocale, type Locale } from '../../i18n';
import { TemplateId } from '../../model';
import { diagnoseFetchedTemplate } from '../../usecases/diagnose-template';
import { followRun } from '../../usecases/run-follower';
import { CoalescedCardUpdates } from '../../watch/card-updates';
import { sendWithPolicy } from '../../watch/delivery';
import { updateCardActivity } from '../card-delivery';
import { sendFailureOf } from '../notifications';
import type { BotServices } from '../services';
import type { RunWatch } from '../state';
import { refOf } from '../guards/template-action';
import { templateDiagnosisCard } from './diagnosis-cards';

// A build followed on its card to the end: progress while it runs, then run outputs, a fresh diagnosis of the new
// run, or "canceled". The watch is persisted first, so a bot restarted mid-build picks the card up again.

export function progressCardOf(id: TemplateId, t: ImageTemplate, seen: readonly string[], started: { by?: string; at: string }, locale: Locale): CardAttachment {
  const run = t.lastRunStatus;
  return runProgressCard(
    { template: refOf(id), runState: run?.runState, runSubState: run?.runSubState, startTime: run?.startTime?.toString(), startedBy: started.by, startedAt: started.at, seen: [...seen] },
    locale,
  );
}

export async function followOnCard(services: BotServices, w: RunWatch, update?: (card: CardAttachment) => Promise<void>): Promise<void> {
  const id = TemplateId.parseAny(w.templateId);
  const state = services.actions?.state;
  if (!id) {
    await state?.removeWatch(w.activityId);
    return;
  }
  const locale = resolveLocale(w.locale);
  const send =
    update ?? ((card: CardAttachment) => updateCardActivity({ adapter: services.delivery.adapter, appId: services.delivery.appId, reference: w.conversation }, w.activityId, card));
  // Teams' limits: one update per card per interval (the newest waiting one wins), each send retried per the policy.
  let undelivered: CardAttachment | undefined;
  const updates = new CoalescedCardUpdates<CardAttachment>(
    async (_card, card) => {
      const sent = await sendWithPolicy(() => send(card), { failureOf: sendFailureOf });
      if (sent.kind === 'sent') return;
      undelivered = card;
      throw new Error(sent.reason);
    },
    { minIntervalMs: services.limits.cardUpdateMs, onError: (_card, e) => services.logger.warn('a card update was not delivered', { template: id.id, error: (e as Error).message }) },
  );
  const put = async (card: CardAttachment) => updates.offer(w.activityId, card);
  const { templates } = services.gateways;
  try {
    const final = await followRun(templates, id.resourceGroup, id.name, {
      pollMs: services.limits.pollMs,
      since: w.startedAt,
      which: w.which,
      onProgress: (t, seen) => put(progressCardOf(id, t, seen, { by: w.startedBy, at: w.startedAt }, locale)),
    });
    if (w.claimKey) {
      await services.actions?.claims
        .update({ key: w.claimKey, action: 'rerun', templateId: id.id, by: { name: w.startedBy }, at: w.startedAt, status: 'done', result: final?.lastRunStatus?.runState ?? 'unknown' })
        .catch(() => undefined);
    }
    const last = await finalCard(services, id, final, w, locale);
    await put(last);
    await updates.drained(w.activityId);
    // A progress card lost on the way does not matter once the final one arrived; a lost final card does.
    if (undelivered === last) throw new Error('the final card could not be delivered');
    await state?.removeWatch(w.activityId);
  } catch (e) {
    // The watch stays: the next start of the bot tries again.
    services.logger.warn('following a build failed', { template: id.id, error: (e as Error).message });
  }
}

async function finalCard(services: BotServices, id: TemplateId, final: ImageTemplate | undefined, w: RunWatch, locale: Locale): Promise<CardAttachment> {
  const state = final?.lastRunStatus?.runState;
  const at = new Date().toISOString();
  // The template went away while we watched (deleted elsewhere): say so rather than leave a spinning card.
  if (!final) return outcomeCard({ kind: 'gone', template: refOf(id) }, locale);
  if (state === 'Succeeded' || state === 'PartiallySucceeded') {
    const outputs = await services.gateways.templates.runOutputs(id.resourceGroup, id.name).catch(() => []);
    const rows = outputs.map((o) => ({ name: o.name ?? '?', artifact: o.artifactId ?? o.artifactUri ?? '?' }));
    return outcomeCard({ kind: 'run-succeeded', template: refOf(id), action: 'rerun', by: w.startedBy, at, outputs: rows }, locale);
  }
  if (state === 'Failed') {
    // A failed rerun ends as a fresh diagnosis of the new run, on the same card, saying "failed again" when the run
    // before it had failed too, and whether for the same reason.
    const d = await diagnoseFetchedTemplate(services.gateways, final, { read: 'full', tailBytes: services.limits.tailBytes, maxBytes: services.limits.maxBytes });
    const rerun = w.rerunOf && { failedBefore: w.rerunOf.failed, previousId: w.rerunOf.diagnosisId };
    return templateDiagnosisCard(refOf(id), d, 'full', locale, rerun);
  }
  return outcomeCard({ kind: 'run-canceled', template: refOf(id), action: 'rerun', at }, locale);
}

/** After a restart: pick up every build a card was following when the previous process stopped. */
export async function resumeWatches(services: BotServices): Promise<number> {
  const watches = (await services.actions?.state.watches()) ?? [];
  for (const w of watches) {
    services.logger.info('resuming a build watch', { template: w.templateId, startedAt: w.startedAt });
    services.track(followOnCard(services, w));
  }
  return watches.length;
}
