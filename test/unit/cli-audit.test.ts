import { PassThrough } from 'node:stream';
import { AzureGatewayError } from '../../src/azure/errors';
import type { AuditListOptions, AuditLog, AuditRecord } from '../../src/azure/records';
import { runAuditCommand } from '../../src/cli/audit-command';
import { loadConfig } from '../../src/config';
import { runOnStreams } from '../helpers/command-io';

// The `audit` command's arguments and output, over an in-memory log that applies since/limit like the blob one.
// test/integration/records-store.test.ts runs the same command against the sandbox's Azurite.

const TEMPLATE = (rg: string, name: string) =>
  `/subscriptions/00000000-0000-4000-8000-00000000a1b0/resourceGroups/${rg}/providers/Microsoft.VirtualMachineImages/imageTemplates/${name}`;

const RECORDS: AuditRecord[] = [
  { id: '1', time: '2026-10-31T23:00:00.000Z', user: { name: 'Alice Example', aadObjectId: 'a1' }, conversationId: 'c', action: 'rerun', target: TEMPLATE('rg-images', 'ubuntu2204'), result: 'requested' },
  { id: '2', time: '2026-11-01T08:15:30.123Z', user: { aadObjectId: '6a1f0c3e-1b2d-4c5e-8f90-a1b2c3d4e5f6' }, conversationId: 'c', action: 'delete-template', target: TEMPLATE('rg-images', 'win2022-base'), result: 'denied', detail: 'policy' },
  { id: '3', time: '2026-11-02T09:00:00.000Z', user: { name: 'Mallory\u001b[31m red', id: '29:m' }, conversationId: 'c', action: 'cancel-run', target: 'not-a-template-id', result: 'failed' },
];

function memoryLog(records: AuditRecord[], seen?: { options?: AuditListOptions }, invalidLines = 0): AuditLog {
  return {
    append: async () => undefined,
    async *list(options = {}) {
      if (seen) seen.options = options;
      for (let i = 0; i < invalidLines; i++) options.onInvalidLine?.('2026-11-01.jsonl', i + 1);
      let out = records.filter((r) => !options.since || Date.parse(r.time) >= options.since.getTime());
      if (options.limit) out = out.slice(-options.limit);
      yield* out;
    },
  };
}

async function run(argv: string[], log: AuditLog | (() => Promise<AuditLog>)) {
  const open = typeof log === 'function' ? log : async () => log;
  return runOnStreams((io) => runAuditCommand(argv, { ...io, env: {} }, open));
}

test('a table of time, user, action, target and result; templates shortened to group/name', async () => {
  const r = await run([], memoryLog(RECORDS));
  expect(r.code).toBe(0);
  expect(r.err).toBe('');
  expect(r.out).toBe(
    [
      'TIME                  USER                                  ACTION           TARGET                  RESULT',
      '2026-10-31 23:00:00Z  Alice Example                         rerun            rg-images/ubuntu2204    requested',
      '2026-11-01 08:15:30Z  6a1f0c3e-1b2d-4c5e-8f90-a1b2c3d4e5f6  delete-template  rg-images/win2022-base  denied',
      '2026-11-02 09:00:00Z  Mallory [31m red                      cancel-run       not-a-template-id       failed',
      '',
    ].join('\n'),
  );
});

test('--json prints each record as one JSON line, complete', async () => {
  const r = await run(['--json'], memoryLog(RECORDS));
  expect(r.code).toBe(0);
  expect(r.out.trim().split('\n').map((l) => JSON.parse(l))).toEqual(RECORDS);
});

test('--since takes a date (midnight UTC) or an ISO time; --limit a count', async () => {
  const seen: { options?: AuditListOptions } = {};
  let r = await run(['--since', '2026-11-01', '--json'], memoryLog(RECORDS, seen));
  expect(seen.options?.since?.toISOString()).toBe('2026-11-01T00:00:00.000Z');
  expect(r.out.trim().split('\n').map((l) => JSON.parse(l).id)).toEqual(['2', '3']);

  r = await run(['--since', '2026-11-01T09:00:00+01:00', '--limit', '1', '--json'], memoryLog(RECORDS, seen));
  expect(seen.options).toMatchObject({ since: new Date('2026-11-01T08:00:00Z'), limit: 1 });
  expect(r.out.trim().split('\n').map((l) => JSON.parse(l).id)).toEqual(['3']);
});

