// When to poll a scope next. Pure: the poller reports how the last pass went and sleeps for what this returns.

export const DEFAULT_POLL_INTERVAL_MS = 60_000;
/** However long the errors last, a scope is looked at again within this. */
export const MAX_BACKOFF_MS = 15 * 60_000;

export type PassResult =
  | { kind: 'ok' }
  | { kind: 'throttled'; retryAfterMs?: number }
  | { kind: 'error' };

export class PollSchedule {
  private failures = 0;

  constructor(
    private readonly intervalMs: number = DEFAULT_POLL_INTERVAL_MS,
    private readonly maxBackoffMs: number = MAX_BACKOFF_MS,
  ) {
    if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new RangeError(`poll interval must be positive, got ${intervalMs}`);
  }

  /** Milliseconds to wait before the next pass. */
  next(result: PassResult): number {
    if (result.kind === 'ok') {
      this.failures = 0;
      return this.intervalMs;
    }
    this.failures++;
    // Doubling from the interval keeps a struggling ARM from being asked more often than a healthy one.
    const backoff = Math.min(this.maxBackoffMs, this.intervalMs * 2 ** Math.min(this.failures, 20));
    if (result.kind === 'throttled' && result.retryAfterMs !== undefined && result.retryAfterMs >= 0) {
      // ARM said when: wait at least that long, and never less than the normal interval.
      return Math.max(this.intervalMs, Math.min(result.retryAfterMs, this.maxBackoffMs));
    }
    return backoff;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }
}
