import { z } from 'zod';

// Environment → typed configuration. Sandbox versus Azure is decided here and nowhere else, so every other
// module receives a target and never looks at process.env itself.

export type AzureTarget =
  | {
      kind: 'azure';
      subscriptionId: string;
      /** Resource groups the bot looks in; empty means the whole subscription. */
      resourceGroups: string[];
      /** Client id of a user-assigned managed identity; otherwise DefaultAzureCredential decides. */
      clientId?: string;
      /** `https://{account}.blob.core.windows.net` style template for build-log blobs. */
      blobEndpointTemplate: string;
    }
  | {
      kind: 'sandbox';
      /** Either an already running sandbox (from `aib-chatops sandbox`), or one this process starts. */
      origin: 'external' | 'embedded';
      armEndpoint?: string;
      blobEndpoint?: string;
      storageKey?: string;
      subscriptionId?: string;
      resourceGroups: string[];
    };

/**
 * Where bot state (pending confirmations, card references) and the audit trail live. Azure: a storage account reached
 * with the bot's token credential (it needs Storage Blob Data Contributor). Sandbox: the Azurite account the sandbox
 * sets aside for it, with the sandbox's shared key.
 */
export type StateStoreLocation =
  | { kind: 'azure'; url: string; clientId?: string }
  | { kind: 'sandbox'; url: string; account: string; key: string };

export interface BotIdentity {
  /** Empty: local development, no token checks (never allowed in production). */
  appId: string;
  appPassword?: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId?: string;
}

export interface AppConfig {
  production: boolean;
  port: number;
  azure: AzureTarget;
  bot: BotIdentity;
  /** Path of the action policy JSON; unset means the mode's default (sandbox: all allowed, production: read-only). */
  actionPolicyPath?: string;
  /** 'portal': support cases are prefilled links; 'api': created through the support API. */
  supportMode: 'portal' | 'api';
  /** Blob account for bot state and the audit trail (`https://acct.blob.core.windows.net`); the sandbox uses Azurite. */
  stateStorageUrl?: string;
  /**
   * The same account with its credential. Unset for an embedded sandbox (the app takes `sandbox.stateStorage` once it
   * has started one) and in Azure mode without BOT_STORAGE_ACCOUNT_URL.
   */
  stateStore?: StateStoreLocation;
  stateContainer: string;
  auditContainer: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Largest number of log bytes a full scan reads before it reports a partial result. */
  logMaxBytes: number;
  /** Bytes read from the end of a log for the quick first answer. */
  logTailBytes: number;
  /** Milliseconds per run sub-state in an embedded sandbox (Queued → Building → …). */
  sandboxStepMs: number;
  /**
   * AIB_ALLOW_AZURE_WITHOUT_TOKEN_CHECKS: the developer's explicit yes to a bot that acts on real Azure with their
   * credentials while checking no Bot Framework tokens (it then listens on 127.0.0.1 and answers local connectors only).
   */
  allowAzureWithoutTokenChecks: boolean;
  /** What the action policy allows where no rule decides: ACTION_POLICY_DEFAULT, else `all` in a sandbox, `read-only` on Azure. */
  actionPolicyDefault: 'read-only' | 'deny' | 'all';
  /** How long a confirmation card can be answered. */
  confirmationTtlMinutes: number;
  /** Messages and clicks one conversation may send per minute before the bot asks it to slow down. */
  rateLimitPerMinute: number;
  /** Pasted text beyond this many characters is cut (the end is kept) before anything reads it. */
  maxPasteChars: number;
  /** Full log scans running at once, across all conversations (one per template at a time). */
  scanConcurrency: number;
  /** The failure notifier (src/watch): poll interval, catch-up window, digest rule, leader lease. */
  watch: WatchConfig;
}

export interface WatchConfig {
  intervalMs: number;
  catchUpMs: number;
  digestThreshold: number;
  digestWindowMs: number;
  leaseSeconds: number;
}

export class ConfigError extends Error {
  readonly code = 'config-invalid';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const MiB = 1024 * 1024;

const csv = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean));

