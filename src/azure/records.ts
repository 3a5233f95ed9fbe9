import { createHash, randomUUID } from 'node:crypto';
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import {
  ContainerClient,
  StorageSharedKeyCredential,
  type StoragePipelineOptions,
} from '@azure/storage-blob';
import { z } from 'zod';
import type { StateStoreLocation } from '../config';
import { redactDeep } from '../diagnosis/redact';
import { AzureGatewayError, redactSecrets, toGatewayError } from './errors';

// The bot's own durable records in Blob Storage: action claims (exactly one of several concurrent clicks wins) and
// the audit trail (one append blob per UTC day). Both sit in a storage account the bot owns, never in a staging
// account of a template.

export interface RecordStoreTarget {
  /** Account URL: `https://acct.blob.core.windows.net`, or Azurite's path-style `http://127.0.0.1:P/acct`. */
  url: string;
  kind: 'sandbox' | 'azure';
  /** Sandbox: account name (derived from the URL when absent) and shared key. */
  account?: string;
  key?: string;
  container: string;
  /** Azure: client id of the user-assigned managed identity; otherwise DefaultAzureCredential decides. */
  clientId?: string;
}

export interface ActionClaim {
  key: string;
  action: string;
  templateId: string;
  by: { name?: string; aadObjectId?: string };
  at: string;
  status: 'running' | 'done' | 'failed';
  result?: string;
  /** Who is working on a running claim, and until when it counts as alive (a dead holder's claim may be taken over). */
  holder?: string;
  heldUntil?: string;
}

export interface RecordStore {
  /** Create-only (If-None-Match: *): exactly one of N concurrent callers gets `{ claimed: true }`; the others get the existing claim. */
  claim(c: ActionClaim): Promise<{ claimed: true } | { claimed: false; existing: ActionClaim }>;
  /** Overwrites an existing claim (status/result); fails with `not-found` when nobody claimed the key. */
  update(c: ActionClaim): Promise<void>;
  get(key: string): Promise<ActionClaim | undefined>;
}

export interface ConditionalRecordStore extends RecordStore {
  /**
   * Compare-and-swap: reads the claim, asks `next` for its replacement (undefined: leave it), and writes that only if
   * nobody wrote the claim since it was read (If-Match on the eTag read), so of several callers replacing the same
   * claim at most one succeeds. False when `next` declined, the claim changed in between, or it does not exist.
   */
  replaceIf(key: string, next: (existing: ActionClaim) => ActionClaim | undefined): Promise<boolean>;
}

export const AUDIT_RESULTS = ['requested', 'confirmed', 'dismissed', 'denied', 'succeeded', 'failed', 'duplicate', 'stale'] as const;
export type AuditResult = (typeof AUDIT_RESULTS)[number];

export interface AuditRecord {
  /** Set by append when absent; lets readers drop the copy a retried append may leave behind. */
  id?: string;
  time: string;
  user: { name?: string; aadObjectId?: string; id?: string };
  tenantId?: string;
  conversationId: string;
  action: string;
  target: string;
  parameters?: Record<string, unknown>;
  result: AuditResult;
  detail?: string;
}

export interface AuditListOptions {
  /** Records at or after this instant. */
  since?: Date;
  /** Only the newest N records (still yielded oldest first). */
  limit?: number;
  /** Called for a line that is not an audit record (hand-edited blob); the line is skipped. */
  onInvalidLine?: (blob: string, lineNumber: number) => void;
}

export interface AuditLog {
  /** Throws RecordInputError for a malformed record, AuditWriteError when storage fails: never resolves unwritten. */
  append(r: AuditRecord): Promise<void>;
  list(options?: AuditListOptions): AsyncIterable<AuditRecord>;
}

/** An audit record or claim that cannot be stored as given (the caller's bug, not Azure's). */
export class RecordInputError extends Error {
  readonly code = 'record-invalid';
  constructor(message: string) {
    super(message);
    this.name = 'RecordInputError';
  }
}

/**
 * An audit record could not be stored. Never swallowed: the bot answers "refused: the audit trail cannot be written"
 * and leaves Azure alone. `reason` is the storage failure's code (service-unavailable, forbidden…), `cause` the
 * full typed error for the server log.
 */
