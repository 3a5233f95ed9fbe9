import { createBlobLease, createJsonDocuments, RecordInputError, type RecordStoreTarget } from '../../src/azure/records';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { openBlobWatchState } from '../../src/watch/blob-state';
import { emptyCursor } from '../../src/watch/outcomes';
import { notifyClaimKey } from '../../src/watch/state';
import { stateContainerTarget } from '../integration/helpers/azure-sandbox';

// The watcher's shared state on the sandbox's real Azurite: the leader lease, cursors, and notification claims.

let sb: Sandbox;
let nextTarget: () => RecordStoreTarget;
const target = (): RecordStoreTarget => nextTarget();

beforeAll(async () => {
  sb = await startSandbox({ stepMs: 50, bigLog: false });
  nextTarget = stateContainerTarget(sb, 'watch-state');
});
afterAll(async () => {
  await sb?.stop();
});

describe('the leader lease', () => {
  test('of five contenders exactly one holds it; it renews, releases, and then another can take it', async () => {
    const t = target();
    const leases = Array.from({ length: 5 }, () => createBlobLease(t, 'watch/leader', 15));
    const won = await Promise.all(leases.map((l) => l.acquire()));
    expect(won.filter(Boolean)).toHaveLength(1);
    const holder = leases[won.indexOf(true)];
    const other = leases[won.indexOf(false)];
    expect(await holder.renew()).toBe(true);
    expect(await holder.acquire()).toBe(true); // asking again with its own id keeps it
    expect(await other.renew()).toBe(false);
    expect(await other.acquire()).toBe(false);
    await holder.release();
    expect(await other.acquire()).toBe(true);
    expect(await holder.renew()).toBe(false);
    await other.release();
  });

  test('only lease periods Azure accepts', () => {
    expect(() => createBlobLease(target(), 'watch/leader', 10)).toThrow(RecordInputError);
    expect(() => createBlobLease(target(), 'watch/leader', 61)).toThrow(RecordInputError);
  });
});

describe('cursors and claims', () => {
  test('a cursor written by one store is read by another; an absent one reads as none', async () => {
    const t = target();
    const a = openBlobWatchState(t);
    const b = openBlobWatchState(t);
    expect(await a.cursors.load('sub/rg')).toBeUndefined();
    const cursor = { ...emptyCursor(), templates: { '/subscriptions/s/x': { run: 'run:2026-12-02T10:00:00.000Z' } } };
    await a.cursors.save('sub/rg', cursor);
    expect(await b.cursors.load('sub/rg')).toEqual(cursor);
    expect(await b.cursors.load('sub/other')).toBeUndefined();
  });

  test('ten replicas claiming one notification: exactly one wins', async () => {
    const t = target();
    const key = notifyClaimKey('conversation-1', '/subscriptions/s/resourceGroups/rg/providers/x/imageTemplates/t', 'run:2026-12-02T10:00:00.000Z');
    const results = await Promise.all(Array.from({ length: 10 }, () => openBlobWatchState(t).claims.claim(key)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await openBlobWatchState(t).claims.claim(key)).toBe(false);
    expect(await openBlobWatchState(t).claims.claim(notifyClaimKey('conversation-2', 'x', 'run:y'))).toBe(true);
  });

  test('documents round-trip; a missing one reads as none', async () => {
    const t = target();
    const docs = createJsonDocuments(t, 'watch-cursors');
    await docs.write('k', { a: 1 });
    expect(await docs.read('k')).toEqual({ a: 1 });
    expect(await docs.read('missing')).toBeUndefined();
  });
});
