import type { ImageBuilderClient, ImageTemplate, ImageTemplateUpdateParameters, RunOutput, Trigger } from '@azure/arm-imagebuilder';
import { distance as levenshtein } from 'fastest-levenshtein';
import type { GatewayTuning } from './clients';
import { AzureGatewayError, toGatewayError } from './errors';
import { checkResourceGroupName, checkRunOutputName, checkTemplateName, templateCoordinates } from './names';
import { REQUIRED_ACTION, type GatewayOperation } from './permissions';

export type { ImageTemplate, ImageTemplateUpdateParameters, RunOutput, Trigger };

/** A trigger as the status view needs it; the SDK keeps kind and status under `properties`. */
export interface TriggerInfo {
  name: string;
  kind: string;
  /** `Healthy` in the spec's example; anything else means the trigger is not firing. */
  statusCode?: string;
  statusMessage?: string;
  statusTime?: Date;
  provisioningState?: string;
}

export interface ResizeRequest {
  vmSize: string;
  /** Left as it is when absent. */
  osDiskSizeGB?: number;
}

/** State of an ARM long-running operation as core-lro reports it. */
export type OperationStatus = 'notStarted' | 'running' | 'succeeded' | 'failed' | 'canceled';

export interface RunAccepted {
  resourceGroup: string;
  name: string;
  /** `running` in the normal case; the build's progress is then read from `lastRunStatus` through get(). */
  status: OperationStatus;
  acceptedAt: Date;
}

export interface DeleteProgress {
  status: OperationStatus;
}

export type FindResult =
  | { kind: 'found'; template: ImageTemplate; resourceGroup: string }
  | { kind: 'ambiguous'; candidates: ImageTemplate[] }
  | { kind: 'not-found'; nearMisses: string[] };

export interface FindScope {
  /** Resource groups to search; empty or absent means the whole subscription. */
  resourceGroups?: string[];
  /** Receives everything the search listed, so a caller can remember where names live without listing again. */
  onListed?: (templates: readonly ImageTemplate[]) => void;
}

export interface ListOptions {
  resourceGroup?: string;
  /** Stop after this many templates and report `truncated`. */
  max?: number;
}

export interface TemplateList {
  templates: ImageTemplate[];
  truncated: boolean;
}

export interface TemplateGateway {
  get(resourceGroup: string, name: string): Promise<ImageTemplate>;
  /** Page by page, as ARM pages them (nextLink). */
  pages(options?: { resourceGroup?: string }): AsyncIterable<ImageTemplate[]>;
  /** All templates of the subscription or one group, up to `max` (default 1000). */
  list(options?: ListOptions): Promise<TemplateList>;
  findByName(name: string, scope?: FindScope): Promise<FindResult>;
  /** Starts a build and returns as soon as ARM accepted it; it does not wait for the build. */
  run(resourceGroup: string, name: string): Promise<RunAccepted>;
  /** Asks ARM to cancel the running build and returns once accepted; `lastRunStatus.runState` shows the outcome. */
  cancel(resourceGroup: string, name: string): Promise<RunAccepted>;
  /** Deletes the template (and, with it, its staging group and logs), waiting for the operation to end. */
  delete(resourceGroup: string, name: string, options?: { onProgress?: (progress: DeleteProgress) => void }): Promise<void>;
  /** Submits a new template and waits until ARM has created it. An existing name fails with `conflict`. */
  create(resourceGroup: string, name: string, template: ImageTemplate): Promise<ImageTemplate>;
  runOutputs(resourceGroup: string, name: string): Promise<RunOutput[]>;
  /**
   * PATCH (API 2024-02-01 and later): tags, identity, vmProfile and distribute only. Waits for the operation and
   * returns the template as it is afterwards; the template keeps its name, id and run history throughout.
   */
  update(resourceGroup: string, name: string, parameters: ImageTemplateUpdateParameters): Promise<ImageTemplate>;
  /** A larger (or smaller) build VM in place: the current vmProfile with a new size, through update(). */
  resizeVm(resourceGroup: string, name: string, request: ResizeRequest): Promise<ImageTemplate>;
  triggers(resourceGroup: string, name: string): Promise<TriggerInfo[]>;
  trigger(resourceGroup: string, name: string, triggerName: string): Promise<TriggerInfo>;
}

const DEFAULT_LIST_MAX = 1000;
const TRIGGERS_MAX = 100;
/** Azure VM size names: Standard_D4ds_v5, Basic_A1… (letters, digits, underscores). */
const VM_SIZE = /^[A-Za-z][A-Za-z0-9_]{1,63}$/;

