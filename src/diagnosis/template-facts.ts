// What a template says about the Image Builder features of API versions 2022-02-14 … 2025-10-01, for the status
// view and the JSON output: autoRun, managedResourceTags, optimize, vnetConfig, targetRegions, versioning, data
// disks, validation, errorHandling, plus the facts that need more than the template (triggers, what the staging
// group holds, run outputs). PURE: it takes plain JSON, as ARM returns it (`properties` nested) or as the SDK
// flattens it, and never calls anything.

export type FeatureState = 'Enabled' | 'Disabled';
export type OnBuildError = 'cleanup' | 'abort';

export interface DistributionTargetFacts {
  runOutputName: string;
  type: string;
  /** Gallery: targetRegions, or the deprecated replicationRegions; managed image: its location. */
  regions: { name: string; replicaCount?: number; storageAccountType?: string }[];
  /** True when the regions came from the deprecated replicationRegions. */
  deprecatedRegions: boolean;
  versioning?: { scheme: string; major?: number };
  replicationMode?: string;
  /** From the run outputs (Succeeded / Failed), when they were given. */
  outcome?: string;
  artifactId?: string;
}

export interface TriggerFacts {
  name: string;
  kind: string;
  statusCode?: string;
  statusMessage?: string;
  /** Anything but Healthy: Image Builder stops firing it (it disables one after repeated failed builds). */
  disabled: boolean;
}

export interface KeptResourceFacts {
  /** True when errorHandling `abort` applied to the failed phase: the build VM and staging resources are kept. */
  kept: boolean;
  /** The phase setting that applied (onCustomizerError or onValidationError). */
  because?: 'onCustomizerError' | 'onValidationError';
  stagingResourceGroup?: string;
  /** What the staging group holds besides the log storage account, when a listing was given. */
  resources: { type: string; name: string }[];
}

export interface TemplateApiFacts {
  autoRun?: FeatureState;
  managedResourceTags: Record<string, string>;
  optimize: { vmBoot?: FeatureState; workload?: FeatureState };
  vmProfile: {
    vmSize?: string;
    osDiskSizeGB?: number;
    subnetId?: string;
    containerInstanceSubnetId?: string;
    proxyVmSize?: string;
  };
  additionalDataDiskSizesGB: number[];
  buildTimeoutInMinutes?: number;
  /** 0 (or unset) means the 4-hour default. */
  effectiveTimeoutMinutes: number;
  errorHandling: { onCustomizerError: OnBuildError | string; onValidationError: OnBuildError | string };
  validation?: {
    validators: { type: string; name?: string }[];
    continueDistributeOnFailure: boolean;
    sourceValidationOnly: boolean;
  };
  targets: DistributionTargetFacts[];
  run: {
    state?: string;
    subState?: string;
    inProgress: boolean;
    partiallySucceeded: boolean;
    /** runOutputName of each target that did not publish, from the run outputs or the `[Distribute i]` message parts. */
    failedTargets: string[];
    /** Why each of those failed, when the run message says (its `[Distribute i]` part, the ARM code and message first). */
    failureReasons: Record<string, string>;
    /** The run got to (or past) validation, so a validation.log exists beside customization.log. */
    reachedValidation: boolean;
  };
  kept: KeptResourceFacts;
  triggers: TriggerFacts[];
  disabledTriggers: string[];
  /** Name of the isolated build's container (vmimagebuilder-build-container-*) while the run is in progress. */
  buildContainer?: string;
}

/** What the caller may know beyond the template; every field optional. */
export interface TemplateApiExtras {
  triggers?: readonly { name: string; kind?: string; statusCode?: string; statusMessage?: string }[];
  stagingResources?: readonly { type: string; name: string }[];
  runOutputs?: readonly { name?: string; provisioningState?: string; artifactId?: string }[];
}

type Obj = Record<string, unknown>;

const DEFAULT_TIMEOUT_MINUTES = 240;
const BUILD_CONTAINER_PREFIX = 'vmimagebuilder-build-container-';
const STORAGE_ACCOUNT_TYPE = 'microsoft.storage/storageaccounts';

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function state(v: unknown): FeatureState | undefined {
  const s = isObj(v) ? v.state : undefined;
  return s === 'Enabled' || s === 'Disabled' ? s : undefined;
}

/** A template property whether ARM nested it under `properties` or the SDK flattened it. */
function prop(t: Obj, key: string): unknown {
  const p = isObj(t.properties) ? t.properties : undefined;
  return p && p[key] !== undefined ? p[key] : t[key];
}

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}

