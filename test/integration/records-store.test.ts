import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import {
  auditBlobName,
  claimBlobName,
  createAuditLog,
  createRecordStore,
  recordStoreTarget,
  type ActionClaim,
  type AuditRecord,
  type RecordStoreTarget,
} from '../../src/azure/records';
import { runAuditCommand } from '../../src/cli/audit-command';
import { runOnStreams } from '../helpers/command-io';
import { loadConfig } from '../../src/config';
import { startSandbox, type Sandbox } from '../../src/sandbox';

// Claims and the audit trail against the sandbox's real Azurite, the way the bot and `aib-chatops audit` use them.

let sb: Sandbox;
let n = 0;
/** A fresh container per test, so tests neither see each other's records nor depend on order. */
const target = (prefix: string): RecordStoreTarget => ({
  kind: 'sandbox',
  url: sb.stateStorage.url,
  account: sb.stateStorage.account,
  key: sb.stateStorage.key,
  container: `${prefix}-${process.pid}-${++n}`,
});

const TEMPLATE = '/subscriptions/00000000-0000-4000-8000-00000000a1b0/resourceGroups/aib-sandbox/providers/Microsoft.VirtualMachineImages/imageTemplates/win2022-base';

beforeAll(async () => {
  sb = await startSandbox({ stepMs: 50, bigLog: false });
});
afterAll(async () => {
  await sb?.stop();
});

function rawContainer(t: RecordStoreTarget) {
  const service = new BlobServiceClient(sb.stateStorage.url, new StorageSharedKeyCredential(sb.stateStorage.account, sb.stateStorage.key));
  return service.getContainerClient(t.container);
}

describe('action claims', () => {
  const claim = (who: string, key = `${TEMPLATE}|delete-template|2026-11-21T09:00:00Z`): ActionClaim => ({
    key,
    action: 'delete-template',
    templateId: TEMPLATE,
    by: { name: who, aadObjectId: `00000000-0000-4000-8000-${who.padStart(12, '0').slice(-12)}` },
    at: new Date().toISOString(),
    status: 'running',
  });

  test('10 concurrent claims from 10 separate stores: exactly one wins, the others see the winner', async () => {
    const t = target('claims');
    const stores = Array.from({ length: 10 }, () => createRecordStore(t));
    const results = await Promise.all(stores.map((s, i) => s.claim(claim(`user${i}`))));
    const winners = results.map((r, i) => (r.claimed ? i : -1)).filter((i) => i >= 0);
    expect(winners).toHaveLength(1);
    const winnerName = `user${winners[0]}`;
    for (const r of results) {
      if (!r.claimed) expect(r.existing.by.name).toBe(winnerName);
    }
    expect((await stores[3].get(claim('x').key))?.by.name).toBe(winnerName);
  });

  test('a second click after the first finished gets the finished claim with its result', async () => {
    const store = createRecordStore(target('claims'));
    const first = claim('alice', 'k-finished');
    expect(await store.claim(first)).toEqual({ claimed: true });
    await store.update({ ...first, status: 'done', result: 'deleted' });
    const again = await store.claim(claim('bob', 'k-finished'));
    expect(again).toEqual({ claimed: false, existing: { ...first, status: 'done', result: 'deleted' } });
  });

  test('update refuses a claim nobody made; get of an unknown key is undefined', async () => {
    const store = createRecordStore(target('claims'));
    await expect(store.update(claim('alice', 'never-claimed'))).rejects.toMatchObject({ name: 'AzureGatewayError', code: 'not-found' });
    expect(await store.get('never-claimed')).toBeUndefined();
  });

  test('keys with slashes and colons become one flat blob name; the claim keeps the key', async () => {
    const t = target('claims');
    const key = `${TEMPLATE}|rerun|19:abc@thread.tacv2;messageid=1`;
    await createRecordStore(t).claim(claim('alice', key));
    const names: string[] = [];
    for await (const b of rawContainer(t).listBlobsFlat()) names.push(b.name);
    expect(names).toEqual([claimBlobName(key)]);
    expect(names[0]).toMatch(/^claims\/[0-9a-f]{64}\.json$/);
  });

  test('a malformed claim is the caller\'s error, before any request', async () => {
    const store = createRecordStore(target('claims'));
    await expect(store.claim({ ...claim('alice'), status: 'maybe' as 'running' })).rejects.toMatchObject({ code: 'record-invalid' });
  });
});

