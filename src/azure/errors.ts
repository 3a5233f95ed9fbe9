import { redact } from '../diagnosis/redact';
import { LOG_READER_ROLE } from '../model/roles';

// Every failure that leaves src/azure/ is an AzureGatewayError with one of these codes. Callers (bot, CLI, cards)
// switch on `code`; the ARM/Storage code and message ride along for evidence and support cases.

export const AZURE_ERROR_CODES = [
  'not-found',
  'forbidden',
  'unauthenticated',
  'throttled',
  'conflict',
  'operation-not-allowed',
  'service-unavailable',
  'invalid-name',
  'operation-failed',
  'misconfigured',
  'unexpected',
  'log-forbidden',
  'log-not-found',
  'log-location-unknown',
] as const;
export type AzureErrorCode = (typeof AZURE_ERROR_CODES)[number];

/** The role a reader of customization.log needs; the error names it so the bot can tell an admin what to grant. */
export { LOG_READER_ROLE };

export interface AzureErrorDetails {
  /** HTTP status, when a service answered. */
  status?: number;
  /** The error code exactly as ARM or Storage sent it (AuthorizationFailed, OperationNotAllowed, BlobNotFound…). */
  serviceCode?: string;
  /** The service's own message, secrets removed. */
  serviceMessage?: string;
  /** The action ARM said the caller lacks ("does not have authorization to perform action 'X'"). */
  missingAction?: string;
  /** The scope ARM named with the missing action. */
  scope?: string;
  /** The action the failed call needs according to permissions.ts, whether or not ARM named one. */
  requiredAction?: string;
  /** Role that would fix a log-forbidden error. */
  requiredRole?: string;
  /** Staging resource group holding the log's storage account, when known. */
  stagingResourceGroup?: string;
  /** Seconds the service asked us to wait (429/503 Retry-After). */
  retryAfterSeconds?: number;
  /** What the call was about: a template id, a `rg/name`, or `account/container/path` of a log. */
  resource?: string;
  /** Name or pattern that failed validation. */
  invalidValue?: string;
}

const DETAIL_KEYS = [
  'status',
  'serviceCode',
  'serviceMessage',
  'missingAction',
  'scope',
  'requiredAction',
  'requiredRole',
  'stagingResourceGroup',
  'retryAfterSeconds',
  'resource',
  'invalidValue',
] as const satisfies readonly (keyof AzureErrorDetails)[];

/**
 * Copies the details that are set onto a typed error, every string with secrets removed: a service message (and
 * sometimes a code or resource) can quote a SAS URL or a token. Shared by the gateway and support errors.
 */
export function assignRedactedDetails<D extends object>(target: D, details: D, keys: readonly (keyof D & string)[]): void {
  for (const key of keys) {
    const value: unknown = details[key];
    if (value === undefined) continue;
    (target as Record<string, unknown>)[key] = typeof value === 'string' ? redactSecrets(value) : value;
  }
}

/** The details every typed service error may carry, whichever service sent them. */
export interface ServiceErrorDetails {
  status?: number;
  serviceCode?: string;
  serviceMessage?: string;
  requiredRole?: string;
  retryAfterSeconds?: number;
}

/**
 * A typed error from a service gateway: a stable code to switch on, and the details the service sent, every string
 * with secrets removed. Subclasses name their codes and list their detail keys, in the order toJSON gives them.
 */
export abstract class ServiceError<C extends string, D extends ServiceErrorDetails> extends Error implements ServiceErrorDetails {
  readonly code: C;
  // `declare`: assigned from the details below, and a class field would reset them after this constructor.
  declare readonly status?: number;
  declare readonly serviceCode?: string;
  declare readonly serviceMessage?: string;
  declare readonly requiredRole?: string;
  declare readonly retryAfterSeconds?: number;

  /** A true private field: no own property, so the keys stay out of equality checks and property listings. */
  readonly #detailKeys: readonly (keyof D & string)[];

  protected constructor(name: string, code: C, message: string, details: D, detailKeys: readonly (keyof D & string)[]) {
    super(redactSecrets(message));
    this.name = name;
    this.code = code;
    this.#detailKeys = detailKeys;
    assignRedactedDetails(this as unknown as D, details, detailKeys);
  }

