import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runWatchCommand, type WatchLine } from '../../src/cli/watch-command';
import { main } from '../../src/cli';
import { createAzureGateways, type AzureGateways } from '../../src/azure';
import { loadConfig } from '../../src/config';
import { startSandbox, type Sandbox } from '../../src/sandbox';

// `aib-chatops watch --once` against a real sandbox (emulator + Azurite), the way a terminal user runs it with the
// env `aib-chatops sandbox` prints.

let sb: Sandbox;
let gw: AzureGateways;
const dirs: string[] = [];

beforeAll(async () => {
  sb = await startSandbox({ stepMs: 50, bigLog: false });
  gw = createAzureGateways(loadConfig(sb.env).azure);
});
afterAll(async () => {
  await sb?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function stateDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'aib-watch-'));
  dirs.push(d);
  return d;
}

async function run(argv: string[], env: NodeJS.ProcessEnv = sb.env) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await runWatchCommand(argv, { stdin: new PassThrough(), stdout, stderr, env });
  return { code, out, err, lines: out.split('\n').filter(Boolean) };
}

const parse = (lines: string[]) => lines.map((l) => JSON.parse(l) as WatchLine);
const nameOf = (id: string) => id.split('/').pop()!;
// What the watcher posts by default: every run outcome but success (PartiallySucceeded included).
const FAILED_STATES = new Set(['Failed', 'PartiallySucceeded', 'Canceled', 'ProvisioningFailed']);

test('a fresh sandbox: one line per failed seeded template; the second pass prints none', async () => {
  const dir = stateDir();
  const first = await run(['--once', '--json', '--state', dir, '--window', '30d']);
  expect(first.code).toBe(0);
  const events = parse(first.lines);
  const expected = sb.scenarios.filter((s) => s.resourceGroup === sb.resourceGroup && FAILED_STATES.has(s.state)).map((s) => s.name);
  expect(events.map((e) => nameOf(e.templateId)).sort()).toEqual([...expected].sort());
  for (const e of events) {
    expect(Object.keys(e).sort()).toEqual(['at', 'diagnosisId', 'outcome', 'runStart', 'templateId']);
    expect(e.templateId).toMatch(/^\/subscriptions\/.+\/providers\/Microsoft\.VirtualMachineImages\/imageTemplates\/[^/]+$/);
    expect(typeof e.diagnosisId).toBe('string');
    const state = sb.scenarios.find((s) => s.name === nameOf(e.templateId))!.state;
    if (state !== 'ProvisioningFailed') {
      // A run outcome is the run's own state, identified by its start time.
      expect(e.outcome).toBe(state);
      expect(e.runStart).toEqual(expect.any(String));
    } else {
      expect(e.outcome).toBe('ProvisioningFailed');
      expect(e.runStart).toBeNull();
    }
  }
  // The diagnosis id is the one the diagnose use case gives, so the one each seeded scenario is built to produce.
  for (const e of events) expect([nameOf(e.templateId), e.diagnosisId]).toEqual([nameOf(e.templateId), sb.scenarios.find((s) => s.name === nameOf(e.templateId))!.expectedId]);

  const second = await run(['--once', '--json', '--state', dir, '--window', '30d']);
  expect(second).toMatchObject({ code: 0, out: '' });
});

test.each([
  ['--window 6h', ['--window', '6h'], 6],
  ['the default (24 h)', [], 24],
])('the catch-up window (%s) leaves out older failures, and they are never reported after', async (_, flags, hours) => {
  const dir = stateDir();
  const { code, lines } = await run(['--once', '--json', '--state', dir, ...flags]);
  expect(code).toBe(0);
  const names = new Set(parse(lines).map((e) => nameOf(e.templateId)));
  // Seeded outcomes lie minutes to days back; a minute of slack either side of the line keeps this exact.
  const line = Date.now() - hours * 3600_000;
  const { templates } = await gw.templates.list({ resourceGroup: sb.resourceGroup });
  const whenFailed = (t: (typeof templates)[number]): number | undefined =>
    t.lastRunStatus?.runState === 'Failed' ? t.lastRunStatus.endTime?.getTime() : t.provisioningState === 'Failed' ? t.systemData?.lastModifiedAt?.getTime() : undefined;
  const failedAt = templates.map((t) => [t.name!, whenFailed(t)] as const).filter((x): x is readonly [string, number] => x[1] !== undefined);
  const inside = failedAt.filter(([, at]) => at > line + 60_000).map(([n]) => n);
  const outside = failedAt.filter(([, at]) => at < line - 60_000).map(([n]) => n);
  expect(inside.length).toBeGreaterThan(3);
  expect(outside.length).toBeGreaterThan(0);
  for (const n of inside) expect([n, names.has(n)]).toEqual([n, true]);
  for (const n of outside) expect([n, names.has(n)]).toEqual([n, false]);
  // Widening the window later does not bring back what the cursor already passed over.
  expect((await run(['--once', '--json', '--state', dir, '--window', '30d'])).out).toBe('');
});