export class AuditWriteError extends Error {
  readonly code = 'audit-unwritable';
  readonly reason: AzureGatewayError['code'];
  constructor(
    where: string,
    override readonly cause: AzureGatewayError,
  ) {
    super(`The audit trail ${where} cannot be written (${cause.code}): ${cause.message}`);
    this.name = 'AuditWriteError';
    this.reason = cause.code;
  }
}

export function isAuditWriteError(e: unknown): e is AuditWriteError {
  return e instanceof AuditWriteError;
}

/** The data-plane role the bot's identity needs on its state account. */
export const RECORDS_WRITER_ROLE = 'Storage Blob Data Contributor';

/** The location from config plus a container name → a target for the functions below. */
export function recordStoreTarget(location: StateStoreLocation, container: string): RecordStoreTarget {
  return location.kind === 'azure'
    ? { kind: 'azure', url: location.url, container, clientId: location.clientId }
    : { kind: 'sandbox', url: location.url, account: location.account, key: location.key, container };
}

// ---------------------------------------------------------------------------------------------------------------
// Connection

/** A few quick retries: an audit write or a claim must not make a card action hang. */
const PIPELINE_OPTIONS: StoragePipelineOptions = {
  retryOptions: { maxTries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 2000 },
};

interface Connection {
  container: ContainerClient;
  account: ResolvedAccount;
  /** For error messages: `account/container`, never with a query string. */
  where: string;
  ensure(): Promise<void>;
  /** After ContainerNotFound (someone deleted the container): the next ensure() creates it again. */
  forget(): void;
}

const CONTAINER_NAME = /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

function connect(t: RecordStoreTarget): Connection {
  const resolved = resolveAccount(t);
  const { url, credential, account } = resolved;
  if (!CONTAINER_NAME.test(t.container)) {
    throw new AzureGatewayError('misconfigured', `"${t.container}" is not a valid blob container name (3-63 lowercase letters, digits and single hyphens).`, {
      invalidValue: t.container,
    });
  }
  const container = new ContainerClient(`${url}/${t.container}`, credential, PIPELINE_OPTIONS);
  const where = `${account}/${t.container}`;
  let ready: Promise<void> | undefined;
  return {
    container,
    account: resolved,
    where,
    ensure() {
      ready ??= container.createIfNotExists().then(
        () => undefined,
        (e: unknown) => {
          // Forget the failure so the next call tries again instead of failing forever.
          ready = undefined;
          throw storeError(e, where);
        },
      );
      return ready;
    },
    forget() {
      ready = undefined;
    },
  };
}

interface ResolvedAccount {
  url: string;
  credential: StorageSharedKeyCredential | TokenCredential;
  account: string;
}

function resolveAccount(t: RecordStoreTarget): ResolvedAccount {
  let parsed: URL;
  try {
    parsed = new URL(t.url);
  } catch {
    throw new AzureGatewayError('misconfigured', `The state storage URL "${redactSecrets(t.url)}" is not a URL.`);
  }
  if (parsed.search) {
    // A SAS in the URL would be written into every error message and log line that names the store.
    throw new AzureGatewayError('misconfigured', 'The state storage URL must not carry a query string (no SAS tokens): give the account URL only.');
  }
  const base = `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
  if (t.kind === 'azure') {
    if (parsed.protocol !== 'https:') {
      throw new AzureGatewayError('misconfigured', `The state storage URL must be https:// in Azure mode, got ${parsed.protocol}//${parsed.host}.`);
    }
    const credential: TokenCredential = t.clientId ? new ManagedIdentityCredential({ clientId: t.clientId }) : new DefaultAzureCredential();
    return { url: base, credential, account: parsed.hostname.split('.')[0] };
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    throw new AzureGatewayError('misconfigured', `The sandbox state store must be on a loopback address (127.0.0.1), got ${parsed.host}.`);
  }
  const account = t.account ?? parsed.pathname.split('/').filter(Boolean)[0];
  if (!account || !t.key) {
    throw new AzureGatewayError('misconfigured', 'The sandbox state store needs the account name and the sandbox storage key.');
  }
  return { url: base, credential: new StorageSharedKeyCredential(account, t.key), account };
}