const positiveInt = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected a positive whole number, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const EnvSchema = z.object({
  NODE_ENV: z.string().optional(),
  PORT: positiveInt(3978),
  AZURE_SUBSCRIPTION_ID: z.string().optional(),
  AZURE_RESOURCE_GROUPS: csv,
  AZURE_CLIENT_ID: z.string().optional(),
  AIB_BLOB_ENDPOINT_TEMPLATE: z.string().optional(),
  AIB_LOG_MAX_BYTES: positiveInt(512 * MiB),
  AIB_LOG_TAIL_BYTES: positiveInt(1 * MiB),
  AIB_SANDBOX_ARM_ENDPOINT: z.string().url().optional(),
  AIB_SANDBOX_BLOB_ENDPOINT: z.string().url().optional(),
  AIB_SANDBOX_STORAGE_KEY: z.string().optional(),
  AIB_SANDBOX_SUBSCRIPTION_ID: z.string().optional(),
  AIB_SANDBOX_RESOURCE_GROUP: z.string().optional(),
  AIB_SANDBOX_STEP_MS: positiveInt(20000),
  AIB_SANDBOX_STATE_URL: z.string().url().optional(),
  MicrosoftAppId: z.string().optional(),
  MicrosoftAppPassword: z.string().optional(),
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  MicrosoftAppTenantId: z.string().optional(),
  ACTION_POLICY: z.string().optional(),
  SUPPORT_MODE: z.enum(['portal', 'api']).optional(),
  BOT_STORAGE_ACCOUNT_URL: z.string().url().optional(),
  BOT_STATE_CONTAINER: z.string().optional(),
  AUDIT_CONTAINER: z.string().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).optional(),
  AIB_WATCH_INTERVAL_MS: positiveInt(60_000),
  AIB_WATCH_CATCH_UP_MINUTES: positiveInt(24 * 60),
  AIB_WATCH_DIGEST_THRESHOLD: positiveInt(5),
  AIB_WATCH_DIGEST_MINUTES: positiveInt(10),
  AIB_WATCH_LEASE_SECONDS: positiveInt(15),
  AIB_ALLOW_AZURE_WITHOUT_TOKEN_CHECKS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '' || /^(false|0|no)$/i.test(v)) return false;
      if (/^(true|1|yes)$/i.test(v)) return true;
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected true or false, got "${v}"` });
      return z.NEVER;
    }),
  ACTION_POLICY_DEFAULT: z.enum(['read-only', 'deny', 'all']).optional(),
  CONFIRMATION_TTL_MINUTES: positiveInt(15),
  RATE_LIMIT_PER_MINUTE: positiveInt(30),
  AIB_MAX_PASTE_CHARS: positiveInt(20_000),
  AIB_SCAN_CONCURRENCY: positiveInt(2),
});

/** Every environment variable the application reads; the README's configuration reference documents each. */
export const CONFIG_VARIABLES = Object.keys(EnvSchema.shape);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError(`${first.path.join('.')}: ${first.message}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const bot: BotIdentity = {
    appId: e.MicrosoftAppId ?? '',
    appPassword: e.MicrosoftAppPassword,
    appType: e.MicrosoftAppType ?? (e.MicrosoftAppTenantId ? 'SingleTenant' : 'MultiTenant'),
    tenantId: e.MicrosoftAppTenantId,
  };
  if (production && !bot.appId) {
    throw new ConfigError('NODE_ENV=production but MicrosoftAppId is empty: a production bot always validates Bot Framework tokens. Set MicrosoftAppId (and MicrosoftAppType/MicrosoftAppTenantId).');
  }
  if (bot.appType !== 'MultiTenant' && bot.appId && !bot.tenantId) {
    throw new ConfigError(`MicrosoftAppType=${bot.appType} needs MicrosoftAppTenantId.`);
  }
  const azure = chooseTarget(e, production);
  const stateStore = chooseStateStore(e, azure);
  return {
    production,
    port: e.PORT,
    azure,
    bot,
    actionPolicyPath: e.ACTION_POLICY,
    supportMode: e.SUPPORT_MODE ?? 'portal',
    stateStorageUrl: stateStore?.url,
    stateStore,
    stateContainer: e.BOT_STATE_CONTAINER ?? 'bot-state',
    auditContainer: e.AUDIT_CONTAINER ?? 'audit',
    logLevel: e.LOG_LEVEL ?? 'info',
    logMaxBytes: e.AIB_LOG_MAX_BYTES,
    logTailBytes: e.AIB_LOG_TAIL_BYTES,
    sandboxStepMs: e.AIB_SANDBOX_STEP_MS,
    allowAzureWithoutTokenChecks: e.AIB_ALLOW_AZURE_WITHOUT_TOKEN_CHECKS,
    actionPolicyDefault: e.ACTION_POLICY_DEFAULT ?? (azure.kind === 'sandbox' ? 'all' : 'read-only'),
    confirmationTtlMinutes: e.CONFIRMATION_TTL_MINUTES,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    maxPasteChars: e.AIB_MAX_PASTE_CHARS,
    scanConcurrency: e.AIB_SCAN_CONCURRENCY,
    watch: watchConfig(e),
  };
}

/**
 * Whether this configuration may serve `/api/messages`. The CLI reads the same configuration and never listens, so
 * the check lives here rather than in loadConfig: a bot on real Azure without token checks acts with whoever's
 * credentials it runs under (on a laptop, the developer's `az login`) for anyone who reaches it, so it needs the
 * developer's explicit opt-in.
 */
