import type { ImageTemplate } from '../../azure';
import type { CardAttachment } from '../../cards/bind';
import { statusCard } from '../../cards/render';
import { templateFacts } from '../../diagnosis';
import { templateApiFacts, type TemplateApiExtras } from '../../diagnosis/template-facts';
import type { TemplateRef } from '../intents';
import { ackAnswer, cardAnswer, type Answer, type Turn } from '../context';
import { refOf } from '../guards/template-action';
import { findReadable, readTarget, type Found } from './find-template';

// "Status of X": the template's states and timings (a running build's elapsed time against its timeout), the last
// message, Diagnose when it failed, Cancel while it runs, Refresh always; plus what the 2022-2025 API adds
// (triggers, the isolated build's container, resources an abort kept, failed targets).

export async function status(turn: Turn, target: TemplateRef): Promise<void> {
  const found = await findReadable(turn, target, 'status');
  if (!found) return;
  await turn.replies.send(await statusCardOf(turn, found));
}

/**
 * Refresh re-reads the template and answers with the new card, which replaces the clicked one in place (older
 * clients' Action.Submit gets it through updateActivity, see the bot): a status followed for an hour stays one card.
 */
export async function refreshStatus(turn: Turn): Promise<Answer> {
  const found = await findReadable(turn, readTarget(turn), 'status');
  if (!found) return ackAnswer('');
  return cardAnswer(await statusCardOf(turn, found));
}

async function statusCardOf(turn: Turn, found: Found): Promise<CardAttachment> {
  const extras = await apiExtras(turn, found.id.resourceGroup, found.id.name, found.template);
  const api = templateApiFacts(found.template, extras);
  return statusCard({ template: refOf(found.id), facts: templateFacts(found.template), api, now: new Date() }, turn.locale);
}

/**
 * The reads beyond the template, each optional: a missing permission or a staging group that is gone leaves its
 * facts out instead of failing the status card.
 */
async function apiExtras(turn: Turn, rg: string, name: string, t: ImageTemplate): Promise<TemplateApiExtras> {
  const gw = turn.services.gateways;
  const state = t.lastRunStatus?.runState;
  const wantsStaging = state === 'Running' || (state === 'Failed' && !!t.errorHandling);
  const wantsOutputs = state === 'PartiallySucceeded' || state === 'Failed';
  const [triggers, staging, outputs] = await Promise.allSettled([
    gw.templates.triggers(rg, name),
    wantsStaging ? gw.staging.resources(t) : Promise.resolve(undefined),
    wantsOutputs ? gw.templates.runOutputs(rg, name) : Promise.resolve(undefined),
  ]);
  const value = <T>(r: PromiseSettledResult<T>) => (r.status === 'fulfilled' ? r.value : undefined);
  return {
    triggers: value(triggers),
    stagingResources: value(staging),
    runOutputs: value(outputs)?.map((o) => ({ name: o.name, provisioningState: o.provisioningState, artifactId: o.artifactId })),
  };
}
