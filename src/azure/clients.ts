import { ComputeManagementClient } from '@azure/arm-compute';
import { ImageBuilderClient } from '@azure/arm-imagebuilder';
import { StorageManagementClient } from '@azure/arm-storage';
import {
  bearerTokenAuthenticationPolicyName,
  createDefaultHttpClient,
  createPipelineRequest,
  retryPolicy,
  type Pipeline,
  type PipelinePolicy,
  type PipelineResponse,
  type RetryStrategy,
} from '@azure/core-rest-pipeline';
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { BlobServiceClient, StorageSharedKeyCredential, type StoragePipelineOptions } from '@azure/storage-blob';
import type { AzureTarget } from '../config';
import { AzureGatewayError, capturedErrorBodies } from './errors';
import { checkStorageAccountName, checkSubscriptionId } from './names';

/** Retry and polling knobs. The defaults suit a chat bot: a few quick retries, then a typed error the user sees. */
export interface GatewayTuning {
  /** ARM: retries after the first attempt (throttling, 5xx, dropped connections). */
  maxRetries: number;
  /** ARM: first back-off delay when the service gives no Retry-After; doubles per attempt. */
  retryDelayMs: number;
  maxRetryDelayMs: number;
  /** A Retry-After longer than this is not slept on: the call fails as `throttled` with the value, for the user. */
  maxRetryAfterMs: number;
  /** LRO polling interval when ARM sends no Retry-After (delete). */
  pollIntervalMs: number;
  /** Blob: attempts in total per request (the Storage retry policy counts the first one). */
  blobMaxTries: number;
  blobRetryDelayMs: number;
  blobMaxRetryDelayMs: number;
  /** Blob: reconnections of one download stream after the connection drops mid-body. */
  downloadRetries: number;
}

export const DEFAULT_TUNING: GatewayTuning = {
  maxRetries: 3,
  retryDelayMs: 800,
  maxRetryDelayMs: 8000,
  maxRetryAfterMs: 30_000,
  pollIntervalMs: 2000,
  blobMaxTries: 4,
  blobRetryDelayMs: 800,
  blobMaxRetryDelayMs: 8000,
  downloadRetries: 5,
};

export interface AzureClients {
  kind: AzureTarget['kind'];
  subscriptionId: string;
  tuning: GatewayTuning;
  imageBuilder: ImageBuilderClient;
  /** Compute control plane (gallery image versions and their replication status). */
  compute(subscriptionId: string): ComputeManagementClient;
  /**
   * A plain ARM request through the Image Builder client's pipeline (same credential, retries and error capture),
   * for the generic resource calls no SDK we ship covers: listing and deleting what a build left in its staging group.
   */
  armRequest(method: 'GET' | 'DELETE', pathOrUrl: string, apiVersion?: string): Promise<ArmResponse>;
  /** Storage control plane for a subscription (the staging group's storage account lookup). */
  storageManagement(subscriptionId: string): StorageManagementClient;
  /** Blob data plane for one staging storage account. */
  blobService(account: string): BlobServiceClient;
  /** The URL a log's account is read from; always rebuilt from the target, never taken from a status message. */
  blobAccountUrl(account: string): string;
}

export interface ArmResponse {
  status: number;
  body: unknown;
  headers: { get(name: string): string | undefined };
}

const ARM_PUBLIC = 'https://management.azure.com';

/**
 * Sends one request; answers of 400 and above become a RestError-shaped error that toGatewayError() understands.
 * Absolute URLs (nextLink, Location) must point at `base`, so a response cannot steer the credential elsewhere.
 */
function armRequester(pipeline: Pipeline, base: string, insecure: boolean) {
  const httpClient = createDefaultHttpClient();
  return async (method: 'GET' | 'DELETE', pathOrUrl: string, apiVersion?: string): Promise<ArmResponse> => {
    const url = new URL(pathOrUrl.startsWith('/') ? `${base}${pathOrUrl}` : pathOrUrl);
    if (`${url.protocol}//${url.host}` !== new URL(base).origin) {
      throw new AzureGatewayError('unexpected', `Refusing to follow an ARM link to another host (${url.host}).`);
    }
    if (apiVersion && !url.searchParams.has('api-version')) url.searchParams.set('api-version', apiVersion);
    const request = createPipelineRequest({ url: url.toString(), method, allowInsecureConnection: insecure });
    const response = await pipeline.sendRequest(httpClient, request);
    let body: unknown;
    try {
      body = response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined;
    } catch {
      body = undefined;
    }
    if (response.status >= 400) {
      const err = body as { error?: { code?: string; message?: string } } | undefined;
      throw Object.assign(new Error(err?.error?.message ?? `ARM answered ${response.status}`), {
        name: 'RestError',
        statusCode: response.status,
        details: body,
        response: { status: response.status, headers: response.headers },
      });
    }
    return { status: response.status, body, headers: { get: (name: string) => response.headers.get(name) } };
  };
}

export function createAzureClients(target: AzureTarget, tuning: Partial<GatewayTuning> = {}): AzureClients {
  const t: GatewayTuning = { ...DEFAULT_TUNING, ...tuning };
  return target.kind === 'azure' ? azureClients(target, t) : sandboxClients(target, t);
}

