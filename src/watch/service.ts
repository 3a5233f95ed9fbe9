import { isAzureGatewayError } from '../azure';
import { LeaseLeader, type LeaseLike } from './leader';
import { passScope, type DetectedEvent, type TemplateLister } from './pass';
import { PollSchedule, type PassResult } from './poll-schedule';
import { notifyClaimKey, type WatchState } from './state';

// The watcher as a running part: while this process holds the leader lease, each subscribed scope is polled on its
// own schedule; every new event is claimed per conversation before it is handed to `deliver`, so a second replica,
// a restart or a repeated pass never hands the same (conversation, template, run) over twice.

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
  /** Posts one event to one conversation. Called at most once per (conversation, template, run), ever. */
  deliver: (event: DetectedEvent, conversationId: string) => Promise<void>;
  intervalMs?: number;
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
      for (const detected of pass.events) {
        // A process deposed mid-pass may finish it: the claims keep the new leader from posting the same events.
        for (const conversationId of await this.o.recipients(detected)) {
          const key = notifyClaimKey(conversationId, detected.event.templateId, detected.event.runKey);
          if (!(await this.o.state.claims.claim(key))) continue;
          try {
            await this.o.deliver(detected, conversationId);
          } catch (e) {
            this.o.log?.(`watch: delivering ${detected.event.templateName} to ${conversationId} failed: ${(e as Error).message}`);
          }
        }
      }
      await pass.commit();
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
