import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { ImageTemplate } from '../../src/azure';
import { claimBlobName, createBlobLease, createJsonDocuments, createRecordStore, RecordInputError, type RecordStoreTarget } from '../../src/azure/records';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { openBlobWatchState } from '../../src/watch/blob-state';
import { emptyCursor } from '../../src/watch/outcomes';
import { notifyClaimKey } from '../../src/watch/state';
import { WatchService } from '../../src/watch/service';
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

  test('ten replicas claiming one notification: exactly one holds it; once delivered it is settled for all', async () => {
    const t = target();
    const key = notifyClaimKey('conversation-1', '/subscriptions/s/resourceGroups/rg/providers/x/imageTemplates/t', 'run:2026-12-02T10:00:00.000Z');
    const results = await Promise.all(Array.from({ length: 10 }, () => openBlobWatchState(t).claims.begin(key, 15_000)));
    expect(results.filter((r) => r.kind === 'mine')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'held')).toHaveLength(9);
    expect(await openBlobWatchState(t).claims.begin(notifyClaimKey('conversation-2', 'x', 'run:y'), 15_000)).toEqual({ kind: 'mine', takenOver: false });
  });

  test('pending → delivered: only the holder renews; after finish every replica sees it settled', async () => {
    const t = target();
    const key = notifyClaimKey('c', 'x', 'run:1');
    const holder = openBlobWatchState(t, 'holder');
    const rival = openBlobWatchState(t, 'rival');
    expect((await holder.claims.begin(key, 15_000)).kind).toBe('mine');
    expect(await rival.claims.hold(key, 15_000)).toBe(false);
    expect(await holder.claims.hold(key, 15_000)).toBe(true);
    expect((await rival.claims.begin(key, 15_000)).kind).toBe('held');
    await holder.claims.finish(key, 'delivered');
    expect(await rival.claims.begin(key, 15_000)).toEqual({ kind: 'settled', status: 'delivered' });
    expect(await holder.claims.hold(key, 15_000)).toBe(false);
    const failedKey = notifyClaimKey('c', 'x', 'run:2');
    await holder.claims.begin(failedKey, 15_000);
    await holder.claims.finish(failedKey, 'failed', 'Teams answered 400');
    expect(await rival.claims.begin(failedKey, 15_000)).toEqual({ kind: 'settled', status: 'failed' });
  });

  test('a pending claim whose holder stopped renewing is taken over by exactly one of five, after its hold and not before', async () => {
    const t = target();
    const key = notifyClaimKey('c', 'x', 'run:dead');
    expect((await openBlobWatchState(t, 'dead').claims.begin(key, 400)).kind).toBe('mine');
    expect((await openBlobWatchState(t, 'early').claims.begin(key, 15_000)).kind).toBe('held');
    await new Promise((r) => setTimeout(r, 500));
    const takes = await Promise.all(Array.from({ length: 5 }, (_, i) => openBlobWatchState(t, `r${i}`).claims.begin(key, 15_000)));
    expect(takes.filter((x) => x.kind === 'mine')).toEqual([{ kind: 'mine', takenOver: true }]);
    expect(takes.filter((x) => x.kind === 'held')).toHaveLength(4);
    // The dead holder, back from a long pause, cannot renew a claim that is no longer its own.
    expect(await openBlobWatchState(t, 'dead').claims.hold(key, 15_000)).toBe(false);
  });

  test('a pending claim without a hold (hand-written, or by a broken version) is stale, never blocking for ever', async () => {
    const t = target();
    const key = notifyClaimKey('c', 'x', 'run:no-hold');
    await createRecordStore(t).claim({ key, action: 'notify', templateId: 'x', by: { name: 'watcher' }, at: new Date().toISOString(), status: 'running' });
    expect(await openBlobWatchState(t, 'r').claims.begin(key, 15_000)).toEqual({ kind: 'mine', takenOver: true });
  });

  test('attack: a blob at a claim’s name that is not a claim (garbage, oversized, another key’s claim) is never sent and never blocks the scope', async () => {
    const t = target();
    const container = new BlobServiceClient(sb.stateStorage.url, new StorageSharedKeyCredential(sb.stateStorage.account, sb.stateStorage.key)).getContainerClient(t.container);
    await container.createIfNotExists();
    const templateId = (name: string) => `/subscriptions/s/resourceGroups/rg/providers/Microsoft.VirtualMachineImages/imageTemplates/${name}`;
    const start = new Date(Date.now() - 60_000);
    const runKey = `run:${start.toISOString()}`;
    const names = ['forged', 'oversized', 'replayed', 'honest'];
    const otherKeyClaim = { key: notifyClaimKey('c1', templateId('elsewhere'), runKey), action: 'notify', templateId: 'x', by: { name: 'watcher' }, at: start.toISOString(), status: 'done' };
    const bodies: Record<string, string> = { forged: '{"not":"a claim"', oversized: 'x'.repeat(2 * 1024 * 1024), replayed: JSON.stringify(otherKeyClaim) };
    for (const [name, body] of Object.entries(bodies)) {
      await container.getBlockBlobClient(claimBlobName(notifyClaimKey('c1', templateId(name), runKey))).upload(body, Buffer.byteLength(body));
    }
    const state = openBlobWatchState(t, 'p1');
    expect(await state.claims.begin(notifyClaimKey('c1', templateId('forged'), runKey), 15_000)).toEqual({ kind: 'unreadable' });

    const templates = names.map((name) => ({ id: templateId(name), name, provisioningState: 'Succeeded', lastRunStatus: { startTime: start, endTime: start, runState: 'Failed' } }) as unknown as ImageTemplate);
    const delivered: string[] = [];
    const log: string[] = [];
    const watcher = new WatchService({
      templates: { pages: async function* () { yield templates; } },
      subscriptionId: 's',
      state,
      lease: { acquire: async () => true, renew: async () => true, release: async () => undefined },
      leaseMs: 15_000,
      scopes: () => ['rg'],
      recipients: () => ['c1'],
      deliver: async ({ event }) => void delivered.push(event.templateName),
      log: (line) => log.push(line),
    });
    expect(await watcher.passOnce('rg')).toEqual({ kind: 'ok' });
    expect(delivered).toEqual(['honest']);
    expect(log.filter((l) => /not a claim/.test(l))).toHaveLength(3);
    // The cursor moved: the next pass detects nothing, sends nothing, and says nothing more about the forged blobs.
    expect(await watcher.passOnce('rg')).toEqual({ kind: 'ok' });
    expect(delivered).toEqual(['honest']);
    expect(log.filter((l) => /not a claim/.test(l))).toHaveLength(3);
  });

  test('documents round-trip; a missing one reads as none', async () => {
    const t = target();
    const docs = createJsonDocuments(t, 'watch-cursors');
    await docs.write('k', { a: 1 });
    expect(await docs.read('k')).toEqual({ a: 1 });
    expect(await docs.read('missing')).toBeUndefined();
  });
});
