// How notifications reach Teams without breaking its limits or flooding a channel. Pure: every decision takes the
// time as an argument, so the rules are tested without clocks or a Bot Framework.

export const CARD_UPDATE_MIN_INTERVAL_MS = 30_000;
export const DEFAULT_DIGEST_THRESHOLD = 5;
export const DEFAULT_DIGEST_WINDOW_MS = 10 * 60_000;

// ---------------------------------------------------------------------------------------------------------------
// Failed sends

export interface SendFailure {
  status?: number;
  /** Bot Framework / Teams error code from the body, e.g. BotNotInConversationRoster, ConversationNotFound. */
  code?: string;
  retryAfterMs?: number;
}

export type SendDecision =
  | { action: 'retry'; delayMs: number }
  /** The conversation is gone for this bot: remove the subscription and audit it, never retry. */
  | { action: 'drop-subscription'; reason: string }
  | { action: 'give-up'; reason: string };

export interface RetryOptions {
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** The longest Retry-After obeyed; a longer (or forged) one waits this long, so one send cannot stall the watcher. */
  maxRetryAfterMs?: number;
}

export const MAX_RETRY_AFTER_MS = 5 * 60_000;

const RETRY_STATUSES = new Set([412, 502, 503, 504]);
const GONE_CODES = new Set(['BotNotInConversationRoster', 'ConversationNotFound', 'ConversationBlockedByUser']);

/** What to do after attempt number `attempt` (1 = the first send) failed. */
export function decideAfterSendFailure(f: SendFailure, attempt: number, options: RetryOptions = {}): SendDecision {
  const maxAttempts = options.maxAttempts ?? 6;
  const base = options.baseDelayMs ?? 1000;
  const cap = options.maxDelayMs ?? 60_000;
  if ((f.status === 403 || f.status === 404) && f.code && GONE_CODES.has(f.code)) {
    return { action: 'drop-subscription', reason: f.code };
  }
  if (f.status === 404 && !f.code) return { action: 'drop-subscription', reason: 'ConversationNotFound' };
  if (attempt >= maxAttempts) return { action: 'give-up', reason: `still failing after ${attempt} attempts (${f.status ?? 'no status'})` };
  if (f.status === 429) {
    // Teams says when; without a Retry-After fall back to the same backoff as the other retryable answers.
    const delayMs =
      f.retryAfterMs !== undefined && f.retryAfterMs >= 0 ? Math.min(f.retryAfterMs, options.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS) : backoff(attempt, base, cap);
    return { action: 'retry', delayMs };
  }
  if (f.status !== undefined && RETRY_STATUSES.has(f.status)) return { action: 'retry', delayMs: backoff(attempt, base, cap) };
  if (f.status === undefined) return { action: 'retry', delayMs: backoff(attempt, base, cap) }; // the connection dropped
  return { action: 'give-up', reason: `Teams answered ${f.status}${f.code ? ` ${f.code}` : ''}` };
}

function backoff(attempt: number, base: number, cap: number): number {
  return Math.min(cap, base * 2 ** (attempt - 1));
}

// ---------------------------------------------------------------------------------------------------------------
// Card updates while a build runs: at most one per card per 30 s, the newest wins

export class UpdateCoalescer<T> {
  private readonly lastSent = new Map<string, number>();
  private readonly pending = new Map<string, T>();

  constructor(private readonly minIntervalMs: number = CARD_UPDATE_MIN_INTERVAL_MS) {}

  /** Either send `update` now, or it waits (replacing any older waiting update of the same card). */
  offer(cardId: string, update: T, nowMs: number): { send: T } | { waitUntil: number } {
    const last = this.lastSent.get(cardId);
    if (last === undefined || nowMs - last >= this.minIntervalMs) {
      this.pending.delete(cardId);
      this.lastSent.set(cardId, nowMs);
      return { send: update };
    }
    this.pending.set(cardId, update);
    return { waitUntil: last + this.minIntervalMs };
  }

