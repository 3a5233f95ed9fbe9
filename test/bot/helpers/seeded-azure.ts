import { Readable } from 'node:stream';
import { REQUIRED_ACTION } from '../../../src/azure/permissions';
import {
  AzureGatewayError,
  BUILD_CONTAINER_PREFIX,
  locateFromStatus,
  nearMisses,
  validationLogOf,
  type AzureGateways,
  type BuildLogGateway,
  type GalleryGateway,
  type ImageTemplate,
  type LogLocation,
  type StagingGateway,
  type TemplateGateway,
} from '../../../src/azure';
import { toGatewayError, type ErrorSurface } from '../../../src/azure/errors';
import { LOG_BLOB_NAME, LOG_CONTAINER, MAIN_RESOURCE_GROUP, DEV_RESOURCE_GROUP, SANDBOX_SUBSCRIPTION_ID } from '../../../src/sandbox/constants';
import { createdRecord } from '../../../src/sandbox/emulator/arm-router';
import { ArmError } from '../../../src/sandbox/emulator/arm-errors';
import { applyUpdate, parseUpdate } from '../../../src/sandbox/emulator/template-update';
import { validateTemplateBody } from '../../../src/sandbox/emulator/template-validation';
import { LOG_SHARE, renderLog, renderMessage, subStatesFor, type RunIds, type RunMachine } from '../../../src/sandbox/emulator/run-machine';
import { runOutputJson, runOutputsFor, templateId, templateJson } from '../../../src/sandbox/emulator/template-json';
import type { RunSubState, TemplateRecord } from '../../../src/sandbox/emulator/template-record';
import { TemplateStore } from '../../../src/sandbox/emulator/template-store';
import { defaultFaultCode, defaultFaultMessage } from '../../../src/sandbox/faults';
import { newGuid } from '../../../src/sandbox/ids';
import { partialLog } from '../../../src/sandbox/log';
import { ALL_SCENARIOS } from '../../../src/sandbox/scenarios';
import { seedScenario } from '../../../src/sandbox/seed';

// The sandbox's seeded world without its processes: every scenario's template record and log, held in memory and
// served through the AzureGateways interface. Builds move on reads, not on a clock — each get() of a running
// template advances it one sub-state — so a followed run passes through every step in order, deterministically.

export const SUB = SANDBOX_SUBSCRIPTION_ID;
export const id = (name: string, rg = MAIN_RESOURCE_GROUP) => templateId(SUB, rg, name);

export interface Fault {
  surface: ErrorSurface;
  status: number;
  /** HTTP method the real call would use: GET for reads and lists, POST for run/cancel, DELETE, PUT for create. */
  method?: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';
  /** Matched against the template name (ARM) or the blob path (logs). */
  nameIncludes?: string;
  code?: string;
  retryAfterSeconds?: number;
}

interface ActiveRun {
  ids: RunIds;
  subStates: RunSubState[];
  index: number;
  fullLog: string | null;
  /** Seeded builds already under way stay where they are: nobody in a test is waiting for hours. */
  frozen: boolean;
  canceling?: boolean;
}

export interface SeededAzure {
  gateways: AzureGateways;
  store: TemplateStore;
  /** Injected answers, like the sandbox's fault book; cleared by `faults.length = 0`. */
  faults: Fault[];
  /** Template names of the mutating calls made, in order ("run x", "delete x", "create x", "cancel x"). */
  calls: string[];
  /** A change made outside the bot (the portal, another pipeline): starts a build without going through it. */
  startBuildElsewhere(name: string, rg?: string): void;
  removeElsewhere(name: string, rg?: string): void;
}

