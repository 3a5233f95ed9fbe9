import RE2 from 're2';
import { DiagnosisInputError } from './errors';

// Template status → facts. Accepts the template as ARM returns it (`properties.*`), as the JS SDK returns it
// (flattened), as `az image builder show` prints it, and as Get-AzImageBuilderTemplate's PascalCase objects, so
// keys are looked up case-insensitively and in both places.

export interface LogLocation {
  format: 'blob-url' | 'arm-path';
  account: string;
  container: string;
  blobPath: string;
  /** The location as the message printed it, secrets removed. */
  printed: string;
}

export interface StatusFacts {
  id?: string;
  name?: string;
  resourceGroup?: string;
  subscriptionId?: string;
  location?: string;
  provisioningState?: string;
  provisioningError?: { code?: string; message?: string };
  lastRun?: { runState?: string; runSubState?: string; startTime?: string; endTime?: string; message?: string };
  /** As configured (0 means the service default). */
  buildTimeoutInMinutes?: number;
  /** What the service applies: 0 → 240 minutes. */
  effectiveTimeoutMinutes: number;
  vmSize?: string;
  errorHandling?: { onCustomizerError?: string; onValidationError?: string };
  source?: { type?: string; os?: 'windows' | 'linux'; image?: string };
  customizers: Array<{ type: string; name?: string }>;
  /** `validate`: the in-VM validators in order, and the two switches that decide what a failed validation does. */
  validation?: { validators: Array<{ type: string; name?: string }>; continueDistributeOnFailure: boolean; sourceValidationOnly: boolean };
  exactStagingResourceGroup?: string;
  logLocation?: LogLocation;
  operationId?: string;
  correlationId?: string;
  durationMinutes?: number;
  /** The run lasted at least as long as its timeout (within a minute). */
  reachedTimeout?: boolean;
}

