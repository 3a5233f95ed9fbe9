import { isAzureGatewayError } from '../azure';
import { LeaseLeader, type LeaseLike } from './leader';
import { passScope, type DetectedEvent, type TemplateLister } from './pass';
import { PollSchedule, type PassResult } from './poll-schedule';
import { notifyClaimKey, type WatchState } from './state';

// The watcher as a running part: while this process holds the leader lease, each subscribed scope is polled on its
// own schedule; every new event is claimed per conversation before it is handed to `deliver`, so a second replica,
// a restart or a repeated pass never hands the same (conversation, template, run) over twice.

export type DeliveryResult =
  | { status: 'delivered' | 'failed'; detail?: string }
  /** Held back (for a digest) until `untilMs`: the claim stays pending and held; `settle` finishes it later. */
  | { status: 'deferred'; untilMs: number };

export interface WatchServiceOptions {
  templates: TemplateLister;
  subscriptionId: string;
  state: WatchState;
  lease: LeaseLike;
  leaseMs: number;
  /** Resource groups to poll (undefined = the whole subscription), read again before every pass. */
  scopes: () => Promise<(string | undefined)[]> | (string | undefined)[];
  /** The conversations that want this event (subscription filters, mutes); none means nobody is told. */
  recipients: (event: DetectedEvent) => Promise<string[]> | string[];
  /**
   * Posts one event to one conversation, under its claim: called once per (conversation, template, run), again only
   * when a holder died before finishing the claim. Nothing returned means delivered; a throw leaves the claim
   * pending, so it is sent again once its hold lapses.
   */
  deliver: (event: DetectedEvent, conversationId: string) => Promise<DeliveryResult | void>;
  intervalMs?: number;
  /** How long a claim stays held without renewal before another process may take it over (default: the lease). */
  claimHoldMs?: number;
  catchUpMs?: number;
  standbyPollMs?: number;
  log?: (line: string) => void;
}

export class WatchService {
  private readonly leader: LeaseLeader;
  private readonly loops = new Map<string, { timer?: NodeJS.Timeout; schedule: PollSchedule }>();
  private running = false;
  private scopeTimer?: NodeJS.Timeout;
  /** Resolves when the pass in flight (if any) is done, so stop() does not cut one in half. */
  private inFlight = new Set<Promise<void>>();

  constructor(private readonly o: WatchServiceOptions) {
    this.leader = new LeaseLeader(o.lease, {
      leaseMs: o.leaseMs,
      standbyPollMs: o.standbyPollMs,
      log: o.log,
      onElected: () => {
        o.log?.('watch: this process is the leader; polling starts');
        this.running = true;
        void this.refreshScopes();
      },
      onDeposed: () => this.halt(),
    });
  }

  get isLeader(): boolean {
    return this.leader.isLeader;
  }

  start(): void {
    this.leader.start();
  }

  async stop(): Promise<void> {
    this.halt();
    await Promise.allSettled([...this.inFlight]);
    await this.leader.stop();
  }

  /** One pass over one scope, now: also what the loop runs. */
  async passOnce(resourceGroup?: string): Promise<PassResult> {
    try {
      const pass = await passScope(
        { templates: this.o.templates, cursors: this.o.state.cursors, subscriptionId: this.o.subscriptionId, catchUpMs: this.o.catchUpMs },
        resourceGroup,
      );
      let unsent = 0;
      for (const detected of pass.events) {
        // A process deposed mid-pass may finish it: the claims keep the new leader from posting the same events.
        for (const conversationId of await this.o.recipients(detected)) {
          if (!(await this.deliverClaimed(detected, conversationId))) unsent++;
        }
      }
      // The cursor moves only past events that are settled everywhere: one still pending (held here for a digest, by
      // a process that died mid-send, or by one that failed) is detected again on the next pass and sent then.
      if (unsent === 0) await pass.commit();
      else this.o.log?.(`watch: ${unsent} notification(s) in ${pass.scope} not sent yet; the cursor stays`);
      return { kind: 'ok' };
    } catch (e) {
      this.o.log?.(`watch: pass over ${resourceGroup ?? 'the subscription'} failed: ${(e as Error).message}`);
      if (isAzureGatewayError(e) && e.code === 'throttled') {
        const s = e.retryAfterSeconds;
        return { kind: 'throttled', retryAfterMs: typeof s === 'number' ? s * 1000 : undefined };
      }
      return { kind: 'error' };
    }
  }