test.each([
  [['--since', '2026-13-01'], '--since needs a date'],
  [['--since', '2026-02-30'], '--since needs a date'],
  [['--since', 'yesterday'], '--since needs a date'],
  [['--since', '2026-11-01T08:00:00'], '--since needs a date'],
  [['--limit', '0'], '--limit needs a whole number'],
  [['--limit', '2.5'], '--limit needs a whole number'],
  [['--limit', 'ten'], '--limit needs a whole number'],
  [['--verbose'], "Unknown option '--verbose'"],
  [['extra'], 'Unexpected argument'],
])('%j is a usage error: exit 2, one line on stderr, nothing on stdout', async (argv, message) => {
  let opened = false;
  const r = await run(argv, async () => {
    opened = true;
    return memoryLog(RECORDS);
  });
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err).toContain(message);
  expect(r.err.startsWith('aib-chatops audit: ')).toBe(true);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(opened).toBe(false);
});

test('an empty trail says so', async () => {
  const r = await run([], memoryLog([]));
  expect(r).toEqual({ code: 0, out: 'No audit records.\n', err: '' });
});

test('skipped lines are counted on stderr', async () => {
  const r = await run([], memoryLog(RECORDS.slice(0, 1), undefined, 2));
  expect(r.code).toBe(0);
  expect(r.err).toBe('aib-chatops audit: skipped 2 line(s) that are not audit records\n');
});

test('a store that fails is exit 1 with the typed error message', async () => {
  const failing: AuditLog = {
    append: async () => undefined,
    // eslint-disable-next-line require-yield
    async *list() {
      throw new AzureGatewayError('forbidden', 'The bot\'s state storage aibstate/audit refused access (403 AuthorizationPermissionMismatch)');
    },
  };
  const r = await run([], failing);
  expect(r.code).toBe(1);
  expect(r.err).toBe("aib-chatops audit: The bot's state storage aibstate/audit refused access (403 AuthorizationPermissionMismatch)\n");
});

test('without a configured store: exit 2 and how to configure one', async () => {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d) => (err += d));
  const code = await runAuditCommand([], { stdin: new PassThrough(), stdout, stderr, env: { AZURE_SUBSCRIPTION_ID: '00000000-0000-4000-8000-00000000a1b0' } });
  expect(code).toBe(2);
  expect(err).toBe('aib-chatops audit: no audit store configured: set BOT_STORAGE_ACCOUNT_URL (the account the bot writes its audit to)\n');
});

describe('the store the command (and the bot) is configured with', () => {
  const SANDBOX = {
    AIB_SANDBOX_ARM_ENDPOINT: 'http://127.0.0.1:4000',
    AIB_SANDBOX_BLOB_ENDPOINT: 'http://127.0.0.1:4001',
    AIB_SANDBOX_STORAGE_KEY: 'a2V5',
    AIB_SANDBOX_SUBSCRIPTION_ID: '00000000-0000-4000-8000-00000000a1b0',
  };

  test('sandbox: the account in AIB_SANDBOX_STATE_URL with the sandbox key', () => {
    const c = loadConfig({ ...SANDBOX, AIB_SANDBOX_STATE_URL: 'http://127.0.0.1:4002/aibchatopsstate/' });
    expect(c.stateStore).toEqual({ kind: 'sandbox', url: 'http://127.0.0.1:4002/aibchatopsstate', account: 'aibchatopsstate', key: 'a2V5' });
    expect(c.auditContainer).toBe('audit');
  });

  test('sandbox without AIB_SANDBOX_STATE_URL (an older sandbox): none, and BOT_STORAGE_ACCOUNT_URL is not borrowed', () => {
    expect(loadConfig({ ...SANDBOX, BOT_STORAGE_ACCOUNT_URL: 'https://prodstate.blob.core.windows.net' }).stateStore).toBeUndefined();
    expect(() => loadConfig({ ...SANDBOX, AIB_SANDBOX_STATE_URL: 'http://127.0.0.1:4002/' })).toThrow(/must end with the storage account name/);
  });

  test('Azure: BOT_STORAGE_ACCOUNT_URL with the managed identity, https only', () => {
    const azure = { AZURE_SUBSCRIPTION_ID: '00000000-0000-4000-8000-00000000a1b0', AZURE_CLIENT_ID: 'c1' };
    expect(loadConfig({ ...azure, BOT_STORAGE_ACCOUNT_URL: 'https://aibstate.blob.core.windows.net/' }).stateStore).toEqual({
      kind: 'azure',
      url: 'https://aibstate.blob.core.windows.net',
      clientId: 'c1',
    });
    expect(() => loadConfig({ ...azure, BOT_STORAGE_ACCOUNT_URL: 'http://aibstate.blob.core.windows.net' })).toThrow(/must be an https:\/\/ URL/);
    expect(loadConfig(azure).stateStore).toBeUndefined();
  });
});