type AzureKind = Extract<AzureTarget, { kind: 'azure' }>;
type SandboxKind = Extract<AzureTarget, { kind: 'sandbox' }>;

/** The bot's Azure identity: the user-assigned managed identity when a client id is configured. */
export function azureCredential(clientId: string | undefined): TokenCredential {
  return clientId ? new ManagedIdentityCredential({ clientId }) : new DefaultAzureCredential();
}

function azureClients(target: AzureKind, t: GatewayTuning): AzureClients {
  const subscriptionId = checkSubscriptionId(target.subscriptionId);
  const credential = azureCredential(target.clientId);
  if (!target.blobEndpointTemplate.startsWith('https://') || !target.blobEndpointTemplate.includes('{account}')) {
    throw new AzureGatewayError('misconfigured', 'AIB_BLOB_ENDPOINT_TEMPLATE must be an https:// URL containing {account}.');
  }
  const blobAccountUrl = (account: string) => target.blobEndpointTemplate.replace('{account}', checkStorageAccountName(account));
  const imageBuilder = new ImageBuilderClient(credential, subscriptionId, { retryOptions: { maxRetries: t.maxRetries } });
  tunePipeline(imageBuilder.pipeline, t);
  return withCachedClients(
    { kind: 'azure', subscriptionId, tuning: t, imageBuilder, blobAccountUrl, armRequest: armRequester(imageBuilder.pipeline, ARM_PUBLIC, false) },
    {
      compute: (sub) => {
        const client = new ComputeManagementClient(credential, sub, { retryOptions: { maxRetries: t.maxRetries } });
        tunePipeline(client.pipeline, t);
        return client;
      },
      storage: (sub) => {
        const client = new StorageManagementClient(credential, sub, { retryOptions: { maxRetries: t.maxRetries } });
        tunePipeline(client.pipeline, t);
        return client;
      },
      blob: (account) => new BlobServiceClient(blobAccountUrl(account), credential, blobPipelineOptions(t)),
    },
  );
}

function sandboxClients(target: SandboxKind, t: GatewayTuning): AzureClients {
  const { armEndpoint, blobEndpoint, storageKey, subscriptionId: sub } = target;
  if (!armEndpoint || !blobEndpoint || !storageKey || !sub) {
    throw new AzureGatewayError(
      'misconfigured',
      'The sandbox target needs armEndpoint, blobEndpoint, storageKey and subscriptionId (start the sandbox first, or copy the whole env it prints).',
    );
  }
  const subscriptionId = checkSubscriptionId(sub);
  const arm = loopbackBase(armEndpoint, 'armEndpoint');
  const blob = loopbackBase(blobEndpoint, 'blobEndpoint');
  const blobAccountUrl = (account: string) => `${blob}/${checkStorageAccountName(account)}`;
  const imageBuilder = new ImageBuilderClient(noTokenCredential, subscriptionId, {
    endpoint: arm,
    allowInsecureConnection: true,
    retryOptions: { maxRetries: t.maxRetries },
  });
  makeSandboxPipeline(imageBuilder.pipeline);
  tunePipeline(imageBuilder.pipeline, t);
  const insecure = { allowInsecureConnection: true, retryOptions: { maxRetries: t.maxRetries } };
  const sandboxed = <C extends { pipeline: Pipeline }>(client: C): C => {
    makeSandboxPipeline(client.pipeline);
    tunePipeline(client.pipeline, t);
    return client;
  };
  return withCachedClients(
    { kind: 'sandbox', subscriptionId, tuning: t, imageBuilder, blobAccountUrl, armRequest: armRequester(imageBuilder.pipeline, arm, true) },
    {
      compute: (s) => sandboxed(new ComputeManagementClient(noTokenCredential, s, { endpoint: arm, ...insecure })),
      storage: (s) => sandboxed(new StorageManagementClient(noTokenCredential, s, { endpoint: arm, $host: arm, ...insecure })),
      blob: (account) => {
        // Every sandbox account shares one key (AZURITE_ACCOUNTS), so the shared-key credential stands in for RBAC.
        const credential = new StorageSharedKeyCredential(checkStorageAccountName(account), storageKey);
        return new BlobServiceClient(blobAccountUrl(account), credential, blobPipelineOptions(t));
      },
    },
  );
}

/** A target's clients: compute, storage and blob ones made on first use and kept, one per subscription and per account. */
function withCachedClients(
  fixed: Pick<AzureClients, 'kind' | 'subscriptionId' | 'tuning' | 'imageBuilder' | 'blobAccountUrl' | 'armRequest'>,
  make: {
    compute(subscriptionId: string): ComputeManagementClient;
    storage(subscriptionId: string): StorageManagementClient;
    blob(account: string): BlobServiceClient;
  },
): AzureClients {
  const computeClients = new Map<string, ComputeManagementClient>();
  const storageClients = new Map<string, StorageManagementClient>();
  const blobClients = new Map<string, BlobServiceClient>();
  return {
    ...fixed,
    compute: (sub) => cached(computeClients, checkSubscriptionId(sub), () => make.compute(sub)),
    storageManagement: (sub) => cached(storageClients, checkSubscriptionId(sub), () => make.storage(sub)),
    blobService: (account) => cached(blobClients, account, () => make.blob(account)),
  };
}