function triggerInfo(t: Trigger): TriggerInfo {
  const p = (t.properties ?? {}) as { kind?: string; status?: { code?: string; message?: string; time?: Date }; provisioningState?: string };
  return {
    name: t.name ?? '',
    kind: p.kind ?? 'SourceImage',
    statusCode: p.status?.code,
    statusMessage: p.status?.message,
    statusTime: p.status?.time,
    provisioningState: p.provisioningState,
  };
}
const RUN_OUTPUTS_MAX = 200;
const NEAR_MISS_DISTANCE = 3;
const NEAR_MISS_COUNT = 5;

export function createTemplateGateway(
  client: ImageBuilderClient,
  configuredResourceGroups: readonly string[],
  tuning: Pick<GatewayTuning, 'pollIntervalMs'>,
): TemplateGateway {
  const ops = client.virtualMachineImageTemplates;
  const lro = { updateIntervalInMs: tuning.pollIntervalMs };

  async function call<T>(operation: GatewayOperation, resource: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw toGatewayError(e, { surface: 'arm', resource, requiredAction: REQUIRED_ACTION[operation] });
    }
  }

  function checked(resourceGroup: string, name: string): [string, string, string] {
    const rg = checkResourceGroupName(resourceGroup);
    const n = checkTemplateName(name);
    return [rg, n, `${rg}/${n}`];
  }

  async function* pages(options: { resourceGroup?: string } = {}): AsyncIterable<ImageTemplate[]> {
    const rg = options.resourceGroup === undefined ? undefined : checkResourceGroupName(options.resourceGroup);
    const source = rg === undefined ? ops.list() : ops.listByResourceGroup(rg);
    const iterator = source.byPage()[Symbol.asyncIterator]();
    for (;;) {
      const next = await call('listTemplates', rg ?? 'subscription', () => iterator.next());
      if (next.done) return;
      yield [...next.value];
    }
  }

  async function list(options: ListOptions = {}): Promise<TemplateList> {
    const max = options.max ?? DEFAULT_LIST_MAX;
    const templates: ImageTemplate[] = [];
    for await (const page of pages({ resourceGroup: options.resourceGroup })) {
      for (const template of page) {
        if (templates.length >= max) return { templates, truncated: true };
        templates.push(template);
      }
    }
    return { templates, truncated: false };
  }

  async function findByName(name: string, scope: FindScope = {}): Promise<FindResult> {
    checkTemplateName(name);
    const groups = scope.resourceGroups ?? configuredResourceGroups;
    const everything: ImageTemplate[] = [];
    if (groups.length === 0) {
      everything.push(...(await list()).templates);
    } else {
      for (const rg of groups) everything.push(...(await list({ resourceGroup: rg })).templates);
    }
    scope.onListed?.(everything);
    const wanted = name.toLowerCase();
    const exact = everything.filter((t) => t.name?.toLowerCase() === wanted);
    if (exact.length === 1) {
      const template = exact[0];
      const resourceGroup = templateCoordinates(template)?.resourceGroup ?? groups[0] ?? '';
      return { kind: 'found', template, resourceGroup };
    }
    if (exact.length > 1) return { kind: 'ambiguous', candidates: exact };
    return { kind: 'not-found', nearMisses: nearMisses(name, everything.map((t) => t.name ?? '')) };
  }

  const run = (resourceGroup: string, name: string) => submitted('runTemplate', resourceGroup, name, (rg, n) => ops.run(rg, n, lro));
  const cancel = (resourceGroup: string, name: string) => submitted('cancelRun', resourceGroup, name, (rg, n) => ops.cancel(rg, n, lro));

  /**
   * Starts a run or a cancel and answers once ARM accepted the POST. The run poller only settles when the build ends
   * (hours), so the poller is dropped without ever being awaited, and never polls.
   */
  async function submitted(
    operation: 'runTemplate' | 'cancelRun',
    resourceGroup: string,
    name: string,
    begin: (rg: string, n: string) => ReturnType<typeof ops.run>,
  ): Promise<RunAccepted> {
    const [rg, n, resource] = checked(resourceGroup, name);
    return call(operation, resource, async () => {
      const poller = begin(rg, n);
      await poller.submitted();
      return { resourceGroup: rg, name: n, status: poller.operationState?.status ?? 'running', acceptedAt: new Date() };
    });
  }

  async function remove(
    resourceGroup: string,
    name: string,
    options: { onProgress?: (progress: DeleteProgress) => void } = {},
  ): Promise<void> {
    const [rg, n, resource] = checked(resourceGroup, name);
    await call('deleteTemplate', resource, async () => {
      const poller = ops.delete(rg, n, lro);
      const onProgress = options.onProgress;
      if (onProgress) poller.onProgress((state) => onProgress({ status: state.status }));
      await poller.pollUntilDone();
    });
  }

  async function create(resourceGroup: string, name: string, template: ImageTemplate): Promise<ImageTemplate> {
    const [rg, n, resource] = checked(resourceGroup, name);
    return call('createTemplate', resource, () => ops.createOrUpdate(rg, n, template, lro).pollUntilDone());
  }

  async function runOutputs(resourceGroup: string, name: string): Promise<RunOutput[]> {
    const [rg, n, resource] = checked(resourceGroup, name);
    return call('listRunOutputs', resource, async () => {
      const out: RunOutput[] = [];
      for await (const output of ops.listRunOutputs(rg, n)) {
        out.push(output);
        if (out.length >= RUN_OUTPUTS_MAX) break;
      }
      return out;
    });
  }

  async function update(resourceGroup: string, name: string, parameters: ImageTemplateUpdateParameters): Promise<ImageTemplate> {
    const [rg, n, resource] = checked(resourceGroup, name);
    return call('updateTemplate', resource, () => ops.update(rg, n, parameters, lro).pollUntilDone());
  }

  async function resizeVm(resourceGroup: string, name: string, request: ResizeRequest): Promise<ImageTemplate> {
    if (!VM_SIZE.test(request.vmSize)) {
      throw new AzureGatewayError('invalid-name', `"${request.vmSize}" is not an Azure VM size name (for example Standard_D4ds_v5).`, {
        invalidValue: request.vmSize,
      });
    }
    if (request.osDiskSizeGB !== undefined && (!Number.isInteger(request.osDiskSizeGB) || request.osDiskSizeGB < 0)) {
      throw new AzureGatewayError('invalid-name', `The OS disk size must be a whole number of GB, got ${request.osDiskSizeGB}.`, {
        invalidValue: String(request.osDiskSizeGB),
      });
    }
    const [rg, n, resource] = checked(resourceGroup, name);
    const current = await call('getTemplate', resource, () => ops.get(rg, n));
    // PATCH replaces vmProfile as a whole: keep the identities and the VNet the build VM already has.
    const vmProfile = { ...(current.vmProfile ?? {}), vmSize: request.vmSize };
    if (request.osDiskSizeGB !== undefined) vmProfile.osDiskSizeGB = request.osDiskSizeGB;
    return update(rg, n, { properties: { vmProfile } });
  }

  async function triggers(resourceGroup: string, name: string): Promise<TriggerInfo[]> {
    const [rg, n, resource] = checked(resourceGroup, name);
    return call('readTriggers', resource, async () => {
      const out: TriggerInfo[] = [];
      for await (const t of client.triggers.listByImageTemplate(rg, n)) {
        out.push(triggerInfo(t));
        if (out.length >= TRIGGERS_MAX) break;
      }
      return out;
    });
  }

  async function trigger(resourceGroup: string, name: string, triggerName: string): Promise<TriggerInfo> {
    const [rg, n, resource] = checked(resourceGroup, name);
    const tn = checkRunOutputName(triggerName);
    return call('readTriggers', `${resource}/triggers/${tn}`, async () => triggerInfo(await client.triggers.get(rg, n, tn)));
  }

  return {
    update,
    resizeVm,
    triggers,
    trigger,
    get: async (resourceGroup, name) => {
      const [rg, n, resource] = checked(resourceGroup, name);
      return call('getTemplate', resource, () => ops.get(rg, n));
    },
    pages,
    list,
    findByName,
    run,
    cancel,
    delete: remove,
    create,
    runOutputs,
  };
}

/**
 * Names close to what was asked for, best first: edit distance ≤ 3 (case-insensitive), or one name a prefix of
 * the other ("win2022" for "win2022-base"). Duplicates across resource groups appear once.
 */
export function nearMisses(query: string, names: readonly string[]): string[] {
  const q = query.toLowerCase();
  const scored = new Map<string, number>();
  for (const name of names) {
    if (!name || scored.has(name)) continue;
    const candidate = name.toLowerCase();
    const distance = editDistance(q, candidate, NEAR_MISS_DISTANCE);
    const prefix = q.length >= 3 && (candidate.startsWith(q) || q.startsWith(candidate));
    if (distance <= NEAR_MISS_DISTANCE) scored.set(name, distance);
    else if (prefix) scored.set(name, NEAR_MISS_DISTANCE + Math.abs(candidate.length - q.length) / 1000 + 0.5);
  }
  return [...scored.entries()]
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, NEAR_MISS_COUNT)
    .map(([name]) => name);
}

/** Levenshtein distance (fastest-levenshtein), reported as `limit + 1` when it is over `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  // The length difference is a lower bound: names far apart in length are not compared at all.
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const d = levenshtein(a, b);
  return d > limit ? limit + 1 : d;
}
