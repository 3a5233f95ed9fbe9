import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { openLocalWatchState } from '../../src/watch/local-state';
import { notifyClaimKey } from '../../src/watch/state';

// The CLI's claims in a folder: the same pending → delivered rule as the blob claims, takeover of a lapsed claim by
// exactly one pass, and claim files of earlier versions read as already printed.

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'watch-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const key = notifyClaimKey('cli', '/subscriptions/s/resourceGroups/rg/providers/x/imageTemplates/t', 'run:2026-12-02T10:00:00.000Z');

test('one of five passes holds a claim; after finish it is settled for every pass', async () => {
  const passes = await Promise.all(Array.from({ length: 5 }, (_, i) => openLocalWatchState(dir, `p${i}`)));
  const takes = await Promise.all(passes.map((p) => p.claims.begin(key, 60_000)));
  expect(takes.filter((t) => t.kind === 'mine')).toHaveLength(1);
  const holder = passes[takes.findIndex((t) => t.kind === 'mine')];
  expect(await passes.find((p) => p !== holder)!.claims.hold(key, 60_000)).toBe(false);
  await holder.claims.finish(key, 'delivered');
  expect(await passes[0].claims.begin(key, 60_000)).toEqual({ kind: 'settled', status: 'delivered' });
});

test('a claim left pending by a pass that died is taken over by exactly one pass once its hold lapses', async () => {
  const dead = await openLocalWatchState(dir, 'dead');
  expect((await dead.claims.begin(key, 50)).kind).toBe('mine');
  expect((await (await openLocalWatchState(dir, 'early')).claims.begin(key, 60_000)).kind).toBe('held');
  await new Promise((r) => setTimeout(r, 80));
  const passes = await Promise.all(Array.from({ length: 5 }, (_, i) => openLocalWatchState(dir, `p${i}`)));
  const takes = await Promise.all(passes.map((p) => p.claims.begin(key, 60_000)));
  expect(takes.filter((t) => t.kind === 'mine')).toEqual([{ kind: 'mine', takenOver: true }]);
  expect(await dead.claims.hold(key, 60_000)).toBe(false);
});

test('a claim file of an earlier version (no status) counts as printed; an unreadable one as held for a minute, then stale', async () => {
  const state = await openLocalWatchState(dir, 'p');
  const hashed = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
  await writeFile(join(dir, 'claims', `${hashed(key)}.json`), JSON.stringify({ key, at: '2026-12-01T00:00:00Z' }));
  expect(await state.claims.begin(key, 60_000)).toEqual({ kind: 'settled', status: 'delivered' });
  const other = notifyClaimKey('cli', 'x', 'run:half');
  await writeFile(join(dir, 'claims', `${hashed(other)}.json`), '{"key":');
  expect((await state.claims.begin(other, 60_000)).kind).toBe('held');
  // Left broken by a crash a while ago: stale, taken over, not a block for ever.
  const old = new Date(Date.now() - 5 * 60_000);
  await utimes(join(dir, 'claims', `${hashed(other)}.json`), old, old);
  expect(await state.claims.begin(other, 60_000)).toEqual({ kind: 'mine', takenOver: true });
  expect((await readdir(join(dir, 'claims'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});
