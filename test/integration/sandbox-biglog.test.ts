import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { getTemplate, sandboxLogUrl } from './helpers/sandbox-http';

// The one test that pays for the 200 MB log: it is seeded in the background and `ready` says when.

let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ stepMs: 50, bigLog: true });
});

afterAll(async () => {
  await sb?.stop();
});

test('the big-log scenario answers at once and its 200 MB log is there once ready resolves', async () => {
  const t = await getTemplate(sb, 'ubuntu2204-biglog');
  expect(t.properties.lastRunStatus.runState).toBe('Failed');
  await sb.ready;

  const url = new URL(sandboxLogUrl(sb, t.properties.lastRunStatus.message));
  const [, account, container, ...rest] = url.pathname.split('/');
  const blob = new BlobServiceClient(`${sb.blobEndpoint}/${account}`, new StorageSharedKeyCredential(account, sb.storageKey))
    .getContainerClient(container)
    .getBlobClient(rest.join('/'));
  const size = (await blob.getProperties()).contentLength ?? 0;
  expect(size).toBeGreaterThanOrEqual(200 * 1024 * 1024);

  // The customizer failure sits near the end (97 % in), where a tail-first reader has to look for it.
  const from = Math.floor(size * 0.95);
  const window = (await blob.downloadToBuffer(from, size - from)).toString('utf8');
  expect(window).toContain('make: *** [Makefile:146: all] Error 2');
  const head = (await blob.downloadToBuffer(0, 64 * 1024)).toString('utf8');
  expect(head).not.toContain('make: *** [Makefile:146: all] Error 2');
}, 120000);