/**
 * The sandbox speaks plain HTTP on 127.0.0.1 and checks no tokens. The ARM SDK's bearer policy refuses any
 * non-https URL, and the HTTP client refuses http unless allowInsecureConnection is set, so for the sandbox (and
 * only for it: loopbackBase() has already refused any other host) the bearer policy is taken out. Production
 * clients are built in azureClients() and never pass through here.
 */
export function makeSandboxPipeline(pipeline: Pipeline): void {
  pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
}

/** A credential that must never be asked: if it is, the bearer policy was not removed and we would leak intent. */
export const noTokenCredential: TokenCredential = {
  getToken: async () => {
    throw new AzureGatewayError('misconfigured', 'The sandbox accepts no tokens; its clients must not ask for one.');
  },
};

export function loopbackBase(url: string, what: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AzureGatewayError('misconfigured', `The sandbox ${what} "${url}" is not a URL.`);
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    throw new AzureGatewayError('misconfigured', `The sandbox ${what} must be a loopback address (127.0.0.1), got ${parsed.host}.`);
  }
  return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
}

function cached<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

function blobPipelineOptions(t: GatewayTuning): StoragePipelineOptions {
  return {
    retryOptions: {
      maxTries: t.blobMaxTries,
      retryDelayInMs: t.blobRetryDelayMs,
      maxRetryDelayInMs: t.blobMaxRetryDelayMs,
    },
  };
}

export const ARM_RETRY_POLICY_NAME = 'aibArmRetryPolicy';
export const ERROR_BODY_POLICY_NAME = 'aibErrorBodyCapture';

/**
 * Replaces the SDK's default retry policy with one that keeps its behaviour (Retry-After honoured on 429/503,
 * exponential back-off on 5xx/408 and dropped connections) but refuses to sleep on a Retry-After longer than
 * `maxRetryAfterMs`: a chat answer must not hang for minutes, and the caller gets `throttled` with the delay instead.
 */
export function tunePipeline(pipeline: Pipeline, t: GatewayTuning): void {
  pipeline.removePolicy({ name: 'defaultRetryPolicy' });
  pipeline.addPolicy({ ...retryPolicy([armRetryStrategy(t)], { maxRetries: t.maxRetries }), name: ARM_RETRY_POLICY_NAME }, { phase: 'Retry' });
  pipeline.addPolicy(errorBodyCapturePolicy, { afterPhase: 'Retry' });
}

const errorBodyCapturePolicy: PipelinePolicy = {
  name: ERROR_BODY_POLICY_NAME,
  async sendRequest(request, next) {
    const response = await next(request);
    if (response.status >= 400 && typeof response.bodyAsText === 'string') {
      capturedErrorBodies.set(request, response.bodyAsText.slice(0, 64 * 1024));
    }
    return response;
  },
};

const RETRY_AFTER_HEADERS: ReadonlyArray<readonly [string, number]> = [
  ['retry-after-ms', 1],
  ['x-ms-retry-after-ms', 1],
  ['retry-after', 1000],
];

export function retryAfterMs(response: Pick<PipelineResponse, 'headers'>): number | undefined {
  for (const [header, factor] of RETRY_AFTER_HEADERS) {
    const raw = response.headers.get(header);
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (Number.isFinite(n) && n >= 0) return n * factor;
    const date = Date.parse(raw);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  return undefined;
}

const RETRIABLE_CONNECTION_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE', 'REQUEST_SEND_ERROR']);

/** Exported for the unit tests of the back-off decisions. */
export function armRetryStrategy(t: GatewayTuning): RetryStrategy {
  const backOff = (retryCount: number) => {
    const exp = Math.min(t.maxRetryDelayMs, t.retryDelayMs * 2 ** retryCount);
    // Jitter keeps many bot instances from retrying in lockstep.
    return Math.round(exp * (0.8 + Math.random() * 0.4));
  };
  return {
    name: 'aibArmRetryStrategy',
    retry({ retryCount, response, responseError }) {
      const status = response?.status;
      if (response && (status === 429 || status === 503)) {
        const wait = retryAfterMs(response);
        if (wait !== undefined) {
          if (wait > t.maxRetryAfterMs) return { skipStrategy: true };
          // A Retry-After of 0 would turn a throttled service into a tight loop.
          return { retryAfterInMs: Math.max(wait, 50) };
        }
        return { retryAfterInMs: backOff(retryCount) };
      }
      if (status !== undefined && ((status >= 500 && status !== 501 && status !== 505) || status === 408)) {
        return { retryAfterInMs: backOff(retryCount) };
      }
      if (!response && responseError && RETRIABLE_CONNECTION_CODES.has(String(responseError.code))) {
        return { retryAfterInMs: backOff(retryCount) };
      }
      return { skipStrategy: true };
    },
  };
}