describe('audit trail', () => {
  const record = (over: Partial<AuditRecord> = {}): AuditRecord => ({
    time: '2026-11-21T10:00:00.000Z',
    user: { name: 'Alice Example', aadObjectId: '6a1f0c3e-1b2d-4c5e-8f90-a1b2c3d4e5f6', id: '29:alice' },
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    conversationId: '19:images@thread.tacv2;messageid=1',
    action: 'delete-template',
    target: TEMPLATE,
    parameters: { deleteStaging: true },
    result: 'requested',
    ...over,
  });

  test('append then list: one append blob per UTC day, records back in order, ids added', async () => {
    const t = target('audit');
    const log = createAuditLog(t);
    await log.append(record({ time: '2026-11-20T23:59:59.000Z', result: 'requested' }));
    await log.append(record({ time: '2026-11-21T00:00:01.000Z', result: 'confirmed' }));
    await log.append(record({ time: '2026-11-21T00:00:05.000Z', result: 'succeeded', detail: 'deleted in 4 s' }));
    const back: AuditRecord[] = [];
    for await (const r of createAuditLog(t).list()) back.push(r);
    expect(back.map((r) => [r.time, r.result])).toEqual([
      ['2026-11-20T23:59:59.000Z', 'requested'],
      ['2026-11-21T00:00:01.000Z', 'confirmed'],
      ['2026-11-21T00:00:05.000Z', 'succeeded'],
    ]);
    expect(back[2]).toMatchObject({ ...record({ time: '2026-11-21T00:00:05.000Z', result: 'succeeded', detail: 'deleted in 4 s' }), id: expect.any(String) });
    const blobs: { name: string; type?: string }[] = [];
    for await (const b of rawContainer(t).listBlobsFlat()) blobs.push({ name: b.name, type: b.properties.blobType });
    expect(blobs).toEqual([
      { name: auditBlobName('2026-11-20', 0), type: 'AppendBlob' },
      { name: auditBlobName('2026-11-21', 0), type: 'AppendBlob' },
    ]);
    expect(blobs[0].name).toBe('2026-11-20.jsonl');
  });

  test('since and limit: since filters by time, limit keeps the newest, oldest first', async () => {
    const t = target('audit');
    const log = createAuditLog(t);
    for (const [i, day] of ['2026-11-01', '2026-11-02', '2026-11-03'].entries()) {
      await log.append(record({ time: `${day}T08:00:00.000Z`, detail: `a${i}` }));
      await log.append(record({ time: `${day}T18:00:00.000Z`, detail: `b${i}` }));
    }
    const details = async (options: { since?: Date; limit?: number }) => {
      const out: string[] = [];
      for await (const r of log.list(options)) out.push(r.detail!);
      return out;
    };
    expect(await details({ since: new Date('2026-11-02T12:00:00Z') })).toEqual(['b1', 'a2', 'b2']);
    expect(await details({ limit: 3 })).toEqual(['b1', 'a2', 'b2']);
    expect(await details({ limit: 1 })).toEqual(['b2']);
    expect(await details({ since: new Date('2026-11-03T00:00:00Z'), limit: 5 })).toEqual(['a2', 'b2']);
    expect(await details({ limit: 100 })).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
  });

  test('concurrent appends from several writers are all there, each line whole', async () => {
    const t = target('audit');
    const writers = Array.from({ length: 4 }, () => createAuditLog(t));
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => writers[i % 4].append(record({ time: `2026-11-21T10:00:${String(i).padStart(2, '0')}.000Z`, detail: `n${i}`, parameters: { pad: 'x'.repeat(2000 + i) } }))),
    );
    const seen: string[] = [];
    let invalid = 0;
    for await (const r of createAuditLog(t).list({ onInvalidLine: () => invalid++ })) seen.push(r.detail!);
    expect(invalid).toBe(0);
    expect(seen.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `n${i}`).sort());
  });

  test('no SAS signature, account key or token is ever written', async () => {
    const t = target('audit');
    const sas = 'https://acct.blob.core.windows.net/packerlogs/x/customization.log?sv=2024-01-01&se=2026&sig=AbCdEf0123456789%2B%2F%3D';
    await createAuditLog(t).append(
      record({
        result: 'failed',
        detail: `download failed: ${sas}; Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOi.abc.def`,
        parameters: { logUrl: sas, sasToken: 'sv=2024&sig=secretsig', nested: { connection: 'AccountName=a;AccountKey=c2VjcmV0a2V5;', clientSecret: 'hunter2' } },
      }),
    );
    const raw = (await rawContainer(t).getBlobClient(auditBlobName('2026-11-21', 0)).downloadToBuffer()).toString('utf8');
    for (const secret of ['AbCdEf0123456789', 'secretsig', 'c2VjcmV0a2V5', 'hunter2', 'eyJ0eXAiOiJKV1QiLCJhbGciOi']) expect(raw).not.toContain(secret);
    expect(raw).toContain('acct.blob.core.windows.net/packerlogs/x/customization.log');
  });

  test('an unreadable line is skipped and reported, the rest still listed', async () => {
    const t = target('audit');
    const log = createAuditLog(t);
    await log.append(record({ detail: 'before' }));
    await rawContainer(t).getAppendBlobClient(auditBlobName('2026-11-21', 0)).appendBlock('not json\n', 9);
    await log.append(record({ detail: 'after' }));
    const bad: number[] = [];
    const details: string[] = [];
    for await (const r of log.list({ onInvalidLine: (_b, line) => bad.push(line) })) details.push(r.detail!);
    expect(details).toEqual(['before', 'after']);
    expect(bad).toEqual([2]);
  });

  test('a container deleted behind the writer\'s back is created again by the next append and claim', async () => {
    const t = target('audit');
    const log = createAuditLog(t);
    const store = createRecordStore(t);
    await log.append(record({ detail: 'first' }));
    await rawContainer(t).delete();
    await log.append(record({ detail: 'second' }));
    expect(await store.claim({ key: 'k', action: 'rerun', templateId: TEMPLATE, by: {}, at: new Date().toISOString(), status: 'running' })).toEqual({ claimed: true });
    const details: string[] = [];
    for await (const r of log.list()) details.push(r.detail!);
    expect(details).toEqual(['second']);
  });

  test('a store that refuses surfaces as typed errors: 503 → service-unavailable, 403 → forbidden naming the role', async () => {
    // The state account is reached directly, so the faults go through a target pointed at the fault proxy.
    const t: RecordStoreTarget = { ...target('audit'), url: `${sb.blobEndpoint}/${sb.stateStorage.account}` };
    try {
      sb.faults.add({ target: 'blob', pathIncludes: `/${t.container}`, status: 503 });
      await expect(createAuditLog(t).append(record())).rejects.toMatchObject({
        name: 'AuditWriteError',
        code: 'audit-unwritable',
        reason: 'service-unavailable',
        cause: { name: 'AzureGatewayError', code: 'service-unavailable', status: 503 },
      });
      sb.faults.clear();
      sb.faults.add({ target: 'blob', pathIncludes: `/${t.container}`, status: 403 });
      const denied = createRecordStore(t).get('k');
      await expect(denied).rejects.toMatchObject({ code: 'forbidden', status: 403, requiredRole: 'Storage Blob Data Contributor' });
      await expect(denied).rejects.toThrow(/state storage aibchatopsstate\/audit-.* refused access \(403 AuthorizationPermissionMismatch\)/);
    } finally {
      sb.faults.clear();
    }
  });

  test('a bad record is refused before any request', async () => {
    const log = createAuditLog(target('audit'));
    await expect(log.append(record({ time: 'yesterday' }))).rejects.toMatchObject({ code: 'record-invalid', message: expect.stringContaining('time') });
    await expect(log.append(record({ result: 'maybe' as 'failed' }))).rejects.toMatchObject({ code: 'record-invalid' });
  });
});

