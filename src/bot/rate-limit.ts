// A per-conversation budget of turns: a sliding window of the last minute. One conversation sending faster than a
// person can type gets a friendly "slow down" card; everyone else is unaffected.

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a turn; returns 0 when allowed, else the seconds until the conversation may send again. */
  take(conversationId: string): number {
    const t = this.now();
    const recent = (this.hits.get(conversationId) ?? []).filter((x) => t - x < 60_000);
    if (recent.length >= this.perMinute) {
      this.hits.set(conversationId, recent);
      return Math.max(1, Math.ceil((recent[0] + 60_000 - t) / 1000));
    }
    recent.push(t);
    this.hits.set(conversationId, recent);
    // Forget idle conversations now and then, so the map does not grow with every conversation ever seen.
    if (this.hits.size > 10_000) for (const [k, v] of this.hits) if (!v.some((x) => t - x < 60_000)) this.hits.delete(k);
    return 0;
  }
}