/**
 * Storage errors mapped like ARM ones (the `blob` surface of toGatewayError speaks about build logs, which would
 * mislead here); a refusal names the role the bot's identity is missing.
 */
function storeError(e: unknown, resource: string): AzureGatewayError {
  const mapped = toGatewayError(e, { surface: 'arm', resource });
  if (mapped.code === 'forbidden') {
    return new AzureGatewayError(
      'forbidden',
      `The bot's state storage ${resource} refused access (${mapped.status ?? 'no status'}${mapped.serviceCode ? ` ${mapped.serviceCode}` : ''}); its identity needs the ${RECORDS_WRITER_ROLE} role on that account.`,
      { ...mapped.toJSON(), requiredRole: RECORDS_WRITER_ROLE },
    );
  }
  return mapped;
}

function statusOf(e: unknown): number | undefined {
  const s = (e as { statusCode?: unknown })?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

function serviceCodeOf(e: unknown): string | undefined {
  const c = (e as { code?: unknown; details?: { errorCode?: unknown } })?.details?.errorCode ?? (e as { code?: unknown })?.code;
  return typeof c === 'string' ? c : undefined;
}

async function readText(body: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!body) return '';
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(parts).toString('utf8');
}

// ---------------------------------------------------------------------------------------------------------------
// Claims

const ClaimSchema = z.object({
  key: z.string().min(1),
  action: z.string().min(1),
  templateId: z.string().min(1),
  by: z.object({ name: z.string().optional(), aadObjectId: z.string().optional() }),
  at: z.string().min(1),
  status: z.enum(['running', 'done', 'failed']),
  result: z.string().optional(),
  holder: z.string().optional(),
  heldUntil: z.string().optional(),
});

/** Metadata that tells our own claim from a rival's when a retried create meets the blob its first try wrote. */
const NONCE_METADATA = 'claimnonce';

/**
 * A blob at a claim's name that is not a claim for that key (forged, corrupt, written by something else). Still an
 * `unexpected` gateway error for callers that only know those; the watcher tells it apart to fail safe.
 */
export class UnreadableClaimError extends AzureGatewayError {
  constructor(resource: string) {
    super('unexpected', `The claim blob ${resource} does not hold a claim for this key.`, { resource });
  }
}

/** Keys name templates and conversations; hashing keeps blob names short, flat and free of reserved characters. */
export function claimBlobName(key: string): string {
  return `claims/${createHash('sha256').update(key, 'utf8').digest('hex')}.json`;
}

