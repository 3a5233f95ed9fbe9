import type { ImageTemplate } from '../../src/azure';
import { AzureGatewayError } from '../../src/azure';
import { LeaseLeader, type LeaseLike } from '../../src/watch/leader';
import { WatchService } from '../../src/watch/service';
import type { WatchState } from '../../src/watch/state';
import { memoryWatchState } from './helpers/memory-watch-state';
import { recipientsFor, scopesFor, subscriptionCovers, type WatchSubscription } from '../../src/watch/subscriptions';

// The watcher's moving parts with in-memory fakes: who leads, who is told, and what a pass does with errors.

const RG = 'rg';
const id = (name: string) => `/subscriptions/s/resourceGroups/${RG}/providers/Microsoft.VirtualMachineImages/imageTemplates/${name}`;
const failedTemplate = (name: string, start: string, runState = 'Failed'): ImageTemplate =>
  ({ id: id(name), name, provisioningState: 'Succeeded', lastRunStatus: { startTime: new Date(start), endTime: new Date(start), runState } }) as unknown as ImageTemplate;

const memoryState = () => memoryWatchState();

class FakeLease implements LeaseLike {
  holder?: string;
  failRenew = false;
  constructor(
    private readonly me: string,
    private readonly shared: { holder?: string },
  ) {}
  async acquire() {
    if (this.shared.holder && this.shared.holder !== this.me) return false;
    this.shared.holder = this.me;
    return true;
  }
  async renew() {
    if (this.failRenew) throw new Error('storage unavailable');
    return this.shared.holder === this.me;
  }
  async release() {
    if (this.shared.holder === this.me) this.shared.holder = undefined;
  }
}

const nextTicks = async (n = 20) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

function service(templates: () => ImageTemplate[], state: WatchState, subs: () => WatchSubscription[], delivered: string[], lease: LeaseLike = new FakeLease('x', {})) {
  return new WatchService({
    templates: {
      async *pages() {
        yield templates();
      },
    },
    subscriptionId: 's',
    state,
    lease,
    leaseMs: 15_000,
    scopes: () => scopesFor(subs()),
    recipients: ({ event }) => recipientsFor(subs(), [], event, Date.now()),
    deliver: async ({ event }, conversationId) => {
      delivered.push(`${conversationId}:${event.templateName}:${event.runKey}`);
    },
    catchUpMs: 365 * 86_400_000,
  });
}

describe('a watcher pass', () => {
  test('each subscribed conversation gets each failed run once; an unsubscribed one gets nothing more', async () => {
    const state = memoryState();
    const delivered: string[] = [];
    let subs: WatchSubscription[] = [
      { conversationId: 'c1', outcomes: 'failures' },
      { conversationId: 'c2', resourceGroup: RG, templateGlob: 'win-*', outcomes: 'all' },
    ];
    let templates = [failedTemplate('win-a', '2026-12-01T10:00:00Z'), failedTemplate('linux-b', '2026-12-01T11:00:00Z'), failedTemplate('win-c', '2026-12-01T09:00:00Z', 'Succeeded')];
    const w = service(() => templates, state, () => subs, delivered);
    expect(await w.passOnce(RG)).toEqual({ kind: 'ok' });
    expect(delivered.sort()).toEqual(['c1:linux-b:run:2026-12-01T11:00:00.000Z', 'c1:win-a:run:2026-12-01T10:00:00.000Z', 'c2:win-a:run:2026-12-01T10:00:00.000Z', 'c2:win-c:run:2026-12-01T09:00:00.000Z']);
    await w.passOnce(RG);
    expect(delivered).toHaveLength(4);

    subs = [subs[1]];
    templates = [failedTemplate('win-a', '2026-12-01T12:00:00Z'), failedTemplate('linux-b', '2026-12-01T12:30:00Z')];
    delivered.length = 0;
    await w.passOnce(RG);
    expect(delivered).toEqual(['c2:win-a:run:2026-12-01T12:00:00.000Z']);
  });

  test('a cursor lost after delivery (a crash before saving) repeats detection, not delivery', async () => {
    const state = memoryState();
    const delivered: string[] = [];
    const subs = [{ conversationId: 'c1', outcomes: 'failures' as const }];
    const w = service(() => [failedTemplate('win-a', '2026-12-01T10:00:00Z')], state, () => subs, delivered);
    await w.passOnce(RG);
    const forgetful: WatchState = { claims: state.claims, cursors: { load: async () => undefined, save: async () => undefined } };
    await service(() => [failedTemplate('win-a', '2026-12-01T10:00:00Z')], forgetful, () => subs, delivered).passOnce(RG);
    expect(delivered).toEqual(['c1:win-a:run:2026-12-01T10:00:00.000Z']);
  });

  test('throttling is reported with its Retry-After and the cursor is left alone', async () => {
    const state = memoryState();
    const w = new WatchService({
      templates: {
        // eslint-disable-next-line require-yield
        async *pages() {
          throw new AzureGatewayError('throttled', 'Throttled by Azure', { status: 429, retryAfterSeconds: 42 });
        },
      },
      subscriptionId: 's',
      state,
      lease: new FakeLease('x', {}),
      leaseMs: 15_000,
      scopes: () => [RG],
      recipients: () => ['c1'],
      deliver: async () => undefined,
    });
    expect(await w.passOnce(RG)).toEqual({ kind: 'throttled', retryAfterMs: 42_000 });
    expect(state.cursorsSaved).toBe(0);
  });
});