function targetFacts(d: Obj, outputs: TemplateApiExtras['runOutputs']): DistributionTargetFacts {
  const runOutputName = str(d.runOutputName) ?? '';
  const type = str(d.type) ?? 'unknown';
  const targetRegions = list(d.targetRegions).map((r) => ({
    name: str(r.name) ?? '',
    replicaCount: num(r.replicaCount),
    storageAccountType: str(r.storageAccountType),
  }));
  const legacy = Array.isArray(d.replicationRegions) ? d.replicationRegions.filter((r): r is string => typeof r === 'string') : [];
  const regions =
    targetRegions.length > 0
      ? targetRegions
      : legacy.length > 0
        ? legacy.map((name) => ({ name }))
        : str(d.location)
          ? [{ name: str(d.location)! }]
          : [];
  const v = isObj(d.versioning) ? d.versioning : undefined;
  const output = outputs?.find((o) => o.name === runOutputName);
  return {
    runOutputName,
    type,
    regions,
    deprecatedRegions: targetRegions.length === 0 && legacy.length > 0,
    ...(v && str(v.scheme) ? { versioning: { scheme: str(v.scheme)!, ...(num(v.major) !== undefined ? { major: num(v.major) } : {}) } } : {}),
    ...(str(d.replicationMode) ? { replicationMode: str(d.replicationMode) } : {}),
    ...(output?.provisioningState ? { outcome: output.provisioningState } : {}),
    ...(output?.artifactId ? { artifactId: output.artifactId } : {}),
  };
}

const MAX_REASON_CHARS = 400;
/** ARM's answer inside a distribution error: `Code="ResourceGroupNotFound" Message="Resource group 'x' could not be found."`. */
const ARM_CODE_MESSAGE = /Code=\\?"([A-Za-z0-9_.]{1,80})\\?"\s*Message=\\?"([^"\\]{1,300})/;

/** The `[Distribute i]` parts of a distribution message, by target name: the ARM code and message when present. */
function reasonsFromMessage(message: string | undefined, targets: DistributionTargetFacts[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!message) return out;
  const parts = message.slice(0, 20_000).split(/\[Distribute (\d+)\]/);
  // split with a capture group: [before, index, text, index, text, ...]
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const name = targets[Number(parts[i])]?.runOutputName;
    if (!name || out[name]) continue;
    const text = parts[i + 1].split(/\[Error \d+\]/)[0].replace(/[{}]/g, '').trim();
    const arm = ARM_CODE_MESSAGE.exec(text);
    out[name] = (arm ? `${arm[1]}: ${arm[2]}` : text).slice(0, MAX_REASON_CHARS);
  }
  return out;
}

/** `[Distribute 1]` in a distribution message points at the second target. */
function failedFromMessage(message: string | undefined, targets: DistributionTargetFacts[]): string[] {
  if (!message) return [];
  const out: string[] = [];
  for (const m of message.matchAll(/\[Distribute (\d+)\]/g)) {
    const name = targets[Number(m[1])]?.runOutputName;
    if (name && !out.includes(name)) out.push(name);
  }
  return out;
}

function groupName(id: string | undefined): string | undefined {
  const m = id ? /\/resourceGroups\/([^/]+)\/?$/i.exec(id) : null;
  return m ? m[1] : undefined;
}

/**
 * The errorHandling setting that made Image Builder keep the build VM and staging resources of a failed run
 * (`abort` for the phase the run failed in), or undefined when it cleaned up as usual.
 */
export function keptBecause(
  runState: string | undefined,
  subState: string | undefined,
  eh: { onCustomizerError?: string; onValidationError?: string } | undefined,
): 'onCustomizerError' | 'onValidationError' | undefined {
  if (runState !== 'Failed' || !eh) return undefined;
  if (subState === 'Customizing' && eh.onCustomizerError === 'abort') return 'onCustomizerError';
  if (subState === 'Validating' && eh.onValidationError === 'abort') return 'onValidationError';
  return undefined;
}

