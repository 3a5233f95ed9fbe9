import type { ScopeCursor } from '../../../src/watch/outcomes';
import { judgeClaim, type ClaimRecord, type WatchState } from '../../../src/watch/state';

// The watcher's state in memory for unit tests, with the same claim rules as the blob and folder stores: one holder
// per key, a hold that lapses, takeover of a lapsed pending claim. Several "processes" share one `shared` map.

export interface MemoryWatchState extends WatchState {
  cursorsSaved: number;
  claimRecords: Map<string, ClaimRecord>;
  cursorMap: Map<string, ScopeCursor>;
}

export function memoryWatchState(
  holder = 'p1',
  shared: { claims: Map<string, ClaimRecord>; cursors: Map<string, ScopeCursor> } = { claims: new Map(), cursors: new Map() },
  now: () => number = Date.now,
): MemoryWatchState {
  const claims = shared.claims;
  const s: MemoryWatchState = {
    cursorsSaved: 0,
    claimRecords: claims,
    cursorMap: shared.cursors,
    cursors: {
      load: async (scope) => structuredClone(shared.cursors.get(scope)),
      save: async (scope, c) => {
        s.cursorsSaved++;
        shared.cursors.set(scope, structuredClone(c));
      },
    },
    claims: {
      async begin(key, holdMs) {
        const seen = claims.get(key);
        const mine: ClaimRecord = { status: 'pending', holder, heldUntil: new Date(now() + holdMs).toISOString() };
        if (!seen) {
          claims.set(key, mine);
          return { kind: 'mine', takenOver: false };
        }
        const verdict = judgeClaim(seen, now());
        if (verdict === 'settled') return { kind: 'settled', status: seen.status as 'delivered' | 'failed' };
        if (verdict === 'held') return { kind: 'held', until: seen.heldUntil };
        claims.set(key, mine);
        return { kind: 'mine', takenOver: true };
      },
      async hold(key, holdMs) {
        const seen = claims.get(key);
        if (seen?.status !== 'pending' || seen.holder !== holder) return false;
        claims.set(key, { ...seen, heldUntil: new Date(now() + holdMs).toISOString() });
        return true;
      },
      async finish(key, status) {
        claims.set(key, { status, holder });
      },
    },
  };
  return s;
}
