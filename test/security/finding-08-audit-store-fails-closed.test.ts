import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { auditBlobName, createAuditLog, isAuditWriteError, type AuditRecord, type RecordStoreTarget } from '../../src/azure/records';
import { startSandbox, type Sandbox } from '../../src/sandbox';

// Finding 8, the audit store's part: a failed append could be swallowed (it surfaced as a generic gateway error the
// bot logged and ignored), and the day file gave up after 8 parts, so a busy day stopped being audited. The attacks
// run against the real module and the sandbox's Azurite, storage failures injected by its fault proxy.

let sb: Sandbox;
let n = 0;
const DAY = '2026-11-21';

beforeAll(async () => {
  sb = await startSandbox({ stepMs: 50, bigLog: false });
});
afterAll(async () => {
  sb?.faults.clear();
  await sb?.stop();
});

/** A fresh container reached through the fault proxy, so storage can be told to refuse. */
function faultyTarget(): RecordStoreTarget {
  return { kind: 'sandbox', url: `${sb.blobEndpoint}/${sb.stateStorage.account}`, account: sb.stateStorage.account, key: sb.stateStorage.key, container: `f08-${process.pid}-${++n}` };
}

function raw(t: RecordStoreTarget) {
  const service = new BlobServiceClient(sb.stateStorage.url, new StorageSharedKeyCredential(sb.stateStorage.account, sb.stateStorage.key));
  return service.getContainerClient(t.container);
}

const record = (detail: string): AuditRecord => ({
  time: `${DAY}T10:00:00.000Z`,
  user: { name: 'Alice Example', aadObjectId: '6a1f0c3e-1b2d-4c5e-8f90-a1b2c3d4e5f6' },
  conversationId: 'a:1',
  action: 'delete-template',
  target: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.VirtualMachineImages/imageTemplates/t',
  result: 'requested',
  detail,
});

async function details(t: RecordStoreTarget): Promise<string[]> {
  const out: string[] = [];
  for await (const r of createAuditLog({ ...t, url: sb.stateStorage.url }).list()) out.push(r.detail ?? '');
  return out;
}

describe('finding 8: the audit trail fails closed', () => {
  afterEach(() => sb.faults.clear());

  test.each([
    [503, 'service-unavailable'],
    [403, 'forbidden'],
  ])('storage answering %i: append rejects with audit-unwritable (reason %s), never resolves', async (status, reason) => {
    const t = faultyTarget();
    sb.faults.add({ target: 'blob', pathIncludes: `/${t.container}`, status });
    const attempt = createAuditLog(t).append(record('must not be lost silently'));
    await expect(attempt).rejects.toMatchObject({ code: 'audit-unwritable', reason });
    const error = await attempt.catch((e: unknown) => e);
    expect(isAuditWriteError(error)).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`The audit trail ${sb.stateStorage.account}/${t.container} cannot be written`));
  });

  test('a day whose first nine parts are full still gets its record, in the part after the newest', async () => {
    const t = faultyTarget();
    const container = raw(t);
    await container.create();
    for (let part = 0; part <= 9; part++) {
      await container.getAppendBlobClient(auditBlobName(DAY, part)).create();
      // Full, as Blob Storage says once an append blob holds 50 000 blocks.
      sb.faults.add({ target: 'blob', method: 'PUT', pathIncludes: `/${t.container}/${auditBlobName(DAY, part)}`, status: 409, code: 'BlockCountExceedsLimit' });
    }
    await createAuditLog(t).append(record('after ten full parts'));
    const text = (await container.getBlobClient(auditBlobName(DAY, 10)).downloadToBuffer()).toString('utf8');
    expect(text).toContain('after ten full parts');
    sb.faults.clear();
    expect(await details(t)).toEqual(['after ten full parts']);
  });

  test('a writer that starts mid-day continues the newest part instead of going back to part 0', async () => {
    const t = faultyTarget();
    const first = createAuditLog(t);
    await first.append(record('one'));
    const container = raw(t);
    await container.getAppendBlobClient(auditBlobName(DAY, 3)).create(); // three rollovers happened elsewhere
    await createAuditLog(t).append(record('two'));
    const part3 = (await container.getBlobClient(auditBlobName(DAY, 3)).downloadToBuffer()).toString('utf8');
    expect(part3).toContain('"two"');
    expect(await details(t)).toEqual(['one', 'two']);
  });
});
