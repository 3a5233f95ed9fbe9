import {
  activeMutes,
  decideAfterSendFailure,
  globMatches,
  isMuted,
  MAX_RETRY_AFTER_MS,
  NoiseGate,
  UpdateCoalescer,
  type Mute,
} from '../../src/watch/delivery-policy';
import { sendWithPolicy } from '../../src/watch/delivery';

describe('after a failed send', () => {
  test('429 waits exactly what Retry-After says', () => {
    expect(decideAfterSendFailure({ status: 429, retryAfterMs: 7000 }, 1)).toEqual({ action: 'retry', delayMs: 7000 });
  });
  test('attack: a forged or absurd Retry-After is capped, so one send cannot stall the watcher', () => {
    expect(decideAfterSendFailure({ status: 429, retryAfterMs: 1e12 }, 1)).toEqual({ action: 'retry', delayMs: MAX_RETRY_AFTER_MS });
    expect(decideAfterSendFailure({ status: 429, retryAfterMs: 1e12 }, 1, { maxRetryAfterMs: 1000 })).toEqual({ action: 'retry', delayMs: 1000 });
  });
  test('429 without Retry-After, 412, 502, 503, 504 and dropped connections back off, doubling', () => {
    for (const status of [429, 412, 502, 503, 504, undefined]) {
      expect(decideAfterSendFailure({ status }, 1, { baseDelayMs: 500 })).toEqual({ action: 'retry', delayMs: 500 });
      expect(decideAfterSendFailure({ status }, 3, { baseDelayMs: 500 })).toEqual({ action: 'retry', delayMs: 2000 });
    }
    expect(decideAfterSendFailure({ status: 503 }, 5, { baseDelayMs: 1000, maxDelayMs: 4000 })).toEqual({ action: 'retry', delayMs: 4000 });
  });
  test('the bot removed from the team, or the conversation gone: drop the subscription, never retry', () => {
    expect(decideAfterSendFailure({ status: 403, code: 'BotNotInConversationRoster' }, 1)).toEqual({ action: 'drop-subscription', reason: 'BotNotInConversationRoster' });
    expect(decideAfterSendFailure({ status: 404, code: 'ConversationNotFound' }, 1)).toEqual({ action: 'drop-subscription', reason: 'ConversationNotFound' });
    expect(decideAfterSendFailure({ status: 404 }, 1)).toMatchObject({ action: 'drop-subscription' });
  });
  test('other 4xx give up at once (a retry would fail the same way); retryable ones give up after the last attempt', () => {
    expect(decideAfterSendFailure({ status: 400, code: 'BadArgument' }, 1)).toMatchObject({ action: 'give-up' });
    expect(decideAfterSendFailure({ status: 403, code: 'Forbidden' }, 1)).toMatchObject({ action: 'give-up' });
    expect(decideAfterSendFailure({ status: 503 }, 6)).toMatchObject({ action: 'give-up' });
    expect(decideAfterSendFailure({ status: 503 }, 2, { maxAttempts: 2 })).toMatchObject({ action: 'give-up' });
  });
});

describe('card updates: one per card per 30 s, newest wins', () => {
  test('the first update goes at once; later ones within 30 s wait and replace each other', () => {
    const c = new UpdateCoalescer<string>(30_000);
    expect(c.offer('card-1', 'Queued', 0)).toEqual({ send: 'Queued' });
    expect(c.offer('card-1', 'Building', 5_000)).toEqual({ waitUntil: 30_000 });
    expect(c.offer('card-1', 'Customizing', 20_000)).toEqual({ waitUntil: 30_000 });
    expect(c.nextDue()).toBe(30_000);
    expect(c.due(29_999)).toEqual([]);
    expect(c.due(30_000)).toEqual([{ cardId: 'card-1', update: 'Customizing' }]);
    expect(c.due(90_000)).toEqual([]);
    expect(c.offer('card-1', 'Distributing', 45_000)).toEqual({ waitUntil: 60_000 });
  });
  test('cards are independent; an update after the interval goes at once and discards a waiting one', () => {
    const c = new UpdateCoalescer<string>(30_000);
    c.offer('a', 'a1', 0);
    expect(c.offer('b', 'b1', 1_000)).toEqual({ send: 'b1' });
    c.offer('a', 'a2', 10_000);
    expect(c.offer('a', 'a3', 31_000)).toEqual({ send: 'a3' });
    expect(c.due(100_000)).toEqual([]);
    c.forget('a');
    expect(c.offer('a', 'a4', 31_001)).toEqual({ send: 'a4' });
  });
});