  /** Plain data for logs, audit records and JSON output (undefined fields vanish in JSON.stringify). */
  toJSON(): { code: C; message: string } & D {
    const json: Record<string, unknown> = { code: this.code, message: this.message };
    for (const key of this.#detailKeys) json[key] = (this as unknown as Record<string, unknown>)[key];
    return json as unknown as { code: C; message: string } & D;
  }
}

export class AzureGatewayError extends ServiceError<AzureErrorCode, AzureErrorDetails> implements AzureErrorDetails {
  declare readonly missingAction?: string;
  declare readonly scope?: string;
  declare readonly requiredAction?: string;
  declare readonly stagingResourceGroup?: string;
  declare readonly resource?: string;
  declare readonly invalidValue?: string;

  constructor(code: AzureErrorCode, message: string, details: AzureErrorDetails = {}) {
    super('AzureGatewayError', code, message, details, DETAIL_KEYS);
  }
}

export function isAzureGatewayError(e: unknown): e is AzureGatewayError {
  return e instanceof AzureGatewayError;
}

/**
 * Removes credentials that can appear inside URLs or messages (SAS signatures, account keys, bearer tokens…): status
 * messages and SDK errors quote URLs verbatim, and those strings end up in logs and cards. The rules are the
 * diagnosis core's, so an error message is scrubbed exactly like a card or a log line.
 */
export function redactSecrets(text: string): string {
  return redact(text);
}

/** Where the failing call went: ARM (templates, storage accounts) or the log blob. */
export type ErrorSurface = 'arm' | 'blob';

export interface ErrorContext {
  surface: ErrorSurface;
  /** What the call was about, for the error's `resource`. */
  resource?: string;
  /** From permissions.ts: the action this call needs. */
  requiredAction?: string;
  /** For blob calls: the staging resource group that holds the account. */
  stagingResourceGroup?: string;
}

/** Node and SDK error codes that mean the request never got an answer. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'REQUEST_SEND_ERROR',
  'UND_ERR_SOCKET',
]);

const IDENTITY_ERROR_NAMES = new Set(['CredentialUnavailableError', 'AuthenticationError', 'AggregateAuthenticationError']);

/** The fields we read off a RestError (from either @azure/core-rest-pipeline or @typespec/ts-http-runtime) or a Node error. */
interface ErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  statusCode?: unknown;
  details?: unknown;
  request?: unknown;
  response?: { status?: unknown; headers?: { get?(name: string): string | undefined } };
}

/**
 * Error bodies of failed list pages: the paging helper throws "Pagination failed with unexpected statusCode 403"
 * and drops ARM's message (which names the missing action). A pipeline policy in clients.ts records them here,
 * keyed by the request object the RestError still references.
 */
export const capturedErrorBodies = new WeakMap<object, string>();