const DEFAULT_TIMEOUT_MINUTES = 240;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Case-insensitive property lookup, in the object itself and then in its `properties`. */
function pick(o: Obj | undefined, ...keys: string[]): unknown {
  if (!o) return undefined;
  for (const scope of [o, isObj(o.properties) ? o.properties : isObj(o.Properties) ? o.Properties : undefined]) {
    if (!scope) continue;
    const lower = new Map(Object.keys(scope).map((k) => [k.toLowerCase(), k]));
    for (const key of keys) {
      const real = lower.get(key.toLowerCase());
      if (real !== undefined && scope[real] !== undefined && scope[real] !== null) return scope[real];
    }
  }
  return undefined;
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length ? v : v instanceof Date ? v.toISOString() : typeof v === 'number' ? String(v) : undefined;

// RE2 for the two patterns with a lazy run inside: V8 retries them from every `https://` of a long pasted text.
const BLOB_URL = new RE2(/https:\/\/([a-z0-9]{3,24})\.blob\.core\.windows\.net\/([a-z0-9-]{3,63})\/([^\s"'?]+?\/(?:customization|validation)\.log)/i);
const ARM_PATH = new RE2(
  /\/subscriptions\/[^\s/]+\/resourceGroups\/[^\s/]+\/providers\/Microsoft\.Storage\/storageAccounts\/([a-z0-9]{3,24})\/blobServices\/default\/containers\/([a-z0-9-]{3,63})\/([^\s"'?]+?\/(?:customization|validation)\.log)/i,
);
const OPERATION_ID = /operationId:?\s*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;
const OPERATION_ID_LATE = /operationId ([0-9a-f]{8}-[0-9a-f-]{27})/i;
const CORRELATION_ID = /Correlation ID:?\s*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;

/** Find a customization.log location in any text (status message, pasted error). */
export function findLogLocation(text: string): LogLocation | undefined {
  const url = BLOB_URL.exec(text);
  if (url) {
    return {
      format: 'blob-url',
      account: url[1].toLowerCase(),
      container: url[2],
      blobPath: url[3],
      printed: `https://${url[1].toLowerCase()}.blob.core.windows.net/${url[2]}/${url[3]}`,
    };
  }
  const arm = ARM_PATH.exec(text);
  if (arm) return { format: 'arm-path', account: arm[1].toLowerCase(), container: arm[2], blobPath: arm[3], printed: arm[0] };
  return undefined;
}

export function findIds(text: string): { operationId?: string; correlationId?: string } {
  const op = OPERATION_ID.exec(text) ?? OPERATION_ID_LATE.exec(text);
  const corr = CORRELATION_ID.exec(text);
  return { operationId: op?.[1].toLowerCase(), correlationId: corr?.[1].toLowerCase() };
}

export function parseTemplateJson(text: string): StatusFacts {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new DiagnosisInputError('template-not-json', `the template is not valid JSON (${(e as Error).message})`);
  }
  return templateFacts(parsed);
}

export function templateFacts(template: unknown): StatusFacts {
  // `az image builder list` prints an array; a single template in it is fine.
  if (Array.isArray(template) && template.length === 1) template = template[0];
  if (!isObj(template)) throw new DiagnosisInputError('template-not-object', 'the template must be a JSON object');
  const t = template;
  const looksLikeTemplate = ['lastRunStatus', 'provisioningState', 'source', 'distribute', 'provisioningError', 'LastRunStatusRunState', 'ProvisioningState'].some(
    (k) => pick(t, k) !== undefined,
  );
  if (!looksLikeTemplate) {
    throw new DiagnosisInputError(
      'template-unrecognised',
      'this JSON does not look like an image template (no provisioningState, lastRunStatus, source or distribute)',
    );
  }

  const id = str(pick(t, 'id'));
  const idParts = id ? /\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\//i.exec(id) : null;
  const lrs = pick(t, 'lastRunStatus');
  const lastRunObj = isObj(lrs) ? lrs : undefined;
  // PowerShell flattens lastRunStatus into LastRunStatusRunState, LastRunStatusMessage…
  const lastRun = {
    runState: str(pick(lastRunObj, 'runState')) ?? str(pick(t, 'LastRunStatusRunState')),
    runSubState: str(pick(lastRunObj, 'runSubState')) ?? str(pick(t, 'LastRunStatusRunSubState')),
    startTime: str(pick(lastRunObj, 'startTime')) ?? str(pick(t, 'LastRunStatusStartTime')),
    endTime: str(pick(lastRunObj, 'endTime')) ?? str(pick(t, 'LastRunStatusEndTime')),
    message: str(pick(lastRunObj, 'message')) ?? str(pick(t, 'LastRunStatusMessage')),
  };
  const pe = pick(t, 'provisioningError');
  const peObj = isObj(pe) ? pe : undefined;
  const provisioningError = {
    code: str(pick(peObj, 'provisioningErrorCode', 'code')) ?? str(pick(t, 'ProvisioningErrorCode')),
    message: str(pick(peObj, 'message')) ?? str(pick(t, 'ProvisioningErrorMessage')),
  };

  const timeoutRaw = pick(t, 'buildTimeoutInMinutes');
  const buildTimeoutInMinutes = typeof timeoutRaw === 'number' ? timeoutRaw : typeof timeoutRaw === 'string' ? Number(timeoutRaw) : undefined;
  const effectiveTimeoutMinutes = buildTimeoutInMinutes && buildTimeoutInMinutes > 0 ? buildTimeoutInMinutes : DEFAULT_TIMEOUT_MINUTES;

  const vmProfile = pick(t, 'vmProfile');
  const eh = pick(t, 'errorHandling');
  const sourceRaw = pick(t, 'source');
  const customizeRaw = pick(t, 'customize');
  const customizers = namedSteps(customizeRaw);

  const validateRaw = pick(t, 'validate');
  const validation = isObj(validateRaw)
    ? {
        validators: namedSteps(pick(validateRaw, 'inVMValidations')),
        continueDistributeOnFailure: pick(validateRaw, 'continueDistributeOnFailure') === true,
        sourceValidationOnly: pick(validateRaw, 'sourceValidationOnly') === true,
      }
    : undefined;

  const texts = [lastRun.message, provisioningError.message].filter((s): s is string => !!s).join('\n');
  const ids = findIds(texts);
  const facts: StatusFacts = {
    id,
    name: str(pick(t, 'name')),
    resourceGroup: idParts?.[2] ?? str(pick(t, 'resourceGroup')),
    subscriptionId: idParts?.[1],
    location: str(pick(t, 'location')),
    provisioningState: str(pick(t, 'provisioningState')),
    provisioningError: provisioningError.code || provisioningError.message ? provisioningError : undefined,
    lastRun: Object.values(lastRun).some(Boolean) ? lastRun : undefined,
    buildTimeoutInMinutes: Number.isFinite(buildTimeoutInMinutes) ? buildTimeoutInMinutes : undefined,
    effectiveTimeoutMinutes,
    vmSize: isObj(vmProfile) ? str(pick(vmProfile, 'vmSize')) : undefined,
    errorHandling: isObj(eh)
      ? { onCustomizerError: str(pick(eh, 'onCustomizerError')), onValidationError: str(pick(eh, 'onValidationError')) }
      : undefined,
    source: isObj(sourceRaw) ? sourceFacts(sourceRaw, customizers) : undefined,
    customizers,
    ...(validation ? { validation } : {}),
    exactStagingResourceGroup: str(pick(t, 'exactStagingResourceGroup')),
    logLocation: texts ? findLogLocation(texts) : undefined,
    operationId: ids.operationId,
    correlationId: ids.correlationId,
  };
  const start = Date.parse(lastRun.startTime ?? '');
  const end = Date.parse(lastRun.endTime ?? '');
  if (Number.isFinite(start) && Number.isFinite(end) && end >= start) {
    facts.durationMinutes = Math.round(((end - start) / 60000) * 10) / 10;
    facts.reachedTimeout = facts.durationMinutes >= effectiveTimeoutMinutes - 1;
  }
  return facts;
}

/** `customize[]` and `validate.inVMValidations[]`: each step's type and optional name, in order. */
function namedSteps(raw: unknown): Array<{ type: string; name?: string }> {
  return Array.isArray(raw) ? raw.filter(isObj).map((c) => ({ type: str(pick(c, 'type')) ?? 'unknown', name: str(pick(c, 'name')) })) : [];
}

function sourceFacts(s: Obj, customizers: Array<{ type: string }>): StatusFacts['source'] {
  const type = str(pick(s, 'type'));
  const image = [pick(s, 'publisher'), pick(s, 'offer'), pick(s, 'sku'), pick(s, 'imageId'), pick(s, 'imageVersionId')]
    .map(str)
    .filter(Boolean)
    .join(':');
  let os: 'windows' | 'linux' | undefined;
  if (/windows/i.test(image)) os = 'windows';
  else if (/canonical|ubuntu|redhat|rhel|debian|suse|centos|almalinux|rocky|oracle-linux|mariner|azurelinux|linux/i.test(image)) os = 'linux';
  else if (customizers.some((c) => /^(PowerShell|WindowsRestart|WindowsUpdate)$/i.test(c.type))) os = 'windows';
  else if (customizers.some((c) => /^Shell$/i.test(c.type))) os = 'linux';
  return { type, os, image: image || undefined };
}

/**
 * The lines of the status worth scanning for signatures: the run message and the provisioning error, plus a
 * synthetic line carrying the provisioning error code so code-only failures (BadSourceType…) are recognised.
 */
export function statusTexts(facts: StatusFacts): string[] {
  const out: string[] = [];
  if (facts.provisioningError?.code) out.push(`ProvisioningError ${facts.provisioningError.code}: ${facts.provisioningError.message ?? ''}`);
  else if (facts.provisioningError?.message) out.push(facts.provisioningError.message);
  if (facts.lastRun?.message) out.push(facts.lastRun.message);
  return out;
}

/** Whether the status says something went wrong (as opposed to a healthy or running template). */
export function statusFailed(facts: StatusFacts): boolean {
  return (
    /failed/i.test(facts.provisioningState ?? '') ||
    /failed|partiallysucceeded/i.test(facts.lastRun?.runState ?? '') ||
    !!facts.provisioningError
  );
}