describe('claims: pending → delivered / failed, and the cursor', () => {
  const subs = [{ conversationId: 'c1', outcomes: 'failures' as const }];
  const run = 'c1:win-a:run:2026-12-01T10:00:00.000Z';
  const templates = () => [failedTemplate('win-a', '2026-12-01T10:00:00Z')];

  test('a send that throws leaves the claim pending and the cursor where it was; once the hold lapses it is sent', async () => {
    let clock = Date.parse('2026-12-02T12:00:00Z');
    const state = memoryWatchState('p1', undefined, () => clock);
    const delivered: string[] = [];
    let broken = true;
    const w = new WatchService({
      templates: { async *pages() { yield templates(); } },
      subscriptionId: 's', state, lease: new FakeLease('x', {}), leaseMs: 15_000, catchUpMs: 365 * 86_400_000,
      scopes: () => [RG],
      recipients: ({ event }) => recipientsFor(subs, [], event, Date.now()),
      deliver: async ({ event }, c) => {
        if (broken) throw new Error('connector unreachable');
        delivered.push(`${c}:${event.templateName}:${event.runKey}`);
      },
    });
    await w.passOnce(RG);
    expect(state.cursorsSaved).toBe(0);
    expect([...state.claimRecords.values()]).toEqual([expect.objectContaining({ status: 'pending', holder: 'p1' })]);
    broken = false;
    await w.passOnce(RG); // still held: not sent, not twice
    expect(delivered).toEqual([]);
    clock += 15_001;
    await w.passOnce(RG);
    expect(delivered).toEqual([run]);
    expect(state.cursorsSaved).toBe(1);
    expect([...state.claimRecords.values()]).toEqual([expect.objectContaining({ status: 'delivered' })]);
    await w.passOnce(RG);
    expect(delivered).toEqual([run]);
  });

  test('a claim left pending by a dead process is taken over after its hold, by the next leader, once', async () => {
    let clock = Date.parse('2026-12-02T12:00:00Z');
    const shared = { claims: new Map(), cursors: new Map() };
    const dead = memoryWatchState('dead', shared, () => clock);
    const key = 'notify|c1|' + id('win-a').toLowerCase() + '|run:2026-12-01T10:00:00.000Z';
    expect((await dead.claims.begin(key, 15_000)).kind).toBe('mine'); // …and then it was killed before sending
    const delivered: string[] = [];
    const w = service(templates, memoryWatchState('next', shared, () => clock), () => subs, delivered);
    await w.passOnce(RG);
    expect(delivered).toEqual([]);
    expect(shared.cursors.size).toBe(0);
    clock += 15_000;
    await w.passOnce(RG);
    expect(delivered).toEqual([run]);
    expect(shared.cursors.size).toBe(1);
  });

  test('a send given up (failed) is settled: the cursor moves, nothing is retried', async () => {
    const state = memoryState();
    let calls = 0;
    const w = new WatchService({
      templates: { async *pages() { yield templates(); } },
      subscriptionId: 's', state, lease: new FakeLease('x', {}), leaseMs: 15_000, catchUpMs: 365 * 86_400_000,
      scopes: () => [RG],
      recipients: () => ['c1'],
      deliver: async () => {
        calls++;
        return { status: 'failed', detail: 'Teams answered 400' };
      },
    });
    await w.passOnce(RG);
    await w.passOnce(RG);
    expect(calls).toBe(1);
    expect(state.cursorsSaved).toBe(2);
    expect([...state.claimRecords.values()]).toEqual([expect.objectContaining({ status: 'failed' })]);
  });
});

