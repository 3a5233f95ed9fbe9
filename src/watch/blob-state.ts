import { createJsonDocuments, createRecordStore, type RecordStoreTarget } from '../azure/records';
import { parseCursor } from './outcomes';
import type { WatchState } from './state';

// The watcher's state in the bot's storage account, shared by every replica: cursors as JSON documents, claims as
// the create-only claim blobs card actions already use (If-None-Match: *).

export function openBlobWatchState(target: RecordStoreTarget): WatchState {
  const docs = createJsonDocuments(target, 'watch-cursors');
  const records = createRecordStore(target);
  return {
    cursors: {
      async load(scope) {
        const doc = (await docs.read(scope)) as { scope?: unknown; cursor?: unknown } | undefined;
        return doc?.scope === scope ? parseCursor(doc.cursor) : undefined;
      },
      save: (scope, cursor) => docs.write(scope, { scope, cursor }),
    },
    claims: {
      async claim(key) {
        const templateId = key.split('|')[2] ?? '';
        const result = await records.claim({ key, action: 'notify', templateId, by: { name: 'watcher' }, at: new Date().toISOString(), status: 'done' });
        return result.claimed;
      },
    },
  };
}
