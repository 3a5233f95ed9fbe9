// Exactly one replica runs the watcher: the one holding a blob lease. The holder renews at a third of the lease
// period, so two failed renewals in a row still leave it the lease; a standby asks often enough that a holder killed
// outright (no release) is replaced soon after its lease runs out.

export interface LeaseLike {
  acquire(): Promise<boolean>;
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

export interface LeaderOptions {
  leaseMs: number;
  /** How often a standby tries to take the lease (default: a fifth of the lease, at most 2 s). */
  standbyPollMs?: number;
  onElected: () => void;
  onDeposed: () => void;
  log?: (line: string) => void;
}

export class LeaseLeader {
  private leader = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly renewMs: number;
  private readonly pollMs: number;
  private lastRenewal = 0;

  constructor(
    private readonly lease: LeaseLike,
    private readonly options: LeaderOptions,
  ) {
    this.renewMs = Math.max(1, Math.floor(options.leaseMs / 3));
    this.pollMs = options.standbyPollMs ?? Math.min(2000, Math.max(1, Math.floor(options.leaseMs / 5)));
  }

  get isLeader(): boolean {
    return this.leader;
  }

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  /** Stops trying and, when leading, releases the lease so a standby takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.leader) {
      this.leader = false;
      this.options.onDeposed();
      await this.lease.release().catch((e: unknown) => this.options.log?.(`watch: releasing the leader lease failed: ${(e as Error).message}`));
    }
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      if (this.leader) {
        const kept = await this.lease.renew();
        if (kept) this.lastRenewal = Date.now();
        // A storage error is not a loss: keep leading until the lease would have run out.
        else this.depose('the lease was taken over');
      } else if (await this.lease.acquire()) {
        this.leader = true;
        this.lastRenewal = Date.now();
        if (!this.stopped) this.options.onElected();
      }
    } catch (e) {
      this.options.log?.(`watch: leader lease: ${(e as Error).message}`);
      if (this.leader && Date.now() - this.lastRenewal >= this.options.leaseMs) this.depose('the lease could not be renewed in time');
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), this.leader ? this.renewMs : this.pollMs);
  }

  private depose(why: string): void {
    this.leader = false;
    this.options.log?.(`watch: no longer the leader: ${why}`);
    this.options.onDeposed();
  }
}