/** Maps anything an SDK call threw to an AzureGatewayError. */
export function toGatewayError(err: unknown, context: ErrorContext): AzureGatewayError {
  if (err instanceof AzureGatewayError) return err;
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as ErrorShape;
  const name = typeof e.name === 'string' ? e.name : '';
  const status = typeof e.statusCode === 'number' ? e.statusCode : numberOrUndefined(e.response?.status);
  const body = readServiceError(e);
  const serviceCode = body.code ?? (typeof e.code === 'string' ? e.code : undefined);
  const serviceMessage = body.message ?? (typeof e.message === 'string' ? e.message : undefined);
  const base: AzureErrorDetails = {
    status,
    serviceCode,
    serviceMessage,
    resource: context.resource,
    requiredAction: context.requiredAction,
  };
  const summary = (what: string) => (serviceMessage ? `${what}: ${serviceMessage}` : what);

  if (IDENTITY_ERROR_NAMES.has(name)) {
    return new AzureGatewayError('unauthenticated', summary('No Azure credential could get a token'), base);
  }
  if (status === undefined && typeof e.message === 'string' && e.message.startsWith('The long-running operation has failed')) {
    return new AzureGatewayError('operation-failed', e.message, base);
  }
  const connectionLost =
    status === undefined &&
    ((typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) ||
      (typeof e.message === 'string' && /socket hang up|ECONNRESET|ECONNREFUSED/i.test(e.message)));

  if (context.surface === 'blob') {
    const staging = context.stagingResourceGroup;
    if (status === 401 || status === 403) {
      const where = staging ? `the staging resource group ${staging}` : 'the staging resource group of the template';
      return new AzureGatewayError(
        'log-forbidden',
        `Reading the build log needs the ${LOG_READER_ROLE} role on ${where}; the storage account refused with ${status}${serviceCode ? ` ${serviceCode}` : ''}.`,
        { ...base, requiredRole: LOG_READER_ROLE, stagingResourceGroup: staging },
      );
    }
    // A deleted staging account disappears from DNS, so "no such host" is the storage account being gone.
    if (status === 404 || (status === undefined && e.code === 'ENOTFOUND')) {
      return new AzureGatewayError(
        'log-not-found',
        summary('The build log does not exist (the template was deleted, or it has never been built)'),
        { ...base, stagingResourceGroup: staging },
      );
    }
  }

  if (status === 404) return new AzureGatewayError('not-found', summary('Not found'), base);
  if (status === 401) return new AzureGatewayError('unauthenticated', summary('Azure rejected the credential'), base);
  if (status === 403) {
    const action = /does not have authorization to perform action '([^']+)'/i.exec(serviceMessage ?? '');
    const scope = /over scope '([^']+)'/i.exec(serviceMessage ?? '');
    return new AzureGatewayError('forbidden', summary('Not authorized'), {
      ...base,
      missingAction: action?.[1],
      scope: scope?.[1],
    });
  }
  const retryAfterSeconds = readRetryAfterSeconds(e);
  if (status === 429) return new AzureGatewayError('throttled', summary('Throttled by Azure'), { ...base, retryAfterSeconds });
  if (serviceCode === 'OperationNotAllowed') {
    return new AzureGatewayError('operation-not-allowed', summary('Not allowed in the current state'), base);
  }
  if (status === 409) return new AzureGatewayError('conflict', summary('Conflict'), base);
  if (status === 400 && (serviceCode === 'InvalidResourceName' || serviceCode === 'InvalidResourceGroupName')) {
    return new AzureGatewayError('invalid-name', summary('Invalid name'), base);
  }
  if ((status !== undefined && status >= 500) || status === 408 || connectionLost) {
    return new AzureGatewayError('service-unavailable', summary('Azure did not answer'), { ...base, retryAfterSeconds });
  }
  return new AzureGatewayError('unexpected', summary('Unexpected Azure error'), base);
}

function readServiceError(e: ErrorShape): { code?: string; message?: string } {
  const fromDetails = pickError(e.details);
  if (fromDetails.code || fromDetails.message) return fromDetails;
  if (e.request && typeof e.request === 'object') {
    const text = capturedErrorBodies.get(e.request);
    if (text) {
      try {
        return pickError(JSON.parse(text));
      } catch {
        return {};
      }
    }
  }
  return {};
}

/** ARM bodies are `{ error: { code, message } }`; pre-2021 ones were `{ code, message }`. */
function pickError(value: unknown): { code?: string; message?: string } {
  if (!value || typeof value !== 'object') return {};
  const outer = value as { error?: unknown; code?: unknown; message?: unknown };
  const inner = (outer.error && typeof outer.error === 'object' ? outer.error : outer) as { code?: unknown; message?: unknown };
  return {
    code: typeof inner.code === 'string' ? inner.code : undefined,
    message: typeof inner.message === 'string' ? inner.message : undefined,
  };
}

function readRetryAfterSeconds(e: ErrorShape): number | undefined {
  const headers = e.response?.headers;
  if (!headers || typeof headers.get !== 'function') return undefined;
  for (const [header, factor] of [
    ['retry-after-ms', 0.001],
    ['x-ms-retry-after-ms', 0.001],
    ['retry-after', 1],
  ] as const) {
    const raw = headers.get(header);
    if (raw === undefined || raw === null || raw === '') continue;
    const n = Number(raw);
    if (Number.isFinite(n) && n >= 0) return Math.ceil(n * factor);
    const date = Date.parse(raw);
    if (Number.isFinite(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000));
  }
  return undefined;
}

function numberOrUndefined(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}