export function createRecordStore(t: RecordStoreTarget): ConditionalRecordStore {
  const conn = connect(t);

  const read = async (key: string): Promise<{ claim: ActionClaim; nonce?: string; etag?: string } | undefined> => {
    await conn.ensure();
    const name = claimBlobName(key);
    let text: string;
    let nonce: string | undefined;
    let etag: string | undefined;
    try {
      const res = await conn.container.getBlobClient(name).download();
      nonce = res.metadata?.[NONCE_METADATA];
      etag = res.etag;
      text = await readText(res.readableStreamBody);
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw storeError(e, `${conn.where}/${name}`);
    }
    const parsed = safeJson(text, ClaimSchema);
    if (!parsed || parsed.key !== key) throw new UnreadableClaimError(`${conn.where}/${name}`);
    return { claim: parsed, nonce, etag };
  };

  return {
    async claim(c) {
      const claim = checkClaim(c);
      await conn.ensure();
      const name = claimBlobName(claim.key);
      const blob = conn.container.getBlockBlobClient(name);
      const body = JSON.stringify(claim);
      const nonce = randomUUID();
      // A rival's claim can vanish between our failed create and our read (someone cleaned up); then try again.
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await blob.upload(body, Buffer.byteLength(body), {
            conditions: { ifNoneMatch: '*' },
            metadata: { [NONCE_METADATA]: nonce },
            blobHTTPHeaders: { blobContentType: 'application/json' },
          });
          return { claimed: true };
        } catch (e) {
          const status = statusOf(e);
          if (status === 404 && serviceCodeOf(e) === 'ContainerNotFound') {
            conn.forget();
            await conn.ensure();
            continue;
          }
          if (status !== 409 && status !== 412) throw storeError(e, `${conn.where}/${name}`);
        }
        const existing = await read(claim.key);
        if (!existing) continue;
        // The SDK retries a create whose answer got lost; the retry then finds the blob our first try wrote.
        if (existing.nonce === nonce) return { claimed: true };
        return { claimed: false, existing: existing.claim };
      }
      throw new AzureGatewayError('conflict', `The claim ${claim.key} kept appearing and disappearing; try again.`, { resource: `${conn.where}/${name}` });
    },

    async update(c) {
      const claim = checkClaim(c);
      await conn.ensure();
      const name = claimBlobName(claim.key);
      const resource = `${conn.where}/${name}`;
      const blob = conn.container.getBlockBlobClient(name);
      const body = JSON.stringify(claim);
      // Read the eTag, then write under If-Match: an update never creates (a claim nobody made cannot be finished).
      // If-Match: * would say the same in one request, but Azurite ignores it on a missing blob.
      for (let attempt = 0; attempt < 3; attempt++) {
        let etag: string | undefined;
        try {
          etag = (await blob.getProperties()).etag;
        } catch (e) {
          if (statusOf(e) === 404) throw new AzureGatewayError('not-found', `No claim ${claim.key} to update.`, { status: 404, resource });
          throw storeError(e, resource);
        }
        try {
          await blob.upload(body, Buffer.byteLength(body), {
            conditions: { ifMatch: etag },
            blobHTTPHeaders: { blobContentType: 'application/json' },
          });
          return;
        } catch (e) {
          const status = statusOf(e);
          if (status === 412 || status === 404) continue; // changed or removed in between: look again
          throw storeError(e, resource);
        }
      }
      throw new AzureGatewayError('conflict', `The claim ${claim.key} kept changing while it was being updated.`, { resource });
    },

    async get(key) {
      return (await read(key))?.claim;
    },

    async replaceIf(key, next) {
      const existing = await read(key);
      const replacement = existing?.etag ? next(existing.claim) : undefined;
      if (!replacement) return false;
      const claim = checkClaim(replacement);
      if (claim.key !== key) throw new RecordInputError('claim.key: a replacement keeps the key it replaces');
      const name = claimBlobName(key);
      const body = JSON.stringify(claim);
      try {
        await conn.container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), {
          conditions: { ifMatch: existing!.etag },
          blobHTTPHeaders: { blobContentType: 'application/json' },
        });
        return true;
      } catch (e) {
        const status = statusOf(e);
        if (status === 412 || status === 404) return false; // someone else wrote (or removed) it first
        throw storeError(e, `${conn.where}/${name}`);
      }
    },
  };
}

function checkClaim(c: ActionClaim): ActionClaim {
  const parsed = ClaimSchema.safeParse(c);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RecordInputError(`claim.${issue.path.join('.')}: ${issue.message}`);
  }
  // The key stays as given (it is looked up again by the caller); the free text is what could quote a secret.
  const claim = parsed.data as ActionClaim;
  return claim.result === undefined ? claim : { ...claim, result: scrub(claim.result) as string };
}

// ---------------------------------------------------------------------------------------------------------------
// Audit

const AuditSchema = z.object({
  id: z.string().optional(),
  time: z.string().refine((s) => Number.isFinite(Date.parse(s)), 'expected an ISO 8601 time'),
  user: z.object({ name: z.string().optional(), aadObjectId: z.string().optional(), id: z.string().optional() }),
  tenantId: z.string().optional(),
  conversationId: z.string(),
  action: z.string().min(1),
  target: z.string(),
  parameters: z.record(z.unknown()).optional(),
  result: z.enum(AUDIT_RESULTS),
  detail: z.string().optional(),
});

/** An audit line stays far below the 4 MiB append-block limit; oversized details are cut, never the record dropped. */
const MAX_FIELD_CHARS = 4000;
const MAX_RECORD_BYTES = 64 * 1024;

const DAY_BLOB = /^(\d{4}-\d{2}-\d{2})(?:\.(\d+))?\.jsonl$/;

/** 50 000 records per part: a day would need 50 million audited actions to exhaust this. */
const MAX_ROLLOVERS = 1000;

/** `2026-11-21.jsonl`, then `2026-11-21.1.jsonl`… once a day's blob reaches the 50 000-block limit of append blobs. */
export function auditBlobName(day: string, part: number): string {
  return part === 0 ? `${day}.jsonl` : `${day}.${part}.jsonl`;
}

