import { isAzureGatewayError, type ImageTemplate } from '../../azure';
import { outcomeCard } from '../../cards/action-cards';
import type { CardAttachment } from '../../cards/bind';
import type { ActionName } from '../../diagnosis';
import { resolveLocale } from '../../i18n';
import { TemplateId } from '../../model';
import { updateCardActivity } from '../card-delivery';
import { describeError } from '../error-cards';
import type { BotServices } from '../services';
import type { RecreateRecord } from '../state';
import { refOf } from '../guards/template-action';

// The second half of a recreate, from its saved record: create the template again, then forget the record. A
// failure keeps the record (the next start-up tries again) and shows the saved definition on the card, to copy.

export interface RecreateEnd {
  update(card: CardAttachment): Promise<void>;
  audit(result: 'succeeded' | 'failed', detail?: string): Promise<void>;
  finish?(status: 'done' | 'failed', result: string): Promise<void>;
}

export async function completeRecreate(services: BotServices, rec: RecreateRecord, end: RecreateEnd): Promise<boolean> {
  const id = TemplateId.parseAny(rec.templateId);
  if (!id) return false;
  const locale = resolveLocale(rec.locale);
  const action = rec.action as ActionName;
  try {
    await services.gateways.templates.create(id.resourceGroup, id.name, rec.body as unknown as ImageTemplate);
  } catch (e) {
    services.logger.error('recreate: the create failed; the definition stays saved', { template: id.id, error: describeError(e) });
    await end.audit('failed', describeError(e));
    await end.finish?.('failed', describeError(e));
    const definition = JSON.stringify(rec.original, null, 1);
    await end.update(outcomeCard({ kind: 'failed', template: refOf(id), action, by: rec.startedBy, at: new Date().toISOString(), detail: describeError(e), definition }, locale)).catch(() => undefined);
    return false;
  }
  await services.actions?.state.removeRecreate(rec.templateId);
  await end.audit('succeeded');
  await end.finish?.('done', 'recreated');
  // Done and audited: a card Teams will not update now (a 429, a removed bot) must not make it read as failed.
  await end
    .update(outcomeCard({ kind: 'recreated', template: refOf(id), action, by: rec.startedBy, at: new Date().toISOString(), change: rec.changes[0] }, locale))
    .catch((e: Error) => services.logger.warn('recreate: done, but its card could not be updated', { template: id.id, error: e.message }));
  return true;
}

/** At start-up: finish every recreate a previous process left between its delete and its create. */
export async function resumeRecreates(services: BotServices): Promise<number> {
  const state = services.actions?.state;
  const records = (await state?.recreates()) ?? [];
  for (const rec of records) {
    const id = TemplateId.parseAny(rec.templateId);
    const update = (card: CardAttachment) =>
      rec.activityId
        ? updateCardActivity({ adapter: services.delivery.adapter, appId: services.delivery.appId, reference: rec.conversation }, rec.activityId, card)
        : Promise.resolve();
    const audit = (result: 'succeeded' | 'failed', detail?: string) =>
      (services.actions?.audit.append({ time: new Date().toISOString(), user: { name: rec.startedBy }, conversationId: rec.conversation.conversation?.id ?? '', action: rec.action, target: rec.templateId, result, detail: detail ?? 'resumed after a restart' }) ?? Promise.resolve()).catch((e) =>
        services.logger.error('audit append failed for a resumed recreate', { template: rec.templateId, error: (e as Error).message }),
      );
    if (!id) continue;
    if (rec.stage === 'saved' && (await exists(services, id))) {
      // The previous process stopped before deleting: nothing was changed, so nothing is resumed.
      await state!.removeRecreate(rec.templateId);
      await update(outcomeCard({ kind: 'interrupted', template: refOf(id), action: rec.action as ActionName }, resolveLocale(rec.locale))).catch(() => undefined);
      continue;
    }
    services.logger.info('resuming a recreate', { template: rec.templateId, stage: rec.stage });
    services.track(completeRecreate(services, rec, { update: (c) => update(c).catch(() => undefined), audit }));
  }
  return records.length;
}

async function exists(services: BotServices, id: TemplateId): Promise<boolean> {
  try {
    await services.gateways.templates.get(id.resourceGroup, id.name);
    return true;
  } catch (e) {
    if (isAzureGatewayError(e) && e.code === 'not-found') return false;
    throw e;
  }
}