export async function seededAzure(): Promise<SeededAzure> {
  const store = new TemplateStore([MAIN_RESOURCE_GROUP, DEV_RESOURCE_GROUP], Array.from({ length: 40 }, (_, i) => `aibspare${String(i).padStart(4, '0')}`));
  const blobs = new Map<string, string>();
  const blobKey = (account: string, path: string) => `${account}/${path}`.toLowerCase();
  const logs = {
    prepare: async () => undefined,
    put: async (account: string, folder: string, content: string, blobName: string = LOG_BLOB_NAME) => void blobs.set(blobKey(account, `${folder}/${blobName}`), content),
    removeAll: async (account: string) => {
      for (const k of [...blobs.keys()]) if (k.startsWith(`${account.toLowerCase()}/`)) blobs.delete(k);
    },
  };
  const runs = new Map<TemplateRecord, ActiveRun>();
  const seedRuns = {
    resume(t: TemplateRecord, subState: RunSubState, ids: RunIds, start: Date): string | null {
      const spec = t.plan.outcome === 'refuse' ? null : t.plan.log;
      const subStates = subStatesFor(t);
      const fullLog = spec ? renderLog(spec, t, ids, start) : null;
      runs.set(t, { ids, subStates, index: Math.max(0, subStates.indexOf(subState)), fullLog, frozen: true });
      t.lastRunStatus = { startTime: start.toISOString(), runState: 'Running', runSubState: subState, message: '' };
      return fullLog ? partialLog(fullLog, LOG_SHARE[subState] ?? 0.5) : null;
    },
  } as unknown as RunMachine;
  const now = new Date();
  let index = 0;
  for (const s of ALL_SCENARIOS) await seedScenario(s, { store, runs: seedRuns, logs, subscriptionId: SUB, now, bigLogs: false }, index++);

  const faults: Fault[] = [];
  const calls: string[] = [];

  function fault(surface: ErrorSurface, method: Fault['method'], subject: string, resource: string): void {
    const f = faults.find((x) => x.surface === surface && (!x.method || x.method === method) && (!x.nameIncludes || subject.includes(x.nameIncludes)));
    if (!f) return;
    const path = surface === 'arm' ? resource : `/${subject}`;
    const code = f.code ?? defaultFaultCode(surface === 'arm' ? 'arm' : 'blob', f.status);
    const message = defaultFaultMessage(surface === 'arm' ? 'arm' : 'blob', f.status, method, path);
    const headers = new Map(f.retryAfterSeconds ? [['retry-after', String(f.retryAfterSeconds)]] : []);
    // Shaped like the RestError the SDKs throw, so the production mapping (toGatewayError) decides the code.
    throw { name: 'RestError', statusCode: f.status, message, code, details: { error: { code, message } }, response: { status: f.status, headers: { get: (h: string) => headers.get(h.toLowerCase()) } } };
  }

  function armCall<T>(method: Fault['method'], name: string, rg: string, requiredAction: string, fn: () => T): T {
    const resource = id(name, rg);
    try {
      fault('arm', method, name, resource);
      return fn();
    } catch (e) {
      throw toGatewayError(e, { surface: 'arm', resource, requiredAction });
    }
  }

  function record(rg: string, name: string): TemplateRecord {
    const t = store.get(rg, name);
    if (!t) throw { name: 'RestError', statusCode: 404, message: `The Resource 'Microsoft.VirtualMachineImages/imageTemplates/${name}' under resource group '${rg}' was not found.`, details: { error: { code: 'ResourceNotFound' } } };
    return t;
  }

  function notAllowed(message: string): never {
    throw { name: 'RestError', statusCode: 409, message, details: { error: { code: 'OperationNotAllowed', message } } };
  }

  /** One read's worth of progress for a build the bot (or a test) started. */
  async function advance(t: TemplateRecord): Promise<void> {
    const run = runs.get(t);
    if (!run || run.frozen && !run.canceling) return;
    const status = t.lastRunStatus!;
    if (run.canceling) {
      runs.delete(t);
      t.lastRunStatus = { ...status, runState: 'Canceled', endTime: new Date().toISOString(), message: 'The image build was canceled by a user request.' };
      return;
    }
    const finished = run.subStates[run.index];
    const plan = t.plan;
    if (plan.outcome === 'fail' && finished === plan.atSubState) {
      if (run.fullLog) await logs.put(t.storageAccount, run.ids.folder, run.fullLog);
      runs.delete(t);
      t.lastRunStatus = { ...status, runState: 'Failed', endTime: new Date().toISOString(), message: renderMessage(plan.message, t, SUB, run.ids) };
      return;
    }
    run.index += 1;
    if (run.index >= run.subStates.length) {
      if (run.fullLog) await logs.put(t.storageAccount, run.ids.folder, run.fullLog);
      runs.delete(t);
      t.runOutputs = runOutputsFor(t, SUB, run.ids.packerRunId);
      t.lastRunStatus = { ...status, runState: 'Succeeded', endTime: new Date().toISOString(), message: '' };
      return;
    }
    const next = run.subStates[run.index];
    if (run.fullLog && LOG_SHARE[next] !== undefined) await logs.put(t.storageAccount, run.ids.folder, partialLog(run.fullLog, LOG_SHARE[next]!));
    t.lastRunStatus = { ...status, runSubState: next };
  }

  function startRun(t: TemplateRecord): void {
    if (t.plan.outcome === 'refuse') notAllowed(t.plan.reason);
    if (runs.has(t)) notAllowed(`Image template '${t.name}' already has a build in progress; cancel it or wait for it to finish.`);
    const ids: RunIds = { folder: newGuid(), packerRunId: newGuid() };
    t.logFolders.push(ids.folder);
    const fullLog = t.plan.log ? renderLog(t.plan.log, t, ids, new Date()) : null;
    runs.set(t, { ids, subStates: subStatesFor(t), index: 0, fullLog, frozen: false });
    t.lastRunStatus = { startTime: new Date().toISOString(), runState: 'Running', runSubState: 'Queued', message: '' };
  }

  const all = (rg?: string) => store.list(rg).map((t) => toImageTemplate(t));

  const templates: TemplateGateway = {
    async get(rg, name) {
      const t = armCall('GET', name, rg, REQUIRED_ACTION.getTemplate, () => record(rg, name));
      const seen = toImageTemplate(t);
      await advance(t);
      return seen;
    },
    async *pages(options = {}) {
      yield armCall('GET', '', options.resourceGroup ?? '', REQUIRED_ACTION.listTemplates, () => all(options.resourceGroup));
    },
    async list(options = {}) {
      const everything = armCall('GET', '', options.resourceGroup ?? '', REQUIRED_ACTION.listTemplates, () => all(options.resourceGroup));
      const max = options.max ?? 1000;
      return { templates: everything.slice(0, max), truncated: everything.length > max };
    },
    async findByName(name, scope = {}) {
      const groups = scope.resourceGroups ?? [];
      const everything = armCall('GET', '', '', REQUIRED_ACTION.listTemplates, () => (groups.length ? groups.flatMap((g) => all(g)) : all()));
      scope.onListed?.(everything);
      const exact = everything.filter((t) => t.name!.toLowerCase() === name.toLowerCase());
      if (exact.length === 1) return { kind: 'found', template: exact[0], resourceGroup: groupOfId(exact[0].id!) };
      if (exact.length > 1) return { kind: 'ambiguous', candidates: exact };
      return { kind: 'not-found', nearMisses: nearMisses(name, everything.map((t) => t.name!)) };
    },
    async run(rg, name) {
      armCall('POST', name, rg, REQUIRED_ACTION.runTemplate, () => startRun(record(rg, name)));
      calls.push(`run ${name}`);
      return { resourceGroup: rg, name, status: 'running', acceptedAt: new Date() };
    },
    async cancel(rg, name) {
      armCall('POST', name, rg, REQUIRED_ACTION.cancelRun, () => {
        const t = record(rg, name);
        const run = runs.get(t);
        if (!run || t.lastRunStatus?.runState !== 'Running') notAllowed(`Image template '${name}' has no build in progress to cancel.`);
        run.canceling = true;
        t.lastRunStatus = { ...t.lastRunStatus!, runState: 'Canceling' };
      });
      calls.push(`cancel ${name}`);
      return { resourceGroup: rg, name, status: 'running', acceptedAt: new Date() };
    },
    async delete(rg, name, options = {}) {
      const t = armCall('DELETE', name, rg, REQUIRED_ACTION.deleteTemplate, () => record(rg, name));
      calls.push(`delete ${name}`);
      options.onProgress?.({ status: 'running' });
      runs.delete(t);
      store.remove(t);
      await logs.removeAll(t.storageAccount);
      options.onProgress?.({ status: 'succeeded' });
    },
    async create(rg, name, template) {
      const created = armCall('PUT', name, rg, REQUIRED_ACTION.createTemplate, () => {
        if (store.get(rg, name)) throw { name: 'RestError', statusCode: 409, message: `Image template '${name}' exists`, details: { error: { code: 'Conflict' } } };
        return fromImageTemplate(template, rg, name, store.takeAccount());
      });
      calls.push(`create ${name}`);
      store.add(created);
      return toImageTemplate(created);
    },
    async update(rg, name, parameters) {
      const t = armCall('PATCH', name, rg, REQUIRED_ACTION.updateTemplate, () => {
        const t = record(rg, name);
        // The emulator's own PATCH rules, applied at once instead of after a long-running operation.
        const u = parseUpdate(t, JSON.parse(JSON.stringify({ tags: parameters.tags, identity: parameters.identity, properties: parameters.properties })));
        if (runs.has(t)) notAllowed(`Image template '${t.name}' cannot be updated while a build is in progress.`);
        applyUpdate(t, u);
        return t;
      });
      calls.push(`update ${name}`);
      return toImageTemplate(t);
    },
    async resizeVm(rg, name, request) {
      const current = toImageTemplate(armCall('GET', name, rg, REQUIRED_ACTION.getTemplate, () => record(rg, name)));
      const vmProfile = { ...(current.vmProfile ?? {}), vmSize: request.vmSize, ...(request.osDiskSizeGB !== undefined ? { osDiskSizeGB: request.osDiskSizeGB } : {}) };
      return templates.update(rg, name, { properties: { vmProfile } });
    },
    async triggers(rg, name) {
      const t = armCall('GET', name, rg, REQUIRED_ACTION.readTriggers, () => record(rg, name));
      return (t.triggers ?? []).map((tr) => ({ name: tr.name, kind: tr.kind, statusCode: tr.status.code, statusMessage: tr.status.message, statusTime: new Date(tr.status.time), provisioningState: tr.provisioningState }));
    },
    async trigger(rg, name, triggerName) {
      const found = (await templates.triggers(rg, name)).find((tr) => tr.name.toLowerCase() === triggerName.toLowerCase());
      if (!found) throw new AzureGatewayError('not-found', `The trigger '${triggerName}' of image template '${name}' was not found.`, { status: 404, serviceCode: 'ResourceNotFound' });
      return found;
    },
    async runOutputs(rg, name) {
      const t = armCall('GET', name, rg, REQUIRED_ACTION.listRunOutputs, () => record(rg, name));
      return t.runOutputs.map((o) => {
        const json = runOutputJson(t, o, SUB) as { properties: Record<string, unknown> };
        return { ...json, ...json.properties } as never;
      });
    },
  };

  function blobCall<T>(location: LogLocation, fn: () => T): T {
    const path = `${location.account}/${location.container}/${location.blobPath}`;
    try {
      fault('blob', 'GET', path, path);
      const text = blobs.get(blobKey(location.account, location.blobPath));
      if (text === undefined) throw { name: 'RestError', statusCode: 404, message: 'The specified blob does not exist.', details: { error: { code: 'BlobNotFound' } } };
      return fn();
    } catch (e) {
      throw toGatewayError(e, { surface: 'blob', resource: path, requiredAction: REQUIRED_ACTION.readLog, stagingResourceGroup: location.stagingResourceGroup });
    }
  }
  const bytesOf = (location: LogLocation) => Buffer.from(blobs.get(blobKey(location.account, location.blobPath)) ?? '', 'utf8');
  const chunks = (buf: Buffer): AsyncIterable<Buffer> => Readable.from([buf].filter((b) => b.length));

  const logGateway: BuildLogGateway = {
    async locate(template) {
      const fromStatus = locateFromStatus(template);
      if (fromStatus) return fromStatus;
      const owner = store.list().find((t) => template.id && id(t.name, t.resourceGroup).toLowerCase() === template.id.toLowerCase());
      const folder = owner?.logFolders.at(-1);
      if (!owner || !folder) throw new AzureGatewayError('log-location-unknown', 'The template status names no log and no build has written one yet.', { resource: template.id });
      return { account: owner.storageAccount, container: LOG_CONTAINER, blobPath: `${folder}/${LOG_BLOB_NAME}`, source: 'staging-group', stagingResourceGroup: owner.stagingGroup } as LogLocation;
    },
    async tail(location, bytes) {
      return blobCall(location, () => {
        const all = bytesOf(location);
        const offset = Math.max(0, all.length - Math.max(0, Math.floor(bytes)));
        return { chunks: chunks(all.subarray(offset)), size: all.length, offset, partial: offset > 0 };
      });
    },
    async stream(location, options) {
      return blobCall(location, () => {
        const all = bytesOf(location);
        const n = Math.min(all.length, Math.max(0, Math.floor(options.maxBytes)));
        return { chunks: chunks(all.subarray(0, n)), size: all.length, bytes: n, partial: all.length > n };
      });
    },
    async size(location) {
      return blobCall(location, () => bytesOf(location).length);
    },
    async locateValidation(template) {
      const v = validationLogOf(await logGateway.locate(template));
      return blobs.has(blobKey(v.account, v.blobPath)) ? v : undefined;
    },
  };

  const ownerOf = (template: { id?: string }) => store.list().find((t) => template.id && id(t.name, t.resourceGroup).toLowerCase() === template.id.toLowerCase());
  const staging: StagingGateway = {
    async resources(template) {
      const t = ownerOf(template);
      if (!t) return [];
      const group = `/subscriptions/${SUB}/resourceGroups/${t.stagingGroup}/providers`;
      return [{ type: 'Microsoft.Storage/storageAccounts', name: t.storageAccount }, ...(t.stagingResources ?? [])].map((r) => ({ ...r, id: `${group}/${r.type}/${r.name}` }));
    },
    async buildContainer(template) {
      return (await staging.resources(template)).find((r) => r.name.startsWith(BUILD_CONTAINER_PREFIX));
    },
    async keptResources(template) {
      const all = await staging.resources(template);
      const deletable = all.filter((r) => r.type !== 'Microsoft.Storage/storageAccounts');
      return { stagingResourceGroup: ownerOf(template)?.stagingGroup ?? '', deletable, kept: all.filter((r) => !deletable.includes(r)) };
    },
    async cleanupKept(template, options = {}) {
      const t = ownerOf(template);
      const plan = await staging.keptResources(template);
      const deleted = plan.deletable.filter((r) => !options.only || options.only.includes(r.id));
      if (t) t.stagingResources = (t.stagingResources ?? []).filter((r) => !deleted.some((d) => d.name === r.name && d.type === r.type));
      calls.push(`cleanup ${t?.name ?? '?'}`);
      return { stagingResourceGroup: plan.stagingResourceGroup, deleted, kept: [...plan.kept, ...plan.deletable.filter((r) => !deleted.includes(r))] };
    },
  };
  const galleries: GalleryGateway = {
    async replication(versionId) {
      const v = store.galleryVersion(versionId);
      if (!v) throw new AzureGatewayError('not-found', `${versionId} was not found.`, { status: 404, serviceCode: 'ResourceNotFound' });
      const regions = v.summary.map((r) => ({ ...r }));
      return {
        versionId,
        aggregatedState: v.aggregatedState,
        regions,
        failedRegions: regions.filter((r) => r.state === 'Failed').map((r) => r.region),
        replicatingRegions: regions.filter((r) => r.state === 'Replicating').map((r) => r.region),
      };
    },
  };

  return {
    gateways: { kind: 'sandbox', templates, logs: logGateway, galleries, staging, subscriptionId: SUB, resourceGroups: [] },
    store,
    faults,
    calls,
    startBuildElsewhere(name, rg = MAIN_RESOURCE_GROUP) {
      startRun(store.get(rg, name)!);
      runs.get(store.get(rg, name)!)!.frozen = true;
    },
    removeElsewhere(name, rg = MAIN_RESOURCE_GROUP) {
      store.remove(store.get(rg, name)!);
    },
  };
}