export function createAuditLog(t: RecordStoreTarget): AuditLog {
  const conn = connect(t);
  /** Blobs this process created or found, and the part each day is currently written to. */
  const known = new Set<string>();
  const currentPart = new Map<string, number>();

  /** The newest part of a day's file that exists, found by listing (0 when the day has none yet). */
  const latestPart = async (day: string): Promise<number> => {
    let latest = 0;
    try {
      for await (const item of conn.container.listBlobsFlat({ prefix: day })) {
        const m = DAY_BLOB.exec(item.name);
        if (m && m[1] === day) latest = Math.max(latest, Number(m[2] ?? 0));
      }
    } catch (e) {
      if (statusOf(e) === 404) return 0;
      throw storeError(e, conn.where);
    }
    return latest;
  };

  const appendLine = async (day: string, line: string): Promise<void> => {
    const bytes = Buffer.byteLength(line);
    // A process that starts mid-day continues the part other writers are on, not part 0.
    let part = currentPart.get(day) ?? (await latestPart(day));
    let recreated = 0;
    for (let rollovers = 0; rollovers < MAX_ROLLOVERS; ) {
      const name = auditBlobName(day, part);
      const blob = conn.container.getAppendBlobClient(name);
      try {
        if (!known.has(name)) {
          await blob.createIfNotExists({ blobHTTPHeaders: { blobContentType: 'application/x-ndjson; charset=utf-8' } });
          known.add(name);
        }
        // One block per record: Blob Storage commits a block whole or not at all, so concurrent writers never
        // interleave inside a line.
        await blob.appendBlock(line, bytes);
        currentPart.set(day, part);
        return;
      } catch (e) {
        const status = statusOf(e);
        const code = serviceCodeOf(e);
        if (status === 404 && recreated < 3) {
          // The day's blob, or the whole container, was deleted behind our back: create it again.
          recreated++;
          known.delete(name);
          if (code === 'ContainerNotFound') {
            known.clear();
            conn.forget();
            await conn.ensure();
          }
          continue;
        }
        if (status === 409 && code === 'BlockCountExceedsLimit') {
          // This part is full. Other writers may have rolled over already: continue after the newest part.
          rollovers++;
          part = Math.max(part + 1, await latestPart(day));
          continue;
        }
        throw storeError(e, `${conn.where}/${name}`);
      }
    }
    throw new AzureGatewayError('unexpected', `Every part of the audit log of ${day} up to ${part} was full.`, { resource: conn.where });
  };

  return {
    async append(r) {
      const parsed = AuditSchema.safeParse(r);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new RecordInputError(`audit record ${issue.path.join('.') || '(record)'}: ${issue.message}`);
      }
      const record = scrub({ ...parsed.data, id: parsed.data.id ?? randomUUID() }) as AuditRecord;
      const line = `${fitLine(record)}\n`;
      try {
        await conn.ensure();
        await appendLine(new Date(record.time).toISOString().slice(0, 10), line);
      } catch (e) {
        throw new AuditWriteError(conn.where, e instanceof AzureGatewayError ? e : storeError(e, conn.where));
      }
    },

    list(options = {}) {
      return listAudit(conn, options);
    },
  };
}

async function* listAudit(conn: Connection, options: AuditListOptions): AsyncGenerator<AuditRecord> {
  const { since, limit, onInvalidLine } = options;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new RecordInputError(`limit must be a positive whole number, got ${limit}`);
  if (since !== undefined && !Number.isFinite(since.getTime())) throw new RecordInputError('since is not a valid date');
  const sinceDay = since?.toISOString().slice(0, 10);
  const sinceMs = since?.getTime();

  let blobs: { name: string; day: string; part: number }[];
  try {
    const exists = await conn.container.exists();
    if (!exists) return;
    blobs = [];
    for await (const item of conn.container.listBlobsFlat()) {
      const m = DAY_BLOB.exec(item.name);
      if (!m) continue;
      if (sinceDay && m[1] < sinceDay) continue;
      blobs.push({ name: item.name, day: m[1], part: Number(m[2] ?? 0) });
    }
  } catch (e) {
    throw storeError(e, conn.where);
  }
  blobs.sort((a, b) => (a.day === b.day ? a.part - b.part : a.day < b.day ? -1 : 1));

  const keep = (r: AuditRecord) => sinceMs === undefined || Date.parse(r.time) >= sinceMs;

  if (limit === undefined) {
    for (const b of blobs) for (const r of await readDay(conn, b.name, onInvalidLine)) if (keep(r)) yield r;
    return;
  }
  // Newest first until enough are in hand, so `--limit 20` on a year of audit reads a day or two, not the year.
  let newest: AuditRecord[] = [];
  for (const b of [...blobs].reverse()) {
    const records = (await readDay(conn, b.name, onInvalidLine)).filter(keep);
    newest = [...records, ...newest];
    if (newest.length >= limit) break;
  }
  yield* newest.slice(-limit);
}

