import { CoalescedCardUpdates } from '../../src/watch/card-updates';

// Card updates while a build runs: at most one per card per 30 s, the newest wins, nothing out of order, and the
// last update always arrives.

afterEach(() => jest.useRealTimers());

test('a burst of progress updates: the first goes at once, then one per 30 s, always the newest; the final arrives', async () => {
  jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
  const sent: Array<{ at: number; card: string; update: string }> = [];
  const start = Date.now();
  const updates = new CoalescedCardUpdates<string>(async (card, update) => void sent.push({ at: Date.now() - start, card, update }), { minIntervalMs: 30_000 });
  updates.offer('card-1', 'Queued');
  updates.offer('card-1', 'Building');
  updates.offer('card-2', 'Queued'); // another card has its own interval
  await jest.advanceTimersByTimeAsync(10_000);
  updates.offer('card-1', 'Customizing');
  await jest.advanceTimersByTimeAsync(25_000);
  updates.offer('card-1', 'Distributing');
  updates.offer('card-1', 'Failed: diagnosis card');
  const drained = updates.drained('card-1');
  await jest.advanceTimersByTimeAsync(30_000);
  await drained;
  expect(sent).toEqual([
    { at: 0, card: 'card-1', update: 'Queued' },
    { at: 0, card: 'card-2', update: 'Queued' },
    { at: 30_000, card: 'card-1', update: 'Customizing' },
    { at: 60_000, card: 'card-1', update: 'Failed: diagnosis card' },
  ]);
  const gaps = sent.filter((s) => s.card === 'card-1').map((s, i, a) => (i ? s.at - a[i - 1].at : 30_000));
  expect(Math.min(...gaps)).toBeGreaterThanOrEqual(30_000);
});

test('sends of one card never overlap; a failed send is reported and the next one still goes', async () => {
  jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
  let inFlight = 0;
  let overlapped = false;
  const errors: string[] = [];
  const sent: string[] = [];
  const updates = new CoalescedCardUpdates<string>(
    async (_card, update) => {
      inFlight++;
      overlapped ||= inFlight > 1;
      await new Promise((r) => setTimeout(r, 40_000)); // slower than the interval
      inFlight--;
      if (update === 'bad') throw new Error('412 from Teams, retries used up');
      sent.push(update);
    },
    { minIntervalMs: 30_000, onError: (_c, e) => errors.push((e as Error).message) },
  );
  updates.offer('c', 'bad');
  await jest.advanceTimersByTimeAsync(30_000);
  updates.offer('c', 'good');
  await jest.advanceTimersByTimeAsync(100_000);
  await updates.drained('c');
  expect(overlapped).toBe(false);
  expect(errors).toEqual(['412 from Teams, retries used up']);
  expect(sent).toEqual(['good']);
});

test('drained() of a card with nothing pending resolves at once; forget() drops a waiting update', async () => {
  const sent: string[] = [];
  const updates = new CoalescedCardUpdates<string>(async (_c, u) => void sent.push(u), { minIntervalMs: 60_000 });
  await updates.drained('none');
  updates.offer('c', 'a');
  await updates.drained('c');
  updates.offer('c', 'b');
  const d = updates.drained('c');
  updates.forget('c');
  await d;
  expect(sent).toEqual(['a']);
});