  /** The waiting updates whose time has come; each counts as sent now. */
  due(nowMs: number): { cardId: string; update: T }[] {
    const out: { cardId: string; update: T }[] = [];
    for (const [cardId, update] of this.pending) {
      const last = this.lastSent.get(cardId) ?? 0;
      if (nowMs - last < this.minIntervalMs) continue;
      out.push({ cardId, update });
      this.pending.delete(cardId);
      this.lastSent.set(cardId, nowMs);
    }
    return out;
  }

  /** The earliest time a waiting update becomes due, for the timer. */
  nextDue(): number | undefined {
    let next: number | undefined;
    for (const cardId of this.pending.keys()) {
      const at = (this.lastSent.get(cardId) ?? 0) + this.minIntervalMs;
      next = next === undefined ? at : Math.min(next, at);
    }
    return next;
  }

  /** A card that reached its final state: forget it. */
  forget(cardId: string): void {
    this.lastSent.delete(cardId);
    this.pending.delete(cardId);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Noise control: past N failures in M minutes in one conversation, one digest instead of more cards

export interface DigestOptions {
  threshold?: number;
  windowMs?: number;
}

export interface Digest<T> {
  conversationId: string;
  items: T[];
  from: number;
  to: number;
}

export class NoiseGate<T> {
  private readonly threshold: number;
  private readonly windowMs: number;
  private readonly recent = new Map<string, number[]>();
  private readonly held = new Map<string, { items: T[]; from: number }>();

  constructor(options: DigestOptions = {}) {
    this.threshold = options.threshold ?? DEFAULT_DIGEST_THRESHOLD;
    this.windowMs = options.windowMs ?? DEFAULT_DIGEST_WINDOW_MS;
    if (!Number.isInteger(this.threshold) || this.threshold < 1) throw new RangeError(`digest threshold must be a positive whole number, got ${this.threshold}`);
    if (!(this.windowMs > 0)) throw new RangeError(`digest window must be positive, got ${this.windowMs}`);
  }

  /** 'post': send this card as usual. 'held': it goes into the conversation's next digest. */
  admit(conversationId: string, item: T, nowMs: number): 'post' | 'held' {
    const held = this.held.get(conversationId);
    if (held) {
      held.items.push(item);
      return 'held';
    }
    const times = (this.recent.get(conversationId) ?? []).filter((t) => nowMs - t < this.windowMs);
    times.push(nowMs);
    this.recent.set(conversationId, times);
    if (times.length <= this.threshold) return 'post';
    this.held.set(conversationId, { items: [item], from: nowMs });
    return 'held';
  }

  /** Digests whose window has passed; after one, the conversation starts counting afresh. */
  flush(nowMs: number): Digest<T>[] {
    const out: Digest<T>[] = [];
    for (const [conversationId, held] of this.held) {
      if (nowMs - held.from < this.windowMs) continue;
      out.push({ conversationId, items: held.items, from: held.from, to: nowMs });
      this.held.delete(conversationId);
      this.recent.delete(conversationId);
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// mute <template> for <duration>

export interface Mute {
  conversationId: string;
  /** Template name glob (`win2022-*`) or a full template id, case-insensitive. */
  template: string;
  until: string;
}

export function isMuted(mutes: readonly Mute[], conversationId: string, templateId: string, nowMs: number): boolean {
  const name = templateId.split('/').pop() ?? templateId;
  return mutes.some(
    (m) =>
      m.conversationId === conversationId &&
      Date.parse(m.until) > nowMs &&
      (m.template.includes('/') ? m.template.toLowerCase() === templateId.toLowerCase() : globMatches(m.template, name)),
  );
}

/** Mutes still in force: the state drops the rest. */
export function activeMutes(mutes: readonly Mute[], nowMs: number): Mute[] {
  return mutes.filter((m) => Date.parse(m.until) > nowMs);
}

/**
 * `*` and `?` over a template name, case-insensitive (ARM names are). Template names allow only letters, digits,
 * `-`, `_` and `.`, so those two wildcards are the whole language people need here.
 */
export function globMatches(glob: string, name: string): boolean {
  const pattern = glob
    .toLowerCase()
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`).test(name.toLowerCase());
}
