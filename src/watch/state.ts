import type { ScopeCursor } from './outcomes';

// Where the watcher keeps what it has seen and what it has posted. Two implementations: a local folder (the CLI's
// `--state DIR`) and Blob Storage (the bot, shared by every replica).

export interface CursorStore {
  load(scope: string): Promise<ScopeCursor | undefined>;
  save(scope: string, cursor: ScopeCursor): Promise<void>;
}

/**
 * One notification's claim: `pending` while its holder sends it, then `delivered` or `failed` (given up, or the
 * conversation is gone). A pending claim whose holder stopped renewing it (the process died) is stale after
 * `heldUntil` and may be taken over by whoever sees it next.
 */
export type ClaimStatus = 'pending' | 'delivered' | 'failed';

export interface ClaimRecord {
  status: ClaimStatus;
  holder?: string;
  heldUntil?: string;
}

export type ClaimTake =
  /** This caller holds the claim and must send, then finish it. `takenOver`: from a holder that went quiet. */
  | { kind: 'mine'; takenOver: boolean }
  /** Somebody sent it (or gave up): nothing to do. */
  | { kind: 'settled'; status: 'delivered' | 'failed' }
  /** A live holder is sending it right now: not this caller's to send, but not sent yet either. */
  | { kind: 'held'; until?: string }
  /**
   * Something that is not a claim sits at its name (forged, corrupt): it may stand for a post already made, so this
   * caller never sends it, and nobody will ever finish it, so it must not hold the scope's cursor back either.
   */
  | { kind: 'unreadable' };

export interface NotifyClaims {
  /**
   * Create-only, with takeover: exactly one caller per key gets `mine`, across processes and restarts, until it
   * finishes the claim or stops holding it for `holdMs`. The cursor alone cannot promise once (a process can die
   * between posting and saving it); the claim is what makes a post happen once.
   */
  begin(key: string, holdMs: number): Promise<ClaimTake>;
  /** Extends this caller's hold while a slow send (retries, Retry-After) goes on; false when the claim is not ours. */
  hold(key: string, holdMs: number): Promise<boolean>;
  finish(key: string, status: 'delivered' | 'failed', detail?: string): Promise<void>;
}

/**
 * What a stored claim means to a caller at `nowMs`. A pending claim without a readable hold is stale: nobody can be
 * renewing it, and leaving it would hold the scope's cursor back for ever.
 */
export function judgeClaim(c: ClaimRecord, nowMs: number): 'settled' | 'held' | 'stale' {
  if (c.status !== 'pending') return 'settled';
  const until = c.heldUntil === undefined ? NaN : Date.parse(c.heldUntil);
  return Number.isFinite(until) && until > nowMs ? 'held' : 'stale';
}

export interface WatchState {
  cursors: CursorStore;
  claims: NotifyClaims;
}

/** One notification: this conversation, this template, this run. */
export function notifyClaimKey(conversationId: string, templateId: string, runKey: string): string {
  return `notify|${conversationId}|${templateId.toLowerCase()}|${runKey}`;
}

/** A scope as a stable string: the subscription and one resource group, or `*` for the whole subscription. */
export function scopeKey(subscriptionId: string, resourceGroup?: string): string {
  return `${subscriptionId}/${resourceGroup ?? '*'}`.toLowerCase();
}
