import { Readable } from 'node:stream';
import { BlobServiceClient, StorageSharedKeyCredential, type ContainerClient } from '@azure/storage-blob';
import { LOG_BLOB_NAME, LOG_CONTAINER } from '../constants';
import type { LogSink } from '../emulator/log-sink';

// Writes build logs into Azurite directly (not through the fault proxy: a test's injected 503 must not break
// the emulator's own bookkeeping). The storage SDK is used here only to seed the sandbox.

export class AzuriteLogStore implements LogSink {
  private readonly ready = new Map<string, Promise<ContainerClient>>();

  constructor(
    private readonly azuriteUrl: string,
    private readonly key: string,
  ) {}

  private container(account: string): Promise<ContainerClient> {
    let p = this.ready.get(account);
    if (!p) {
      const service = new BlobServiceClient(`${this.azuriteUrl}/${account}`, new StorageSharedKeyCredential(account, this.key));
      const c = service.getContainerClient(LOG_CONTAINER);
      p = c.createIfNotExists().then(() => c);
      p.catch(() => this.ready.delete(account));
      this.ready.set(account, p);
    }
    return p;
  }

  async prepare(account: string): Promise<void> {
    await this.container(account);
  }

  async put(account: string, folder: string, content: string, blobName: string = LOG_BLOB_NAME): Promise<void> {
    const c = await this.container(account);
    const data = Buffer.from(content, 'utf8');
    await c.getBlockBlobClient(`${folder}/${blobName}`).uploadData(data, { blobHTTPHeaders: { blobContentType: 'text/plain; charset=utf-8' } });
  }

  /** Streams a large log in blocks; memory stays at a few blocks whatever the size. */
  async putStream(account: string, folder: string, source: AsyncIterable<Buffer>): Promise<number> {
    const c = await this.container(account);
    let total = 0;
    const counted = Readable.from(
      (async function* () {
        for await (const chunk of source) {
          total += chunk.length;
          yield chunk;
        }
      })(),
    );
    await c.getBlockBlobClient(`${folder}/${LOG_BLOB_NAME}`).uploadStream(counted, 4 * 1024 * 1024, 4, {
      blobHTTPHeaders: { blobContentType: 'text/plain; charset=utf-8' },
    });
    return total;
  }

  async removeAll(account: string): Promise<void> {
    const c = await this.container(account);
    this.ready.delete(account);
    await c.deleteIfExists();
  }
}