function groupOfId(templateIdValue: string): string {
  return /\/resourceGroups\/([^/]+)\//i.exec(templateIdValue)![1];
}

/** ARM JSON flattened the way @azure/arm-imagebuilder deserializes it: properties lifted, dates as Date. */
function toImageTemplate(t: TemplateRecord): ImageTemplate {
  const json = structuredClone(templateJson(t, SUB)) as Record<string, any>;
  const { properties, ...rest } = json;
  const out: Record<string, any> = { ...rest, ...properties };
  if (out.lastRunStatus) {
    out.lastRunStatus.startTime = out.lastRunStatus.startTime ? new Date(out.lastRunStatus.startTime) : undefined;
    out.lastRunStatus.endTime = out.lastRunStatus.endTime ? new Date(out.lastRunStatus.endTime) : undefined;
  }
  return out as ImageTemplate;
}

/**
 * A create's body back into a record, as the emulator's PUT does it: the wire body validated by the emulator's own
 * rules, read-only fields dropped, and a plan that succeeds (a recreated template no longer carries its scenario).
 */
function fromImageTemplate(template: ImageTemplate, rg: string, name: string, account: string): TemplateRecord {
  const flat = structuredClone(template) as Record<string, any>;
  const { id: _id, name: _n, type: _t, location, tags, identity, systemData: _s, provisioningState: _p, provisioningError: _e, lastRunStatus: _l, exactStagingResourceGroup: _x, ...properties } = flat;
  let body;
  try {
    body = validateTemplateBody({ location, tags, identity, properties });
  } catch (e) {
    if (!(e instanceof ArmError)) throw e;
    throw { name: 'RestError', statusCode: e.status, message: e.message, details: { error: { code: e.code, message: e.message } } };
  }
  return createdRecord(body, rg, name, account, 'Succeeded');
}