describe('subscriptions', () => {
  const event = (name: string, outcome: 'Failed' | 'Succeeded' = 'Failed') => ({ outcome, templateId: id(name), templateName: name, runKey: 'run:x' });
  test('failures by default, all when asked; group and glob filters; mutes; one entry per conversation', () => {
    expect(subscriptionCovers({ conversationId: 'c', outcomes: 'failures' }, event('a', 'Succeeded'))).toBe(false);
    expect(subscriptionCovers({ conversationId: 'c', outcomes: 'all' }, event('a', 'Succeeded'))).toBe(true);
    expect(subscriptionCovers({ conversationId: 'c', resourceGroup: 'RG', outcomes: 'failures' }, event('a'))).toBe(true);
    expect(subscriptionCovers({ conversationId: 'c', resourceGroup: 'other', outcomes: 'failures' }, event('a'))).toBe(false);
    expect(subscriptionCovers({ conversationId: 'c', templateGlob: 'ubuntu-*', outcomes: 'failures' }, event('win-a'))).toBe(false);
    const subs: WatchSubscription[] = [
      { conversationId: 'c1', outcomes: 'failures' },
      { conversationId: 'c1', templateGlob: 'win-*', outcomes: 'all' },
      { conversationId: 'c2', outcomes: 'failures' },
    ];
    const mutes = [{ conversationId: 'c2', template: 'win-*', until: new Date(Date.now() + 60_000).toISOString() }];
    expect(recipientsFor(subs, mutes, event('win-a'), Date.now())).toEqual(['c1']);
    expect(recipientsFor(subs, mutes, event('linux'), Date.now())).toEqual(['c1', 'c2']);
  });
  test('scopes: none without subscriptions, the subscription when any is unscoped, else the distinct groups', () => {
    expect(scopesFor([])).toEqual([]);
    expect(scopesFor([{ conversationId: 'c', resourceGroup: 'a', outcomes: 'all' }, { conversationId: 'd', outcomes: 'all' }])).toEqual([undefined]);
    expect(scopesFor([{ conversationId: 'c', resourceGroup: 'a', outcomes: 'all' }, { conversationId: 'd', resourceGroup: 'A', outcomes: 'all' }])).toEqual(['a']);
  });
});

describe('leader election', () => {
  afterEach(() => jest.useRealTimers());

  test('one of two leads; the other takes over when the holder stops; a lost renewal deposes', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    const shared: { holder?: string } = {};
    const events: string[] = [];
    const la = new FakeLease('a', shared);
    const a = new LeaseLeader(la, { leaseMs: 15_000, onElected: () => events.push('a+'), onDeposed: () => events.push('a-') });
    const b = new LeaseLeader(new FakeLease('b', shared), { leaseMs: 15_000, onElected: () => events.push('b+'), onDeposed: () => events.push('b-') });
    a.start();
    await nextTicks();
    b.start();
    await nextTicks();
    expect([a.isLeader, b.isLeader]).toEqual([true, false]);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(events).toEqual(['a+']);

    // a's lease ran out while it was paused and b took it: b leads at its next try, a's next renewal says so.
    shared.holder = 'b';
    await jest.advanceTimersByTimeAsync(5_000);
    expect([a.isLeader, b.isLeader]).toEqual([false, true]);
    expect(events.sort()).toEqual(['a+', 'a-', 'b+']);
    await a.stop();
    await b.stop();
  });

  test('renewals failing with storage errors keep the lead until the lease would have run out', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    const lease = new FakeLease('a', {});
    const events: string[] = [];
    const a = new LeaseLeader(lease, { leaseMs: 15_000, onElected: () => events.push('+'), onDeposed: () => events.push('-') });
    a.start();
    await nextTicks();
    lease.failRenew = true;
    await jest.advanceTimersByTimeAsync(10_000);
    expect(a.isLeader).toBe(true);
    await jest.advanceTimersByTimeAsync(6_000);
    expect(a.isLeader).toBe(false);
    expect(events).toEqual(['+', '-']);
    await a.stop();
  });

  test('stop releases the lease so a standby leads at its next try', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    const shared: { holder?: string } = {};
    const a = new LeaseLeader(new FakeLease('a', shared), { leaseMs: 15_000, onElected: () => undefined, onDeposed: () => undefined });
    const b = new LeaseLeader(new FakeLease('b', shared), { leaseMs: 15_000, standbyPollMs: 1000, onElected: () => undefined, onDeposed: () => undefined });
    a.start();
    await nextTicks();
    b.start();
    await nextTicks();
    await a.stop();
    expect(shared.holder).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1000);
    expect(b.isLeader).toBe(true);
    await b.stop();
  });
});