export function checkServeConfig(config: AppConfig): void {
  if (config.azure.kind !== 'azure' || config.bot.appId || config.allowAzureWithoutTokenChecks) return;
  throw new ConfigError(
    'AZURE_SUBSCRIPTION_ID is set but MicrosoftAppId is empty: the bot would check no Bot Framework tokens while acting on Azure with your credentials. ' +
      'Set MicrosoftAppId (and MicrosoftAppType/MicrosoftAppTenantId) to serve Teams, or set AIB_ALLOW_AZURE_WITHOUT_TOKEN_CHECKS=true to try it from this machine only ' +
      '(it then listens on 127.0.0.1 and answers only a local connector such as the Agents Playground).',
  );
}

function watchConfig(e: z.infer<typeof EnvSchema>): WatchConfig {
  // Azure takes blob leases of 15-60 s only; anything else would fail at the first election, so say it at start-up.
  if (e.AIB_WATCH_LEASE_SECONDS < 15 || e.AIB_WATCH_LEASE_SECONDS > 60) {
    throw new ConfigError(`AIB_WATCH_LEASE_SECONDS: a blob lease lasts 15 to 60 seconds, got ${e.AIB_WATCH_LEASE_SECONDS}`);
  }
  return {
    intervalMs: e.AIB_WATCH_INTERVAL_MS,
    catchUpMs: e.AIB_WATCH_CATCH_UP_MINUTES * 60_000,
    digestThreshold: e.AIB_WATCH_DIGEST_THRESHOLD,
    digestWindowMs: e.AIB_WATCH_DIGEST_MINUTES * 60_000,
    leaseSeconds: e.AIB_WATCH_LEASE_SECONDS,
  };
}

function chooseTarget(e: z.infer<typeof EnvSchema>, production: boolean): AzureTarget {
  if (e.AIB_SANDBOX_ARM_ENDPOINT) {
    if (production) throw new ConfigError('AIB_SANDBOX_ARM_ENDPOINT is set but NODE_ENV=production: a production bot never talks to a sandbox.');
    if (!e.AIB_SANDBOX_BLOB_ENDPOINT || !e.AIB_SANDBOX_STORAGE_KEY) {
      throw new ConfigError('AIB_SANDBOX_ARM_ENDPOINT needs AIB_SANDBOX_BLOB_ENDPOINT and AIB_SANDBOX_STORAGE_KEY too: copy the whole "env" object `aib-chatops sandbox` prints.');
    }
    return {
      kind: 'sandbox',
      origin: 'external',
      armEndpoint: e.AIB_SANDBOX_ARM_ENDPOINT,
      blobEndpoint: e.AIB_SANDBOX_BLOB_ENDPOINT,
      storageKey: e.AIB_SANDBOX_STORAGE_KEY,
      subscriptionId: e.AIB_SANDBOX_SUBSCRIPTION_ID,
      resourceGroups: e.AIB_SANDBOX_RESOURCE_GROUP ? [e.AIB_SANDBOX_RESOURCE_GROUP] : [],
    };
  }
  if (e.AZURE_SUBSCRIPTION_ID) {
    return {
      kind: 'azure',
      subscriptionId: e.AZURE_SUBSCRIPTION_ID,
      resourceGroups: e.AZURE_RESOURCE_GROUPS,
      clientId: e.AZURE_CLIENT_ID,
      blobEndpointTemplate: e.AIB_BLOB_ENDPOINT_TEMPLATE ?? 'https://{account}.blob.core.windows.net',
    };
  }
  if (production) {
    throw new ConfigError('NODE_ENV=production but AZURE_SUBSCRIPTION_ID is not set: set it (and AZURE_CLIENT_ID for a managed identity). A production bot never falls back to the sandbox.');
  }
  return { kind: 'sandbox', origin: 'embedded', resourceGroups: [] };
}

function chooseStateStore(e: z.infer<typeof EnvSchema>, azure: AzureTarget): StateStoreLocation | undefined {
  if (azure.kind === 'sandbox') {
    if (!e.AIB_SANDBOX_STATE_URL || !azure.storageKey) return undefined;
    // Azurite is path-style: the account is the URL's first path segment.
    const account = new URL(e.AIB_SANDBOX_STATE_URL).pathname.split('/').filter(Boolean)[0];
    if (!account) throw new ConfigError(`AIB_SANDBOX_STATE_URL must end with the storage account name (http://127.0.0.1:PORT/ACCOUNT), got ${e.AIB_SANDBOX_STATE_URL}.`);
    return { kind: 'sandbox', url: e.AIB_SANDBOX_STATE_URL.replace(/\/+$/, ''), account, key: azure.storageKey };
  }
  if (!e.BOT_STORAGE_ACCOUNT_URL) return undefined;
  if (!e.BOT_STORAGE_ACCOUNT_URL.startsWith('https://')) {
    throw new ConfigError(`BOT_STORAGE_ACCOUNT_URL must be an https:// URL (the bot sends its Azure token there), got ${e.BOT_STORAGE_ACCOUNT_URL}.`);
  }
  return { kind: 'azure', url: e.BOT_STORAGE_ACCOUNT_URL.replace(/\/+$/, ''), clientId: e.AZURE_CLIENT_ID };
}