async function readDay(conn: Connection, name: string, onInvalidLine?: (blob: string, lineNumber: number) => void): Promise<AuditRecord[]> {
  let text: string;
  try {
    text = await readText((await conn.container.getBlobClient(name).download()).readableStreamBody);
  } catch (e) {
    if (statusOf(e) === 404) return [];
    throw storeError(e, `${conn.where}/${name}`);
  }
  const out: AuditRecord[] = [];
  const seen = new Set<string>();
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const record = safeJson(line, AuditSchema);
    if (!record) {
      onInvalidLine?.(name, i + 1);
      return;
    }
    if (record.id) {
      if (seen.has(record.id)) return;
      seen.add(record.id);
    }
    out.push(record as AuditRecord);
  });
  return out;
}

function safeJson<T>(text: string, schema: z.ZodType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Scrubbing: whatever the caller passes, no SAS, key or token reaches the durable record (the shared rules, so the
// audit trail is scrubbed exactly like cards and logs).

const scrub = redactDeep;

/** Serialises a record, trimming long strings if it would not fit one reasonable line. */
function fitLine(record: AuditRecord): string {
  let line = JSON.stringify(record);
  if (Buffer.byteLength(line) <= MAX_RECORD_BYTES) return line;
  const trim = (v: unknown): unknown => {
    if (typeof v === 'string') return v.length > MAX_FIELD_CHARS ? `${v.slice(0, MAX_FIELD_CHARS)}… [cut]` : v;
    if (Array.isArray(v)) return v.map(trim);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, trim(x)]));
    return v;
  };
  line = JSON.stringify(trim(record));
  if (Buffer.byteLength(line) <= MAX_RECORD_BYTES) return line;
  // Still too big (thousands of parameters): keep who/what/when, say the rest was dropped.
  const { parameters: _dropped, ...rest } = trim(record) as AuditRecord;
  return JSON.stringify({ ...rest, detail: `${rest.detail ?? ''} [parameters dropped: record too large]`.trim() });
}

// ---------------------------------------------------------------------------------------------------------------
// botbuilder Storage on the same account (src/bot/state.ts builds BlobsStorage from this; only azure/ touches
// @azure/* credentials).

export type BotStorageConnection =
  | { kind: 'connection-string'; connectionString: string; container: string; options: { storagePipelineOptions: StoragePipelineOptions } }
  | { kind: 'token'; containerUrl: string; credential: TokenCredential; container: string; options: { storagePipelineOptions: StoragePipelineOptions } };

/**
 * How BlobsStorage reaches the state container. The sandbox uses a connection string with Azurite's shared key;
 * Azure uses the container URL and the bot's token credential (BlobsStorage 4.23 takes `(…, url, credential)`), so
 * no account key exists anywhere. The container is created here, so a missing role fails at start-up, not at the
 * first click.
 */
export async function botStorageConnection(t: RecordStoreTarget): Promise<BotStorageConnection> {
  const conn = connect(t);
  await conn.ensure();
  const options = { storagePipelineOptions: PIPELINE_OPTIONS };
  const { url, credential, account } = conn.account;
  if (t.kind === 'azure') {
    return { kind: 'token', containerUrl: `${url}/${t.container}`, credential: credential as TokenCredential, container: t.container, options };
  }
  const connectionString = `DefaultEndpointsProtocol=http;AccountName=${account};AccountKey=${t.key};BlobEndpoint=${url};`;
  return { kind: 'connection-string', connectionString, container: t.container, options };
}