  /** True when this (conversation, template, run) is settled: sent or given up, by this process or another. */
  private async deliverClaimed(detected: DetectedEvent, conversationId: string): Promise<boolean> {
    const claims = this.o.state.claims;
    const key = notifyClaimKey(conversationId, detected.event.templateId, detected.event.runKey);
    const take = await claims.begin(key, this.holdMs);
    if (take.kind === 'settled') return true;
    if (take.kind === 'unreadable') {
      // Failing safe: not sent (it may have been, once), and settled for the cursor, so the scope's pass goes on and
      // this line is written once (the cursor moves past the event, which is not detected again).
      this.o.log?.(`watch: the claim of ${detected.event.templateName} for ${conversationId} is not a claim (forged or corrupt); not sent`);
      return true;
    }
    if (take.kind === 'held') return false;
    if (take.takenOver) this.o.log?.(`watch: took over the unsent notification of ${detected.event.templateName} to ${conversationId}`);
    // Renewed while the send runs (retries and Retry-After can outlast one hold); a dead process stops renewing.
    const renew = setInterval(() => void claims.hold(key, this.holdMs).catch(() => undefined), Math.max(1, Math.floor(this.holdMs / 3)));
    let result: DeliveryResult;
    try {
      result = (await this.o.deliver(detected, conversationId)) ?? { status: 'delivered' };
    } catch (e) {
      this.o.log?.(`watch: delivering ${detected.event.templateName} to ${conversationId} failed: ${(e as Error).message}`);
      return false;
    } finally {
      clearInterval(renew);
    }
    if (result.status === 'deferred') {
      await claims.hold(key, Math.max(0, result.untilMs - Date.now()) + this.holdMs);
      return false;
    }
    await claims.finish(key, result.status, result.detail);
    return true;
  }

  private get holdMs(): number {
    return this.o.claimHoldMs ?? this.o.leaseMs;
  }

  private halt(): void {
    this.running = false;
    if (this.scopeTimer) clearTimeout(this.scopeTimer);
    for (const loop of this.loops.values()) if (loop.timer) clearTimeout(loop.timer);
    this.loops.clear();
  }

  /** Starts loops for new scopes and ends those of scopes nobody subscribes to any more. */
  private async refreshScopes(): Promise<void> {
    if (!this.running) return;
    const interval = this.o.intervalMs ?? 60_000;
    try {
      const wanted = new Set((await this.o.scopes()).map((s) => s ?? ''));
      for (const [scope, loop] of this.loops) {
        if (wanted.has(scope)) continue;
        if (loop.timer) clearTimeout(loop.timer);
        this.loops.delete(scope);
      }
      for (const scope of wanted) {
        if (this.loops.has(scope) || !this.running) continue;
        const loop = { schedule: new PollSchedule(interval) } as { timer?: NodeJS.Timeout; schedule: PollSchedule };
        this.loops.set(scope, loop);
        this.runLoop(scope, loop);
      }
    } catch (e) {
      this.o.log?.(`watch: reading the subscribed scopes failed: ${(e as Error).message}`);
    }
    if (!this.running) return;
    this.scopeTimer = setTimeout(() => void this.refreshScopes(), interval);
  }

  private runLoop(scope: string, loop: { timer?: NodeJS.Timeout; schedule: PollSchedule }): void {
    const p = (async () => {
      const result = await this.passOnce(scope || undefined);
      if (!this.running || this.loops.get(scope) !== loop) return;
      loop.timer = setTimeout(() => this.runLoop(scope, loop), loop.schedule.next(result));
    })();
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }
}
