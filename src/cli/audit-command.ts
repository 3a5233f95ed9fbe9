import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import type { AuditLog, AuditRecord } from '../azure/records';
import type { CliIO } from './diagnose-command';
import { UsageError } from './usage-error';

// `aib-chatops audit`: who tried what on which template, read back from the bot's audit blobs. The store is the one
// the bot writes to: the sandbox named by AIB_SANDBOX_* (from `aib-chatops sandbox`), or BOT_STORAGE_ACCOUNT_URL.

export const AUDIT_USAGE = 'aib-chatops audit [--since YYYY-MM-DD|ISO-TIME] [--limit N] [--json]';

/** Opens the audit log for a configuration; tests pass their own. */
export type OpenAuditLog = (io: CliIO) => Promise<AuditLog>;

/** Exit 0 with the records (none is fine), 2 on bad arguments or no configured store, 1 when the store fails. */
export async function runAuditCommand(argv: string[], io: CliIO, open: OpenAuditLog = openConfiguredAuditLog): Promise<number> {
  try {
    return await listRecords(argv, io, open);
  } catch (e) {
    io.stderr.write(`aib-chatops audit: ${(e as Error).message}\n`);
    return e instanceof UsageError || (e as { code?: unknown }).code === 'config-invalid' ? 2 : 1;
  }
}

async function listRecords(argv: string[], io: CliIO, open: OpenAuditLog): Promise<number> {
  const options = parse(argv);
  const log = await open(io);
  let invalid = 0;
  const records = log.list({ since: options.since, limit: options.limit, onInvalidLine: () => void invalid++ });
  if (options.json) {
    for await (const r of records) io.stdout.write(`${JSON.stringify(r)}\n`);
  } else {
    const rows: AuditRecord[] = [];
    for await (const r of records) rows.push(r);
    io.stdout.write(rows.length ? renderTable(rows) : 'No audit records.\n');
  }
  if (invalid) io.stderr.write(`aib-chatops audit: skipped ${invalid} line(s) that are not audit records\n`);
  return 0;
}

interface AuditArgs {
  since?: Date;
  limit?: number;
  json: boolean;
}

function parse(argv: string[]): AuditArgs {
  let values: { since?: string; limit?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { since: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean', default: false } },
      allowPositionals: false,
      strict: true,
    }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message} (usage: ${AUDIT_USAGE})`);
  }
  const args: AuditArgs = { json: !!values.json };
  if (values.since !== undefined) args.since = parseSince(values.since);
  if (values.limit !== undefined) {
    const n = Number(values.limit);
    if (!/^\d+$/.test(values.limit) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--limit needs a whole number ≥ 1, got "${values.limit}"`);
    args.limit = n;
  }
  return args;
}

/** A bare date is midnight UTC, the same day boundary the audit blobs use. */
function parseSince(value: string): Date {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value);
  const date = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  if ((!dateOnly && !isoTime) || !Number.isFinite(date.getTime()) || (dateOnly && date.toISOString().slice(0, 10) !== value)) {
    throw new UsageError(`--since needs a date (2026-11-01) or an ISO time with a zone (2026-11-01T08:00:00Z), got "${value}"`);
  }
  return date;
}

async function openConfiguredAuditLog(io: CliIO): Promise<AuditLog> {
  const config = loadConfig(io.env);
  if (!config.stateStore) {
    throw new UsageError(
      config.azure.kind === 'azure'
        ? 'no audit store configured: set BOT_STORAGE_ACCOUNT_URL (the account the bot writes its audit to)'
        : 'no audit store configured: start `aib-chatops sandbox` and export the env it prints (AIB_SANDBOX_STATE_URL among it), or configure Azure with BOT_STORAGE_ACCOUNT_URL',
    );
  }
  // The storage SDK loads only for this command, like the live diagnosis.
  const { createAuditLog, recordStoreTarget } = await import('../azure/records');
  return createAuditLog(recordStoreTarget(config.stateStore, config.auditContainer));
}

const COLUMNS = ['TIME', 'USER', 'ACTION', 'TARGET', 'RESULT'] as const;

function renderTable(rows: AuditRecord[]): string {
  const cells = rows.map((r) => [
    formatTime(r.time),
    clean(r.user.name ?? r.user.aadObjectId ?? r.user.id ?? '?'),
    clean(r.action),
    clean(shortTarget(r.target)),
    clean(r.result),
  ]);
  const widths = COLUMNS.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: readonly string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]))).join('  ');
  return `${[line(COLUMNS), ...cells.map(line)].join('\n')}\n`;
}

function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isFinite(d.getTime()) ? `${d.toISOString().slice(0, 19).replace('T', ' ')}Z` : clean(iso);
}

/** A template's resource id is long and mostly the same prefix; `group/name` is what people recognise. */
function shortTarget(target: string): string {
  const m = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.VirtualMachineImages\/imageTemplates\/([^/]+)$/i.exec(target);
  return m ? `${m[1]}/${m[2]}` : target;
}

/** Names come from Teams and could carry terminal escape sequences; a table cell must stay one plain line. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').slice(0, 120);
}
