import type { ImageTemplate } from '../../src/azure';
import type { WatchConfig } from '../../src/config';
import type { Mute } from '../../src/watch/delivery-policy';
import { Notifier, type NotificationPoster } from '../../src/watch/notifier';
import type { DetectedEvent } from '../../src/watch/pass';
import { memoryWatchState } from './helpers/memory-watch-state';
import type { WatchSubscription } from '../../src/watch/subscriptions';

// The notifier's rules end to end with fakes: digests past N failures, subscriptions dropped when the bot is gone,
// and throttled sends that all arrive once.

const CONFIG: WatchConfig = { intervalMs: 60_000, catchUpMs: 365 * 86_400_000, digestThreshold: 3, digestWindowMs: 600_000, leaseSeconds: 15 };
const id = (name: string) => `/subscriptions/s/resourceGroups/rg/providers/Microsoft.VirtualMachineImages/imageTemplates/${name}`;
const failed = (name: string, start: string): ImageTemplate =>
  ({ id: id(name), name, provisioningState: 'Succeeded', lastRunStatus: { startTime: new Date(start), endTime: new Date(start), runState: 'Failed' } }) as unknown as ImageTemplate;


class Poster implements NotificationPoster {
  posts: string[] = [];
  digests: { conversationId: string; names: string[] }[] = [];
  failNext: { status: number; code?: string; retryAfterMs?: number }[] = [];
  async post(d: DetectedEvent, conversationId: string) {
    const f = this.failNext.shift();
    if (f) throw Object.assign(new Error('send failed'), { failure: f });
    this.posts.push(`${conversationId}:${d.event.templateName}:${d.event.runKey}`);
  }
  async postDigest(conversationId: string, events: DetectedEvent[]) {
    this.digests.push({ conversationId, names: events.map((e) => e.event.templateName) });
  }
  failureOf(e: unknown) {
    return (e as { failure?: { status: number } }).failure;
  }
}

function notifier(templates: () => ImageTemplate[], subs: WatchSubscription[], poster: Poster, mutes: Mute[] = []) {
  const dropped: string[] = [];
  const state = memoryWatchState();
  const n = new Notifier({
    config: CONFIG,
    gateways: {
      subscriptionId: 's',
      templates: {
        async *pages() {
          yield templates();
        },
      } as never,
    },
    subscriptions: {
      subscriptions: async () => subs,
      mutes: async () => mutes,
      drop: async (conversationId, reason) => {
        dropped.push(`${conversationId}:${reason}`);
        subs.splice(0, subs.length, ...subs.filter((s) => s.conversationId !== conversationId));
      },
    },
    poster,
    state,
    lease: { acquire: async () => true, renew: async () => true, release: async () => undefined },
  });
  return { n, dropped, state };
}

test('past N failures in the window one conversation gets one digest for the rest', async () => {
  const poster = new Poster();
  const names = ['a', 'b', 'c', 'd', 'e', 'f'];
  const { n, state } = notifier(() => names.map((x, i) => failed(x, `2026-12-01T10:0${i}:00Z`)), [{ conversationId: 'c1', outcomes: 'failures' }], poster);
  await n.service.passOnce('rg');
  expect(poster.posts.map((p) => p.split(':')[1])).toEqual(['a', 'b', 'c']);
  // The held failures stay claimed and pending (a process dying now leaves them to the next), the cursor stays.
  expect([...state.claimRecords.values()].map((c) => c.status).sort()).toEqual(['delivered', 'delivered', 'delivered', 'pending', 'pending', 'pending']);
  expect(state.cursorsSaved).toBe(0);
  await n.service.passOnce('rg');
  expect(poster.posts).toHaveLength(3);
  await n.flushDigests(Date.now());
  expect(poster.digests).toEqual([]);
  await n.flushDigests(Date.now() + CONFIG.digestWindowMs);
  expect(poster.digests).toEqual([{ conversationId: 'c1', names: ['d', 'e', 'f'] }]);
  expect([...state.claimRecords.values()].every((c) => c.status === 'delivered')).toBe(true);
  await n.service.passOnce('rg');
  expect(state.cursorsSaved).toBe(1);
  expect(poster.posts).toHaveLength(3);
});

test('403 BotNotInConversationRoster drops that conversation; it gets nothing more, the others still do', async () => {
  const poster = new Poster();
  let templates = [failed('a', '2026-12-01T10:00:00Z')];
  const subs: WatchSubscription[] = [
    { conversationId: 'gone', outcomes: 'failures' },
    { conversationId: 'kept', outcomes: 'failures' },
  ];
  const { n, dropped } = notifier(() => templates, subs, poster);
  poster.failNext = [{ status: 403, code: 'BotNotInConversationRoster' }];
  await n.service.passOnce('rg');
  expect(dropped).toEqual(['gone:BotNotInConversationRoster']);
  expect(poster.posts).toEqual(['kept:a:run:2026-12-01T10:00:00.000Z']);
  templates = [failed('a', '2026-12-01T11:00:00Z')];
  await n.service.passOnce('rg');
  expect(poster.posts).toEqual(['kept:a:run:2026-12-01T10:00:00.000Z', 'kept:a:run:2026-12-01T11:00:00.000Z']);
});

test('muted templates are not posted to the conversation that muted them', async () => {
  const poster = new Poster();
  const mutes = [{ conversationId: 'c1', template: 'a', until: new Date(Date.now() + 3600_000).toISOString() }];
  const { n } = notifier(() => [failed('a', '2026-12-01T10:00:00Z'), failed('b', '2026-12-01T10:01:00Z')], [{ conversationId: 'c1', outcomes: 'failures' }], poster, mutes);
  await n.service.passOnce('rg');
  expect(poster.posts.map((p) => p.split(':')[1])).toEqual(['b']);
});

test('a burst of 429s: every notification arrives, none twice', async () => {
  jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
  try {
    const poster = new Poster();
    poster.failNext = Array.from({ length: 4 }, () => ({ status: 429, retryAfterMs: 2000 }));
    const { n } = notifier(() => [failed('a', '2026-12-01T10:00:00Z'), failed('b', '2026-12-01T10:01:00Z')], [{ conversationId: 'c1', outcomes: 'failures' }], poster);
    const pass = n.service.passOnce('rg');
    await jest.advanceTimersByTimeAsync(10_000);
    await pass;
    await n.service.passOnce('rg');
    expect(poster.posts).toEqual(['c1:a:run:2026-12-01T10:00:00.000Z', 'c1:b:run:2026-12-01T10:01:00.000Z']);
  } finally {
    jest.useRealTimers();
  }
});
