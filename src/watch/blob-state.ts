import { randomUUID } from 'node:crypto';
import { createJsonDocuments, createRecordStore, UnreadableClaimError, type ActionClaim, type RecordStoreTarget } from '../azure/records';
import { parseCursor } from './outcomes';
import { judgeClaim, type ClaimRecord, type ClaimStatus, type WatchState } from './state';

// The watcher's state in the bot's storage account, shared by every replica: cursors as JSON documents, claims as
// the create-only claim blobs card actions already use (If-None-Match: *), taken over and finished with If-Match.

const STATUS_OF: Record<ActionClaim['status'], ClaimStatus> = { running: 'pending', done: 'delivered', failed: 'failed' };
const BLOB_STATUS: Record<ClaimStatus, ActionClaim['status']> = { pending: 'running', delivered: 'done', failed: 'failed' };

const recordOf = (c: ActionClaim): ClaimRecord => ({ status: STATUS_OF[c.status], holder: c.holder, heldUntil: c.heldUntil });

export function openBlobWatchState(target: RecordStoreTarget, holder: string = randomUUID()): WatchState {
  const docs = createJsonDocuments(target, 'watch-cursors');
  const records = createRecordStore(target);
  const pending = (key: string, holdMs: number): ActionClaim => ({
    key,
    action: 'notify',
    templateId: key.split('|')[2] || '?',
    by: { name: 'watcher' },
    at: new Date().toISOString(),
    status: 'running',
    holder,
    heldUntil: new Date(Date.now() + holdMs).toISOString(),
  });
  return {
    cursors: {
      async load(scope) {
        const doc = (await docs.read(scope)) as { scope?: unknown; cursor?: unknown } | undefined;
        return doc?.scope === scope ? parseCursor(doc.cursor) : undefined;
      },
      save: (scope, cursor) => docs.write(scope, { scope, cursor }),
    },
    claims: {
      async begin(key, holdMs) {
        let result: Awaited<ReturnType<typeof records.claim>>;
        try {
          result = await records.claim(pending(key, holdMs));
        } catch (e) {
          if (e instanceof UnreadableClaimError) return { kind: 'unreadable' };
          throw e;
        }
        if (result.claimed) return { kind: 'mine', takenOver: false };
        const seen = result.existing;
        const verdict = judgeClaim(recordOf(seen), Date.now());
        if (verdict === 'settled') return { kind: 'settled', status: STATUS_OF[seen.status] as 'delivered' | 'failed' };
        if (verdict === 'held') return { kind: 'held', until: seen.heldUntil };
        // Stale: replace exactly the claim judged stale; a rival taking it over first makes our write fail.
        const took = await records.replaceIf(key, (now) =>
          now.status === seen.status && now.holder === seen.holder && now.heldUntil === seen.heldUntil ? pending(key, holdMs) : undefined,
        );
        return took ? { kind: 'mine', takenOver: true } : { kind: 'held' };
      },
      hold: (key, holdMs) =>
        records.replaceIf(key, (now) =>
          now.status === 'running' && now.holder === holder ? { ...now, heldUntil: new Date(Date.now() + holdMs).toISOString() } : undefined,
        ),
      async finish(key, status, detail) {
        const done = (now: ActionClaim): ActionClaim => {
          const { heldUntil: _held, ...rest } = now;
          return { ...rest, status: BLOB_STATUS[status], ...(detail ? { result: detail } : {}) };
        };
        // If-Match, so a finish never overwrites a claim that changed in between; one retry covers our own hold renewal.
        for (let attempt = 0; attempt < 3; attempt++) if (await records.replaceIf(key, done)) return;
        throw new Error(`the notification claim ${key} kept changing while it was being finished`);
      },
    },
  };
}