export function templateApiFacts(template: unknown, extras: TemplateApiExtras = {}): TemplateApiFacts {
  const t: Obj = isObj(template) ? template : {};
  const vm = isObj(prop(t, 'vmProfile')) ? (prop(t, 'vmProfile') as Obj) : {};
  const vnet = isObj(vm.vnetConfig) ? vm.vnetConfig : {};
  const optimize = isObj(prop(t, 'optimize')) ? (prop(t, 'optimize') as Obj) : {};
  const eh = isObj(prop(t, 'errorHandling')) ? (prop(t, 'errorHandling') as Obj) : {};
  const validate = isObj(prop(t, 'validate')) ? (prop(t, 'validate') as Obj) : undefined;
  const lrs = isObj(prop(t, 'lastRunStatus')) ? (prop(t, 'lastRunStatus') as Obj) : {};
  const tagsIn = prop(t, 'managedResourceTags');
  const timeout = num(prop(t, 'buildTimeoutInMinutes'));

  const targets = list(prop(t, 'distribute')).map((d) => targetFacts(d, extras.runOutputs));
  const runState = str(lrs.runState);
  const subState = str(lrs.runSubState);
  const inProgress = runState === 'Running' || runState === 'Canceling';
  const fromOutputs = targets.filter((x) => x.outcome === 'Failed').map((x) => x.runOutputName);
  const failedTargets =
    runState === 'PartiallySucceeded' || (runState === 'Failed' && subState === 'Distributing')
      ? [...new Set([...fromOutputs, ...failedFromMessage(str(lrs.message), targets)])]
      : [];

  const errorHandling = { onCustomizerError: str(eh.onCustomizerError) ?? 'cleanup', onValidationError: str(eh.onValidationError) ?? 'cleanup' };
  const because = keptBecause(runState, subState, errorHandling);
  const others = (extras.stagingResources ?? []).filter((r) => r.type.toLowerCase() !== STORAGE_ACCOUNT_TYPE).map((r) => ({ type: r.type, name: r.name }));

  const triggers: TriggerFacts[] = (extras.triggers ?? []).map((tr) => ({
    name: tr.name,
    kind: tr.kind ?? 'SourceImage',
    statusCode: tr.statusCode,
    statusMessage: tr.statusMessage,
    disabled: tr.statusCode !== undefined && tr.statusCode !== 'Healthy',
  }));
  const container = inProgress
    ? others.find((r) => r.type.toLowerCase() === 'microsoft.containerinstance/containergroups' && r.name.startsWith(BUILD_CONTAINER_PREFIX))
    : undefined;

  const managedResourceTags: Record<string, string> = {};
  if (isObj(tagsIn)) for (const [k, v] of Object.entries(tagsIn)) if (typeof v === 'string') managedResourceTags[k] = v;
  const autoRun = state(prop(t, 'autoRun'));
  const vmBoot = state(optimize.vmBoot);
  const workload = state(optimize.workload);
  const sizes = list(prop(t, 'additionalDataDisks')).map((d) => num(d.sizeGB)).filter((n): n is number => n !== undefined);
  const reachedValidation =
    !!validate && (subState === 'Validating' || (subState === 'Distributing' && runState !== 'Running' && runState !== 'Canceling' && runState !== 'Canceled'));

  return {
    ...(autoRun ? { autoRun } : {}),
    managedResourceTags,
    optimize: { ...(vmBoot ? { vmBoot } : {}), ...(workload ? { workload } : {}) },
    vmProfile: {
      ...(str(vm.vmSize) ? { vmSize: str(vm.vmSize) } : {}),
      ...(num(vm.osDiskSizeGB) ? { osDiskSizeGB: num(vm.osDiskSizeGB) } : {}),
      ...(str(vnet.subnetId) ? { subnetId: str(vnet.subnetId) } : {}),
      ...(str(vnet.containerInstanceSubnetId) ? { containerInstanceSubnetId: str(vnet.containerInstanceSubnetId) } : {}),
      ...(str(vnet.proxyVmSize) ? { proxyVmSize: str(vnet.proxyVmSize) } : {}),
    },
    additionalDataDiskSizesGB: sizes,
    ...(timeout !== undefined ? { buildTimeoutInMinutes: timeout } : {}),
    effectiveTimeoutMinutes: timeout && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MINUTES,
    errorHandling,
    ...(validate
      ? {
          validation: {
            validators: list(validate.inVMValidations).map((v) => ({ type: str(v.type) ?? 'unknown', ...(str(v.name) ? { name: str(v.name) } : {}) })),
            continueDistributeOnFailure: validate.continueDistributeOnFailure === true,
            sourceValidationOnly: validate.sourceValidationOnly === true,
          },
        }
      : {}),
    targets,
    run: {
      ...(runState ? { state: runState } : {}),
      ...(subState ? { subState } : {}),
      inProgress,
      partiallySucceeded: runState === 'PartiallySucceeded',
      failedTargets,
      failureReasons: failedTargets.length ? reasonsFromMessage(str(lrs.message), targets) : {},
      reachedValidation,
    },
    kept: {
      kept: because !== undefined,
      ...(because ? { because } : {}),
      ...(groupName(str(prop(t, 'exactStagingResourceGroup'))) ? { stagingResourceGroup: groupName(str(prop(t, 'exactStagingResourceGroup'))) } : {}),
      resources: because ? others : [],
    },
    triggers,
    disabledTriggers: triggers.filter((x) => x.disabled).map((x) => x.name),
    ...(container ? { buildContainer: container.name } : {}),
  };
}
