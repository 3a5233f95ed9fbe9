import { LOG_BLOB_NAME, LOG_CONTAINER } from '../constants';
import { newGuid } from '../ids';
import { buildCustomizationLog, partialLog } from '../log';
import type { LogSpec } from '../log';
import { armErrors } from './arm-errors';
import type { LogSink } from './log-sink';
import type { OperationBook, OperationRecord } from './operations';
import { runOutputsFor } from './template-json';
import type { RunSubState, TemplateRecord } from './template-record';

// A build on a clock: each sub-state lasts `stepMs` (times the plan's weight for it). Logs are written before
// the status that announces them, so a caller who sees "Failed" can always fetch the log it names.

const ORDER: RunSubState[] = ['Queued', 'Building', 'Customizing', 'Optimizing', 'Validating', 'Distributing'];
/** How much of the log exists when a sub-state begins; Packer starts writing once the builder runs. */
export const LOG_SHARE: Partial<Record<RunSubState, number>> = { Building: 0.12, Customizing: 0.4, Optimizing: 0.85, Validating: 0.9, Distributing: 0.95 };

interface ActiveRun {
  op?: OperationRecord;
  subStates: RunSubState[];
  index: number;
  folder: string;
  packerRunId: string;
  fullLog: string | null;
  timer?: NodeJS.Timeout;
}

export interface RunMachineDeps {
  operations: OperationBook;
  logs: LogSink;
  stepMs: number;
  subscriptionId: string;
  log: (line: string) => void;
}

export interface RunIds {
  folder: string;
  packerRunId: string;
}

export function logUrl(t: TemplateRecord, folder: string): string {
  return `https://${t.storageAccount}.blob.core.windows.net/${LOG_CONTAINER}/${folder}/${LOG_BLOB_NAME}`;
}

