import { ImageBuilderClient } from '@azure/arm-imagebuilder';
import { StorageManagementClient } from '@azure/arm-storage';
import {
  bearerTokenAuthenticationPolicyName,
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
  /** Storage control plane for a subscription (the staging group's storage account lookup). */
  storageManagement(subscriptionId: string): StorageManagementClient;
  /** Blob data plane for one staging storage account. */
  blobService(account: string): BlobServiceClient;
  /** The URL a log's account is read from; always rebuilt from the target, never taken from a status message. */
  blobAccountUrl(account: string): string;
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
    { kind: 'azure', subscriptionId, tuning: t, imageBuilder, blobAccountUrl },
    {
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
  return withCachedClients(
    { kind: 'sandbox', subscriptionId, tuning: t, imageBuilder, blobAccountUrl },
    {
      storage: (s) => {
        const client = new StorageManagementClient(noTokenCredential, s, {
          endpoint: arm,
          $host: arm,
          allowInsecureConnection: true,
          retryOptions: { maxRetries: t.maxRetries },
        });
        makeSandboxPipeline(client.pipeline);
        tunePipeline(client.pipeline, t);
        return client;
      },
      blob: (account) => {
        // Every sandbox account shares one key (AZURITE_ACCOUNTS), so the shared-key credential stands in for RBAC.
        const credential = new StorageSharedKeyCredential(checkStorageAccountName(account), storageKey);
        return new BlobServiceClient(blobAccountUrl(account), credential, blobPipelineOptions(t));
      },
    },
  );
}

/** A target's clients: the storage and blob ones made on first use and kept, one per subscription and per account. */
function withCachedClients(
  fixed: Pick<AzureClients, 'kind' | 'subscriptionId' | 'tuning' | 'imageBuilder' | 'blobAccountUrl'>,
  make: { storage(subscriptionId: string): StorageManagementClient; blob(account: string): BlobServiceClient },
): AzureClients {
  const storageClients = new Map<string, StorageManagementClient>();
  const blobClients = new Map<string, BlobServiceClient>();
  return {
    ...fixed,
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
