import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCursor } from './outcomes';
import type { WatchState } from './state';

// The watcher's state in a local folder, for `aib-chatops watch --once --state DIR`: one JSON file per scope
// cursor (replaced by rename, so a crash leaves the old or the new one, never half of either) and one file per
// claim, created with O_EXCL so two passes running at once still print an event once.

const hashed = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

export class WatchStateError extends Error {
  readonly code = 'watch-state-unusable';
  constructor(message: string) {
    super(message);
    this.name = 'WatchStateError';
  }
}

export async function openLocalWatchState(dir: string): Promise<WatchState> {
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
      async save(scope, cursor) {
        const path = join(cursorDir, `${hashed(scope)}.json`);
        const tmp = `${path}.${randomUUID()}.tmp`;
        await writeFile(tmp, JSON.stringify({ scope, cursor }));
        await rename(tmp, path);
      },
    },
    claims: {
      async claim(key) {
        try {
          const handle = await open(join(claimDir, `${hashed(key)}.json`), 'wx');
          try {
            await handle.writeFile(JSON.stringify({ key, at: new Date().toISOString() }));
          } finally {
            await handle.close();
          }
          return true;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
          throw e;
        }
      },
    },
  };
}
