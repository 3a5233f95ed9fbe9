import { MAIN_RESOURCE_GROUP, SANDBOX_LOCATION } from './constants';
import type { ScenarioInfo } from './contract';
import type { LogSink } from './emulator/log-sink';
import { VALIDATION_LOG_BLOB_NAME } from './constants';
import { partialMessage, renderLog, renderMessage, resourcesAfterFailure, validatorsOf, type RunIds, type RunMachine } from './emulator/run-machine';
import { galleryVersionsFor, runOutputsFor } from './emulator/template-json';
import { buildValidationLog } from './log';
import type { RunPlan, TemplateRecord } from './emulator/template-record';
import type { TemplateStore } from './emulator/template-store';
import { stableAccountName, stableGuid } from './ids';
import type { Scenario } from './scenarios/scenario-types';
import { builderIdentity } from './scenarios/template-parts';

// Scenario data → template records, plus the logs their last runs left. Everything seeded here is derived from
// the scenario's name, so two starts of the sandbox show the same ids, accounts and log folders.

export function groupOf(s: Scenario): string {
  return s.resourceGroup ?? MAIN_RESOURCE_GROUP;
}

export function accountOf(s: Scenario): string {
  return stableAccountName(`${groupOf(s)}/${s.name}`);
}

export function seededRunIds(s: Scenario): RunIds {
  return { folder: stableGuid(`folder:${groupOf(s)}/${s.name}`), packerRunId: stableGuid(`run:${groupOf(s)}/${s.name}`) };
}

function planOf(s: Scenario): RunPlan {
  const st = s.status;
  switch (st.kind) {
    case 'submission-failed':
      return {
        outcome: 'refuse',
        reason: `Image template '${s.name}' failed to provision (${st.provisioningErrorCode}); delete it and submit it again before running it.`,
      };
    case 'run-failed':
      return {
        outcome: 'fail',
        atSubState: st.subState,
        message: st.message,
        operationErrorCode: st.operationErrorCode,
        log: st.log,
        validationFailure: st.validationFailure,
      };
    case 'partially-succeeded':
      return { outcome: 'partial', failedTargets: st.failedTargets, log: st.log };
    case 'running':
      return { outcome: 'succeed', log: st.log, stepWeights: st.stepWeights };
    case 'succeeded':
      return { outcome: 'succeed', log: st.log };
    case 'never-run':
      return { outcome: 'succeed', log: { os: s.os, customizers: [] } };
  }
}

export function scenarioState(s: Scenario): string {
  switch (s.status.kind) {
    case 'submission-failed':
      return 'ProvisioningFailed';
    case 'run-failed':
      return 'Failed';
    case 'running':
      return 'Running';
    case 'succeeded':
      return 'Succeeded';
    case 'partially-succeeded':
      return 'PartiallySucceeded';
    case 'never-run':
      return 'NotRun';
  }
}

export function scenarioInfo(s: Scenario): ScenarioInfo {
  return { name: s.name, resourceGroup: groupOf(s), expectedId: s.expectedId, os: s.os, state: scenarioState(s) };
}

export interface SeedContext {
  store: TemplateStore;
  runs: RunMachine;
  logs: LogSink;
  subscriptionId: string;
  now: Date;
  /** False: scenarios with a big log get their normal-sized log instead, so every message still names a blob. */
  bigLogs: boolean;
}

