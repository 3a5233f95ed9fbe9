import { request } from 'node:http';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { API, arm, getTemplate, sandboxLogUrl, templatePath } from './helpers/sandbox-http';

// Fault rules on both sides: ARM answers (429 + Retry-After, 503, latency, dropped sockets) and the blob proxy
// (403 on the log, 503, dropped connection), with `times` and `hits` bookkeeping.

let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ stepMs: 50, bigLog: false });
});

afterAll(async () => {
  await sb?.stop();
});

afterEach(() => sb.faults.clear());

const get = (name: string) => arm(sb, 'GET', `${templatePath(sb, name)}?${API}`);

/** Sends one raw request and reports whether the socket died without an answer. */
function rawGet(url: string): Promise<'answered' | 'dropped'> {
  return new Promise((resolve) => {
    const req = request(url, (res) => {
      res.resume();
      res.on('end', () => resolve('answered'));
    });
    req.on('error', () => resolve('dropped'));
    req.end();
  });
}

async function logBlob(name: string) {
  const t = await getTemplate(sb, name);
  const url = new URL(sandboxLogUrl(sb, t.properties.lastRunStatus.message));
  const [, account, ...rest] = url.pathname.split('/');
  const service = new BlobServiceClient(`${sb.blobEndpoint}/${account}`, new StorageSharedKeyCredential(account, sb.storageKey), {
    retryOptions: { maxTries: 1 },
  });
  return service.getContainerClient(rest[0]).getBlobClient(rest.slice(1).join('/'));
}

test('429 with Retry-After, limited by times, counted by hits', async () => {
  sb.faults.add({ target: 'arm', method: 'GET', pathIncludes: '/imageTemplates/win2022-base', status: 429, retryAfterSeconds: 7, times: 2 });
  const first = await get('win2022-base');
  expect(first.status).toBe(429);
  expect(first.headers.get('retry-after')).toBe('7');
  expect(first.body.error.code).toBe('TooManyRequests');
  expect(first.headers.get('x-ms-request-id')).toBeTruthy();
  expect((await get('win2022-base')).status).toBe(429);
  expect((await get('win2022-base')).status).toBe(200);
  expect(sb.faults.hits()).toBe(2);
});

test('rules match on method and path only', async () => {
  sb.faults.add({ target: 'arm', method: 'POST', status: 503 });
  sb.faults.add({ target: 'arm', pathIncludes: '/imageTemplates/ubuntu2204-ok', status: 503, code: 'ServerBusy' });
  expect((await get('win2022-base')).status).toBe(200);
  const busy = await get('ubuntu2204-ok');
  expect(busy.status).toBe(503);
  expect(busy.body.error.code).toBe('ServerBusy');
  expect(sb.faults.hits()).toBe(1);
});

test('an ARM 403 names the RBAC action and scope the request needed, as ARM does', async () => {
  sb.faults.add({ target: 'arm', status: 403 });
  const read = await get('win2022-base');
  expect(read.status).toBe(403);
  expect(read.body.error.code).toBe('AuthorizationFailed');
  expect(read.body.error.message).toContain("perform action 'Microsoft.VirtualMachineImages/imageTemplates/read' over scope '/subscriptions/");
  const run = await arm(sb, 'POST', `${templatePath(sb, 'win2022-base')}/run?${API}`);
  expect(run.body.error.message).toContain("'Microsoft.VirtualMachineImages/imageTemplates/run/action'");
});

test('latency holds the answer back, then answers normally', async () => {
  sb.faults.add({ target: 'arm', pathIncludes: '/imageTemplates/win2022-base', latencyMs: 1500, times: 1 });
  let delayedDone = false;
  const delayed = get('win2022-base').then((r) => {
    delayedDone = true;
    return r;
  });
  // A request the rule does not match overtakes the delayed one.
  expect((await get('ubuntu2204-ok')).status).toBe(200);
  expect(delayedDone).toBe(false);
  const r = await delayed;
  expect(r.status).toBe(200);
  expect(r.body.name).toBe('win2022-base');
});

test('drop destroys the ARM socket without an answer, once', async () => {
  sb.faults.add({ target: 'arm', drop: true, times: 1 });
  const url = `${sb.armEndpoint}${templatePath(sb, 'win2022-base')}?${API}`;
  expect(await rawGet(url)).toBe('dropped');
  expect(await rawGet(url)).toBe('answered');
});

test('blob 403 on the log has the Storage error shape and code', async () => {
  const blob = await logBlob('win2022-base');
  sb.faults.add({ target: 'blob', pathIncludes: '/customization.log', status: 403 });
  const err = await blob.download().then(
    () => undefined,
    (e: { statusCode?: number; code?: string }) => e,
  );
  expect(err?.statusCode).toBe(403);
  expect(err?.code).toBe('AuthorizationPermissionMismatch');
  const head = await blob.getProperties().then(
    () => undefined,
    (e: { statusCode?: number }) => e,
  );
  expect(head?.statusCode).toBe(403);
});

test('blob 503 then recovery, and a dropped blob connection', async () => {
  const blob = await logBlob('ubuntu2204-web');
  sb.faults.add({ target: 'blob', method: 'GET', status: 503, retryAfterSeconds: 1, times: 1 });
  const busy = await blob.download().then(
    () => undefined,
    (e: { statusCode?: number; code?: string }) => e,
  );
  expect(busy?.statusCode).toBe(503);
  expect(busy?.code).toBe('ServerBusy');
  const ok = await blob.downloadToBuffer();
  expect(ok.toString('utf8')).toContain('Unable to locate package');

  sb.faults.add({ target: 'blob', drop: true, times: 1 });
  const dropped = await blob.getProperties().then(
    () => 'answered',
    () => 'failed',
  );
  expect(dropped).toBe('failed');
  expect((await blob.getProperties()).contentLength).toBe(ok.length);
});

test('a rule needs a valid target and times', () => {
  expect(() => sb.faults.add({ target: 'queue' as 'arm' })).toThrow(TypeError);
  expect(() => sb.faults.add({ target: 'arm', times: 0 })).toThrow(TypeError);
});