// ---------------------------------------------------------------------------------------------------------------
// Leases and small JSON documents: the watcher's leader election and its cursors, in the same account.

export interface BlobLease {
  /** The id this process proposes and renews with; stable for the lifetime of the object. */
  readonly leaseId: string;
  /** Takes the lease when nobody holds it (or this process already does); false while another holder has it. */
  acquire(): Promise<boolean>;
  /** Extends the lease; false when it was lost (expired and taken by someone else, or broken). */
  renew(): Promise<boolean>;
  /** Gives the lease up so a standby need not wait for it to expire. */
  release(): Promise<void>;
}

/** Azure's bounds for a finite blob lease. */
export const LEASE_MIN_SECONDS = 15;
export const LEASE_MAX_SECONDS = 60;

export function createBlobLease(t: RecordStoreTarget, blobName: string, durationSeconds: number): BlobLease {
  if (!Number.isInteger(durationSeconds) || durationSeconds < LEASE_MIN_SECONDS || durationSeconds > LEASE_MAX_SECONDS) {
    throw new RecordInputError(`a blob lease lasts ${LEASE_MIN_SECONDS}-${LEASE_MAX_SECONDS} whole seconds, got ${durationSeconds}`);
  }
  const conn = connect(t);
  const resource = `${conn.where}/${blobName}`;
  const blob = conn.container.getBlockBlobClient(blobName);
  const leaseId = randomUUID();
  const lease = blob.getBlobLeaseClient(leaseId);
  let exists = false;

  const ensureBlob = async () => {
    if (exists) return;
    await conn.ensure();
    try {
      await blob.upload('', 0, { conditions: { ifNoneMatch: '*' } });
    } catch (e) {
      // 409: it exists; 412: it exists and someone holds its lease. Either way there is a blob to lease.
      const status = statusOf(e);
      if (status !== 409 && status !== 412) throw storeError(e, resource);
    }
    exists = true;
  };

  return {
    leaseId,
    async acquire() {
      await ensureBlob();
      try {
        await lease.acquireLease(durationSeconds);
        return true;
      } catch (e) {
        const status = statusOf(e);
        if (status === 409) return false;
        if (status === 404) exists = false; // deleted behind our back: create it on the next try
        throw storeError(e, resource);
      }
    },
    async renew() {
      try {
        await lease.renewLease();
        return true;
      } catch (e) {
        const status = statusOf(e);
        if (status === 409 || status === 412) return false;
        if (status === 404) {
          exists = false;
          return false;
        }
        throw storeError(e, resource);
      }
    },
    async release() {
      try {
        await lease.releaseLease();
      } catch (e) {
        const status = statusOf(e);
        if (status !== 409 && status !== 412 && status !== 404) throw storeError(e, resource);
      }
    },
  };
}

export interface JsonDocuments {
  /** The parsed document, or undefined when there is none (or it is not JSON). */
  read(name: string): Promise<unknown>;
  /** Replaces the document whole (last writer wins: only the lease holder writes cursors). */
  write(name: string, value: unknown): Promise<void>;
}

export function createJsonDocuments(t: RecordStoreTarget, prefix: string): JsonDocuments {
  const conn = connect(t);
  const blobName = (name: string) => `${prefix}/${createHash('sha256').update(name, 'utf8').digest('hex')}.json`;
  return {
    async read(name) {
      await conn.ensure();
      const blob = conn.container.getBlobClient(blobName(name));
      let text: string;
      try {
        text = await readText((await blob.download()).readableStreamBody);
      } catch (e) {
        if (statusOf(e) === 404) return undefined;
        throw storeError(e, `${conn.where}/${blobName(name)}`);
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return undefined;
      }
    },
    async write(name, value) {
      await conn.ensure();
      const body = JSON.stringify(value);
      try {
        await conn.container
          .getBlockBlobClient(blobName(name))
          .upload(body, Buffer.byteLength(body), { blobHTTPHeaders: { blobContentType: 'application/json' } });
      } catch (e) {
        if (statusOf(e) === 404 && serviceCodeOf(e) === 'ContainerNotFound') conn.forget();
        throw storeError(e, `${conn.where}/${blobName(name)}`);
      }
    },
  };
}