/** Adds one scenario's template and writes the log of its last run (big logs are left to big-log.ts). */
export async function seedScenario(s: Scenario, ctx: SeedContext, index: number): Promise<TemplateRecord> {
  const rg = groupOf(s);
  const agoMin = s.ranMinutesAgo ?? 60 + index * 37;
  const start = new Date(ctx.now.getTime() - agoMin * 60000);
  const end = new Date(start.getTime() + (s.tookMinutes ?? 12 + (index % 5) * 7) * 60000);
  const created = new Date(start.getTime() - 20 * 60000).toISOString();
  const record: TemplateRecord = {
    name: s.name,
    resourceGroup: rg,
    location: SANDBOX_LOCATION,
    tags: { team: 'platform-images', ...(s.tags ?? {}) },
    identity: builderIdentity(),
    properties: structuredClone(s.template),
    provisioningState: 'Succeeded',
    stagingGroup: `IT_${rg}_${s.name}_${stableGuid(`staging:${rg}/${s.name}`)}`,
    storageAccount: accountOf(s),
    logFolders: [],
    runOutputs: [],
    plan: planOf(s),
    triggers: (s.triggers ?? []).map((tr) => ({
      name: tr.name,
      kind: 'SourceImage' as const,
      status: { code: tr.code, message: tr.message, time: new Date(ctx.now.getTime() - (tr.minutesAgo ?? 30) * 60000).toISOString() },
      provisioningState: 'Succeeded' as const,
    })),
    createdAt: created,
    lastModifiedAt: created,
  };
  ctx.store.add(record);
  await ctx.logs.prepare(record.storageAccount);
  const ids = seededRunIds(s);
  const st = s.status;
  switch (st.kind) {
    case 'submission-failed':
      record.provisioningState = 'Failed';
      record.provisioningError = { provisioningErrorCode: st.provisioningErrorCode, message: st.message };
      break;
    case 'run-failed': {
      const big = !!s.bigLog && ctx.bigLogs;
      if (st.log && !big) await writeLog(ctx, record, ids.folder, renderLog(st.log, record, ids, start));
      if (big) record.logFolders.push(ids.folder);
      if (st.subState === 'Validating' || (st.subState === 'Distributing' && record.properties.validate)) {
        const failure = st.subState === 'Validating' ? st.validationFailure : undefined;
        await ctx.logs.put(record.storageAccount, ids.folder, buildValidationLog({ validators: validatorsOf(record), failure }, ids.packerRunId, end), VALIDATION_LOG_BLOB_NAME);
      }
      const message = renderMessage(st.message, record, ctx.subscriptionId, ids);
      record.lastRunStatus = { startTime: start.toISOString(), endTime: end.toISOString(), runState: 'Failed', runSubState: st.subState, message };
      record.stagingResources = resourcesAfterFailure(record, ids.packerRunId, st.subState);
      seedGalleryVersions(s, record);
      break;
    }
    case 'succeeded':
      await writeLog(ctx, record, ids.folder, renderLog(st.log, record, ids, start));
      record.runOutputs = runOutputsFor(record, ctx.subscriptionId, ids.packerRunId);
      for (const v of galleryVersionsFor(record, record.runOutputs, [])) (record.galleryVersions ??= new Map()).set(v.id.toLowerCase(), v);
      seedGalleryVersions(s, record);
      record.lastRunStatus = { startTime: start.toISOString(), endTime: end.toISOString(), runState: 'Succeeded', runSubState: 'Distributing', message: '' };
      break;
    case 'partially-succeeded': {
      await writeLog(ctx, record, ids.folder, renderLog(st.log, record, ids, start));
      record.runOutputs = runOutputsFor(record, ctx.subscriptionId, ids.packerRunId, st.failedTargets);
      for (const v of galleryVersionsFor(record, record.runOutputs, st.failedTargets)) (record.galleryVersions ??= new Map()).set(v.id.toLowerCase(), v);
      seedGalleryVersions(s, record);
      const message = partialMessage(record, st.failedTargets);
      record.lastRunStatus = { startTime: start.toISOString(), endTime: end.toISOString(), runState: 'PartiallySucceeded', runSubState: 'Distributing', message };
      break;
    }
    case 'running': {
      const partial = ctx.runs.resume(record, st.subState, ids, start);
      if (partial) await writeLog(ctx, record, ids.folder, partial);
      break;
    }
    case 'never-run':
      break;
  }
  return record;
}

async function writeLog(ctx: SeedContext, record: TemplateRecord, folder: string, text: string): Promise<void> {
  record.logFolders.push(folder);
  await ctx.logs.put(record.storageAccount, folder, text);
}

/** Versions a scenario spells out (replicating, failed in a region) replace computed ones and show in runOutputs. */
function seedGalleryVersions(s: Scenario, record: TemplateRecord): void {
  for (const v of s.galleryVersions ?? []) {
    (record.galleryVersions ??= new Map()).set(v.id.toLowerCase(), { id: v.id, location: record.location, aggregatedState: v.aggregatedState, summary: v.summary });
    const output = { name: v.runOutputName, artifactId: v.id, provisioningState: v.aggregatedState === 'Completed' ? ('Succeeded' as const) : ('Failed' as const) };
    record.runOutputs = [...record.runOutputs.filter((o) => o.name !== v.runOutputName), output];
  }
}