describe('noise control', () => {
  test('up to N failures in M minutes post; the rest go into one digest per window', () => {
    const g = new NoiseGate<number>({ threshold: 5, windowMs: 600_000 });
    const verdicts = Array.from({ length: 9 }, (_, i) => g.admit('conv', i, i * 1000));
    expect(verdicts).toEqual(['post', 'post', 'post', 'post', 'post', 'held', 'held', 'held', 'held']);
    expect(g.admit('other', 99, 9000)).toBe('post');
    expect(g.flush(500_000)).toEqual([]);
    expect(g.flush(605_000)).toEqual([{ conversationId: 'conv', items: [5, 6, 7, 8], from: 5000, to: 605_000 }]);
    expect(g.admit('conv', 10, 606_000)).toBe('post');
  });
  test('failures spread wider than the window never make a digest', () => {
    const g = new NoiseGate<number>({ threshold: 2, windowMs: 60_000 });
    expect([0, 40_000, 80_000, 120_000, 160_000].map((t, i) => g.admit('c', i, t))).toEqual(['post', 'post', 'post', 'post', 'post']);
  });
  test('bad settings are refused', () => {
    expect(() => new NoiseGate({ threshold: 0 })).toThrow(RangeError);
    expect(() => new NoiseGate({ windowMs: 0 })).toThrow(RangeError);
  });
});

describe('mute', () => {
  const ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.VirtualMachineImages/imageTemplates/Win2022-Base';
  const mutes: Mute[] = [
    { conversationId: 'c1', template: 'win2022-*', until: '2026-12-02T13:00:00Z' },
    { conversationId: 'c2', template: ID.toLowerCase(), until: '2026-12-02T11:00:00Z' },
  ];
  test('a glob or an id mutes until the given time, per conversation', () => {
    const at = (iso: string) => Date.parse(iso);
    expect(isMuted(mutes, 'c1', ID, at('2026-12-02T12:00:00Z'))).toBe(true);
    expect(isMuted(mutes, 'c1', ID, at('2026-12-02T13:00:00Z'))).toBe(false);
    expect(isMuted(mutes, 'c3', ID, at('2026-12-02T12:00:00Z'))).toBe(false);
    expect(isMuted(mutes, 'c2', ID, at('2026-12-02T10:00:00Z'))).toBe(true);
    expect(activeMutes(mutes, at('2026-12-02T12:00:00Z'))).toEqual([mutes[0]]);
  });
  test('globs: * and ? only, everything else literal', () => {
    expect(globMatches('win2022-*', 'WIN2022-base')).toBe(true);
    expect(globMatches('ubuntu-2?', 'ubuntu-24')).toBe(true);
    expect(globMatches('ubuntu-2?', 'ubuntu-240')).toBe(false);
    expect(globMatches('a.b', 'axb')).toBe(false);
    expect(globMatches('*', 'anything')).toBe(true);
  });
});

describe('sending with the policy', () => {
  const failureOf = (e: unknown) => (e as { failure?: { status?: number; code?: string; retryAfterMs?: number } }).failure;
  const fail = (failure: object) => Object.assign(new Error('send failed'), { failure });

  test('a burst of 429s: every message is sent once, after waiting what each Retry-After said', async () => {
    const waits: number[] = [];
    const sent: string[] = [];
    let throttle = 7;
    const send = (msg: string) => async () => {
      if (throttle-- > 0) throw fail({ status: 429, retryAfterMs: 1000 + throttle });
      sent.push(msg);
    };
    const sleep = async (ms: number) => void waits.push(ms);
    const results = [];
    for (const m of ['a', 'b', 'c']) results.push(await sendWithPolicy(send(m), { failureOf, sleep, maxAttempts: 10 }));
    expect(sent).toEqual(['a', 'b', 'c']);
    expect(results.map((r) => r.kind)).toEqual(['sent', 'sent', 'sent']);
    expect(waits).toEqual([1006, 1005, 1004, 1003, 1002, 1001, 1000]);
  });

  test('a removed bot drops the subscription after one try; an unknown error is not retried', async () => {
    let tries = 0;
    const gone = async () => {
      tries++;
      throw fail({ status: 403, code: 'BotNotInConversationRoster' });
    };
    expect(await sendWithPolicy(gone, { failureOf, sleep: async () => undefined })).toEqual({ kind: 'dropped', reason: 'BotNotInConversationRoster' });
    expect(tries).toBe(1);
    expect(await sendWithPolicy(async () => Promise.reject(new TypeError('bug')), { failureOf, sleep: async () => undefined })).toEqual({ kind: 'failed', reason: 'bug', attempts: 1, retryable: false });
  });

  test('503s until the last attempt: failed, with the number of attempts', async () => {
    const r = await sendWithPolicy(async () => Promise.reject(fail({ status: 503 })), { failureOf, sleep: async () => undefined, maxAttempts: 3 });
    expect(r).toMatchObject({ kind: 'failed', attempts: 3, retryable: true });
  });
});