export function logArmPath(t: TemplateRecord, subscriptionId: string, folder: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${t.stagingGroup}/providers/Microsoft.Storage/storageAccounts/${t.storageAccount}/blobServices/default/containers/${LOG_CONTAINER}/${folder}/${LOG_BLOB_NAME}`;
}

/** Fills a scenario message's placeholders for one run. */
export function renderMessage(template: string, t: TemplateRecord, subscriptionId: string, ids: RunIds): string {
  return template
    .replaceAll('{logUrl}', logUrl(t, ids.folder))
    .replaceAll('{logPath}', logArmPath(t, subscriptionId, ids.folder))
    .replaceAll('{operationId}', ids.packerRunId)
    .replaceAll('{correlationId}', correlationIdFor(ids.packerRunId))
    .replaceAll('{stagingGroup}', t.stagingGroup)
    .replaceAll('{subscriptionId}', subscriptionId)
    .replaceAll('{templateName}', t.name);
}

function correlationIdFor(runId: string): string {
  // The correlation id differs from the operation id in every real message; reversing keeps it stable per run.
  return runId.split('-').reverse().join('-');
}

export function renderLog(spec: LogSpec, t: TemplateRecord, ids: RunIds, start: Date): string {
  return buildCustomizationLog(spec, { runId: ids.packerRunId, start, templateName: t.name, stagingGroup: t.stagingGroup, location: t.location });
}

/** The sub-states a build of this template passes through, in order. */
export function subStatesFor(t: TemplateRecord): RunSubState[] {
  const wanted = new Set<RunSubState>(['Queued', 'Building', 'Customizing', 'Distributing']);
  if (t.properties.optimize) wanted.add('Optimizing');
  if (t.properties.validate) wanted.add('Validating');
  if (t.plan.outcome === 'fail') wanted.add(t.plan.atSubState);
  return ORDER.filter((s) => wanted.has(s));
}

export class RunMachine {
  private readonly runs = new Map<TemplateRecord, ActiveRun>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly deps: RunMachineDeps) {}

  isActive(t: TemplateRecord): boolean {
    return this.runs.has(t);
  }

  /** POST run: starts a new build with a new log folder. */
  start(t: TemplateRecord): OperationRecord {
    // What the service answers for a run of a template whose provisioning failed is not documented; the
    // sandbox refuses it like its other state conflicts (409 OperationNotAllowed).
    if (t.plan.outcome === 'refuse') throw armErrors.notAllowed(t.plan.reason);
    if (this.runs.has(t)) throw armErrors.notAllowed(`Image template '${t.name}' already has a build in progress; cancel it or wait for it to finish.`);
    if (t.provisioningState !== 'Succeeded') {
      throw armErrors.notAllowed(`Image template '${t.name}' cannot be run while its provisioning state is '${t.provisioningState}'.`);
    }
    const op = this.deps.operations.create();
    const ids: RunIds = { folder: newGuid(), packerRunId: newGuid() };
    const now = new Date();
    const spec = t.plan.log;
    const run: ActiveRun = { op, subStates: subStatesFor(t), index: 0, ...ids, fullLog: spec ? renderLog(spec, t, ids, now) : null };
    t.lastRunStatus = { startTime: now.toISOString(), runState: 'Running', runSubState: 'Queued', message: '' };
    this.runs.set(t, run);
    this.schedule(t, run);
    return op;
  }

  /** A seeded build that is already under way when the sandbox starts (no caller holds its operation). */
  resume(t: TemplateRecord, subState: RunSubState, ids: RunIds, start: Date): string | null {
    const spec = t.plan.outcome === 'refuse' ? null : t.plan.log;
    const subStates = subStatesFor(t);
    const run: ActiveRun = { subStates, index: Math.max(0, subStates.indexOf(subState)), ...ids, fullLog: spec ? renderLog(spec, t, ids, start) : null };
    t.lastRunStatus = { startTime: start.toISOString(), runState: 'Running', runSubState: subState, message: '' };
    this.runs.set(t, run);
    this.schedule(t, run);
    return run.fullLog ? partialLog(run.fullLog, LOG_SHARE[subState] ?? 0.5) : null;
  }

  /** POST cancel: Canceling for one step, then Canceled. */
  cancel(t: TemplateRecord): OperationRecord {
    const run = this.runs.get(t);
    if (!run || t.lastRunStatus?.runState !== 'Running') {
      // The spec documents 200/204 for cancel; what the service answers with no build running is not
      // documented, so the sandbox reports it the way it reports other state conflicts.
      throw armErrors.notAllowed(`Image template '${t.name}' has no build in progress to cancel.`);
    }
    if (run.timer) this.clearTimer(run.timer);
    const cancelOp = this.deps.operations.create();
    t.lastRunStatus = { ...t.lastRunStatus, runState: 'Canceling' };
    this.later(this.deps.stepMs, async () => {
      if (run.fullLog) {
        const share = LOG_SHARE[run.subStates[run.index]] ?? 0.3;
        const text = partialLog(run.fullLog, share) + canceledTail(run.packerRunId);
        await this.putLog(t, run.folder, text);
      }
      this.runs.delete(t);
      t.lastRunStatus = { ...t.lastRunStatus!, runState: 'Canceled', endTime: new Date().toISOString(), message: 'The image build was canceled by a user request.' };
      if (run.op) this.deps.operations.finish(run.op, 'Canceled');
      this.deps.operations.finish(cancelOp, 'Succeeded');
    });
    return cancelOp;
  }

  /** Runs `fn` after `ms` unless the sandbox stops first. */
  later(ms: number, fn: () => Promise<void> | void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      Promise.resolve()
        .then(fn)
        .catch((e: unknown) => this.deps.log(`sandbox: background step failed: ${(e as Error).message}`));
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.runs.clear();
  }

  private clearTimer(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  private weight(t: TemplateRecord, s: RunSubState): number {
    const plan = t.plan;
    const w = plan.outcome === 'refuse' ? undefined : plan.stepWeights?.[s];
    return w && w > 0 ? w : 1;
  }

  private schedule(t: TemplateRecord, run: ActiveRun): void {
    const current = run.subStates[run.index];
    run.timer = this.later(this.deps.stepMs * this.weight(t, current), () => this.advance(t, run));
  }

  private async advance(t: TemplateRecord, run: ActiveRun): Promise<void> {
    if (this.runs.get(t) !== run || t.lastRunStatus?.runState !== 'Running') return;
    const finished = run.subStates[run.index];
    const plan = t.plan;
    if (plan.outcome === 'fail' && finished === plan.atSubState) return this.fail(t, run, plan.message, plan.operationErrorCode);
    run.index += 1;
    if (run.index >= run.subStates.length) return this.succeed(t, run);
    const next = run.subStates[run.index];
    const share = LOG_SHARE[next];
    if (run.fullLog && share !== undefined) await this.putLog(t, run.folder, partialLog(run.fullLog, share));
    if (this.runs.get(t) !== run || t.lastRunStatus?.runState !== 'Running') return;
    t.lastRunStatus = { ...t.lastRunStatus, runSubState: next };
    this.schedule(t, run);
  }

  private async fail(t: TemplateRecord, run: ActiveRun, messageTemplate: string, code?: string): Promise<void> {
    if (run.fullLog) await this.putLog(t, run.folder, run.fullLog);
    const message = renderMessage(messageTemplate, t, this.deps.subscriptionId, run);
    this.runs.delete(t);
    t.lastRunStatus = { ...t.lastRunStatus!, runState: 'Failed', endTime: new Date().toISOString(), message };
    if (run.op) this.deps.operations.finish(run.op, 'Failed', { code: code ?? defaultErrorCode(run.subStates[run.index]), message });
  }

  private async succeed(t: TemplateRecord, run: ActiveRun): Promise<void> {
    if (run.fullLog) await this.putLog(t, run.folder, run.fullLog);
    this.runs.delete(t);
    t.runOutputs = runOutputsFor(t, this.deps.subscriptionId, run.packerRunId);
    // The last sub-state stays in lastRunStatus after a success, as the service leaves it.
    t.lastRunStatus = { ...t.lastRunStatus!, runState: 'Succeeded', endTime: new Date().toISOString(), message: '' };
    if (run.op) this.deps.operations.finish(run.op, 'Succeeded');
  }

  private async putLog(t: TemplateRecord, folder: string, text: string): Promise<void> {
    if (!t.logFolders.includes(folder)) t.logFolders.push(folder);
    try {
      await this.deps.logs.put(t.storageAccount, folder, text);
    } catch (e) {
      this.deps.log(`sandbox: could not write the log of ${t.name}: ${(e as Error).message}`);
    }
  }
}

/** Async-operation error codes: PackerBuildFailed is the one seen in the wild (azure-powershell #24244). */
function defaultErrorCode(subState: RunSubState | undefined): string {
  switch (subState) {
    case 'Customizing':
    case 'Optimizing':
      return 'PackerBuildFailed';
    case 'Validating':
      return 'ValidationFailed';
    case 'Distributing':
      return 'DistributionFailed';
    default:
      return 'BuildFailed';
  }
}

function canceledTail(runId: string): string {
  const ts = new Date().toISOString().replace('T', ' ').replace(/-/g, '/').slice(0, 19);
  return [
    `[${runId}] PACKER ERR ${ts} Cancelling builder after context cancellation context canceled`,
    `[${runId}] PACKER OUT Cancelling build after receiving terminated`,
    `[${runId}] PACKER OUT ==> azure-arm: The resource group was not created by Packer, deleting individual resources ...`,
    `[${runId}] PACKER OUT Build 'azure-arm' errored: build was cancelled`,
  ].join('\n') + '\n';
}