describe('aib-chatops audit against the sandbox named by its env', () => {
  const run = (argv: string[], env: NodeJS.ProcessEnv) => runOnStreams((io) => runAuditCommand(argv, { ...io, env }));

  test('reads what the bot wrote to the configured audit container, as a table and as JSON lines', async () => {
    const env = { ...sb.env, AUDIT_CONTAINER: `cli-${process.pid}-${++n}` };
    const config = loadConfig(env);
    expect(config.stateStore).toEqual({ kind: 'sandbox', url: sb.stateStorage.url, account: sb.stateStorage.account, key: sb.stateStorage.key });
    const log = createAuditLog(recordStoreTarget(config.stateStore!, config.auditContainer));
    await log.append(record({ time: '2026-11-21T10:00:00.000Z', result: 'requested' }));
    await log.append(record({ time: '2026-11-21T10:00:09.000Z', result: 'succeeded', user: { name: 'Bob' }, action: 'rerun' }));

    const table = await run([], env);
    expect(table.code).toBe(0);
    expect(table.out.split('\n')).toEqual([
      expect.stringMatching(/^TIME\s+USER\s+ACTION\s+TARGET\s+RESULT$/),
      expect.stringMatching(/^2026-11-21 10:00:00Z\s+Alice Example\s+delete-template\s+aib-sandbox\/win2022-base\s+requested$/),
      expect.stringMatching(/^2026-11-21 10:00:09Z\s+Bob\s+rerun\s+aib-sandbox\/win2022-base\s+succeeded$/),
      '',
    ]);

    const json = await run(['--json', '--limit', '1'], env);
    expect(json.code).toBe(0);
    const lines = json.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([expect.objectContaining({ result: 'succeeded', target: TEMPLATE, user: { name: 'Bob' } })]);
  });

  test('with no state store configured it says how to get one, exit 2', async () => {
    const { AIB_SANDBOX_STATE_URL: _omit, ...older } = sb.env;
    const r = await run([], older);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^aib-chatops audit: no audit store configured: start `aib-chatops sandbox`/);
  });

  function record(over: Partial<AuditRecord>): AuditRecord {
    return {
      time: '2026-11-21T10:00:00.000Z',
      user: { name: 'Alice Example', aadObjectId: '6a1f0c3e-1b2d-4c5e-8f90-a1b2c3d4e5f6' },
      conversationId: 'a:1',
      action: 'delete-template',
      target: TEMPLATE,
      result: 'requested',
      ...over,
    };
  }
});
