import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCursor } from './outcomes';
import { judgeClaim, type ClaimRecord, type NotifyClaims, type WatchState } from './state';

// The watcher's state in a local folder, for `aib-chatops watch --once --state DIR`: one JSON file per scope
// cursor (replaced by rename, so a crash leaves the old or the new one, never half of either) and one file per
// claim, created with O_EXCL so two passes running at once still print an event once; a claim left pending by a pass
// that died is taken over after its hold.

const hashed = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

export class WatchStateError extends Error {
  readonly code = 'watch-state-unusable';
  constructor(message: string) {
    super(message);
    this.name = 'WatchStateError';
  }
}

export async function openLocalWatchState(dir: string, holder: string = `${process.pid}-${randomUUID()}`): Promise<WatchState> {
  const cursorDir = join(dir, 'cursors');
  const claimDir = join(dir, 'claims');
  try {
    await mkdir(cursorDir, { recursive: true });
    await mkdir(claimDir, { recursive: true });
  } catch (e) {
    throw new WatchStateError(`cannot use ${dir} as the watch state folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return {
    cursors: {
      async load(scope) {
        let text: string;
        try {
          text = await readFile(join(cursorDir, `${hashed(scope)}.json`), 'utf8');
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
          throw e;
        }
        try {
          const parsed = JSON.parse(text) as { scope?: unknown; cursor?: unknown };
          return parsed.scope === scope ? parseCursor(parsed.cursor) : undefined;
        } catch {
          return undefined;
        }
      },
      save: (scope, cursor) => replaceFile(join(cursorDir, `${hashed(scope)}.json`), JSON.stringify({ scope, cursor })),
    },
    claims: localClaims(claimDir, holder),
  };
}

/** A crash leaves the old or the new file, never half of either. */
async function replaceFile(path: string, body: string): Promise<void> {
  const tmp = `${path}.${randomUUID()}.tmp`;
  await writeFile(tmp, body);
  await rename(tmp, path);
}

const UNREADABLE_HOLD_MS = 60_000;

interface ClaimFile extends ClaimRecord {
  key: string;
  at: string;
  detail?: string;
}

/**
 * Claims as files: created with O_EXCL, replaced by rename. A stale claim is taken over by whoever first creates
 * its takeover marker (also O_EXCL, named after the exact hold judged stale), so two passes never both take it.
 */
function localClaims(claimDir: string, holder: string): NotifyClaims {
  const pathOf = (key: string) => join(claimDir, `${hashed(key)}.json`);
  const read = async (key: string): Promise<ClaimFile | undefined> => {
    try {
      const c = JSON.parse(await readFile(pathOf(key), 'utf8')) as ClaimFile;
      return c.key === key ? c : undefined;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      // Unreadable: half-written by a pass that created it this instant, or left broken by a crash. It counts as held
      // for a minute after it was last written (never free on a guess), then as stale, so it cannot block for ever.
      const written = await stat(pathOf(key)).then((st) => st.mtimeMs, () => Date.now());
      return { key, at: '', status: 'pending', holder: '?', heldUntil: new Date(written + UNREADABLE_HOLD_MS).toISOString() };
    }
  };
  const replace = (key: string, c: ClaimFile) => replaceFile(pathOf(key), JSON.stringify(c));
  const createOnly = async (path: string, body: string): Promise<boolean> => {
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(body);
      } finally {
        await handle.close();
      }
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  };
  const pending = (key: string, holdMs: number): ClaimFile => ({
    key,
    at: new Date().toISOString(),
    status: 'pending',
    holder,
    heldUntil: new Date(Date.now() + holdMs).toISOString(),
  });
  return {
    async begin(key, holdMs) {
      if (await createOnly(pathOf(key), JSON.stringify(pending(key, holdMs)))) return { kind: 'mine', takenOver: false };
      const seen = await read(key);
      if (!seen) return { kind: 'held' }; // removed in between: the next pass looks again
      const verdict = judgeClaim(seen, Date.now());
      // Claim files of earlier versions have no status: they were written when the event was printed.
      if (verdict === 'settled') return { kind: 'settled', status: seen.status === 'failed' ? 'failed' : 'delivered' };
      if (verdict === 'held') return { kind: 'held', until: seen.heldUntil };
      const marker = `${pathOf(key)}.${hashed(`${seen.holder}|${seen.heldUntil}`)}.takeover`;
      if (!(await createOnly(marker, holder))) return { kind: 'held' };
      await replace(key, pending(key, holdMs));
      return { kind: 'mine', takenOver: true };
    },
    async hold(key, holdMs) {
      const now = await read(key);
      if (now?.status !== 'pending' || now.holder !== holder) return false;
      await replace(key, { ...now, heldUntil: new Date(Date.now() + holdMs).toISOString() });
      return true;
    },
    async finish(key, status, detail) {
      const now = (await read(key)) ?? pending(key, 0);
      const { heldUntil: _held, ...rest } = now;
      await replace(key, { ...rest, status, ...(detail ? { detail } : {}) });
    },
  };
}