test('a build that fails after the first pass is printed by the next pass, once', async () => {
  const dir = stateDir();
  await run(['--once', '--json', '--state', dir, '--window', '30d']);
  const failing = sb.scenarios.find((s) => s.resourceGroup === sb.resourceGroup && s.state === 'Failed' && s.expectedId === 'customizer-failed')!;
  const before = (await gw.templates.get(sb.resourceGroup, failing.name)).lastRunStatus?.startTime?.toISOString();
  await gw.templates.run(sb.resourceGroup, failing.name);
  for (;;) {
    const t = await gw.templates.get(sb.resourceGroup, failing.name);
    if (t.lastRunStatus?.runState === 'Failed' && t.lastRunStatus.startTime?.toISOString() !== before) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const next = parse((await run(['--once', '--json', '--state', dir])).lines);
  expect(next).toEqual([expect.objectContaining({ outcome: 'Failed', diagnosisId: 'customizer-failed' })]);
  expect(nameOf(next[0].templateId)).toBe(failing.name);
  expect(next[0].runStart).not.toBe(before);
  expect((await run(['--once', '--json', '--state', dir])).out).toBe('');
});

test('two passes at once on one state folder print every event exactly once between them', async () => {
  const dir = stateDir();
  const [a, b] = await Promise.all([run(['--once', '--json', '--state', dir, '--window', '30d']), run(['--once', '--json', '--state', dir, '--window', '30d'])]);
  const all = [...a.lines, ...b.lines];
  expect(new Set(all).size).toBe(all.length);
  const expected = sb.scenarios.filter((s) => s.resourceGroup === sb.resourceGroup && FAILED_STATES.has(s.state));
  expect(all).toHaveLength(expected.length);
});

test('--all adds successes; without --json each event is one readable line', async () => {
  const { lines, code } = await run(['--once', '--all', '--state', stateDir(), '--window', '30d']);
  expect(code).toBe(0);
  expect(lines.some((l) => l.startsWith('Succeeded'))).toBe(true);
  expect(lines.some((l) => /^Failed\s+\S+\s+run \d{4}-.*→ [a-z-]+$/.test(l))).toBe(true);
});

describe('bad input: exit 2 and one line on stderr', () => {
  test.each([
    [['--json'], /add --once/],
    [['--once', '--window', 'soon'], /--window expects a duration/],
    [['--once', '--bogus'], /Unknown option '--bogus'/],
    [['--once', 'extra'], /Unexpected argument/],
    [['--once', '--state', ''], /--state needs a folder/],
  ])('%j', async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(message);
  });

  test('a --state that is a file', async () => {
    const file = join(stateDir(), 'not-a-folder');
    writeFileSync(file, 'x');
    const r = await run(['--once', '--state', file]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot use .* as the watch state folder/);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  });

  test('no Azure and no sandbox configured', async () => {
    const r = await run(['--once', '--state', stateDir()], {});
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/run `aib-chatops sandbox`/);
  });

  test('a resource group that does not exist', async () => {
    const r = await run(['--once', '--state', stateDir(), '--resource-group', 'no-such-group']);
    expect(r.code).toBe(2);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  });
});

test('`aib-chatops watch` is wired into the CLI', async () => {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d) => (err += d));
  expect(await main(['watch'], { stdin: new PassThrough(), stdout, stderr, env: sb.env })).toBe(2);
  expect(err).toMatch(/add --once/);
});
