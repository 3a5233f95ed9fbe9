import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli';

// The `diagnose` contract, driven in-process with real files and streams.

function capture(isTTY = false) {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += d.toString()));
  return Object.assign(out, { isTTY, captured: () => text });
}

async function run(argv: string[], stdinText = '', env: NodeJS.ProcessEnv = {}, tty = false) {
  const stdout = capture(tty);
  const stderr = capture();
  const code = await main(argv, { stdin: Readable.from([Buffer.from(stdinText)]), stdout, stderr, env });
  return { code, stdout: stdout.captured(), stderr: stderr.captured() };
}

const dir = mkdtempSync(join(tmpdir(), 'aib-cli-'));
const logFile = join(dir, 'customization.log');
writeFileSync(
  logFile,
  [
    '[0b8c6f1e-2d3a-4e5f-9a7b-1c2d3e4f5a6b] PACKER ERR 2026/11/20 10:01:00 [INFO] (telemetry) Starting provisioner powershell',
    "[0b8c6f1e-2d3a-4e5f-9a7b-1c2d3e4f5a6b] PACKER OUT ==> azure-arm: Get-Service : Cannot find any service with service name 'WindowsAzureGuestAgent'.",
    '[0b8c6f1e-2d3a-4e5f-9a7b-1c2d3e4f5a6b] PACKER ERR 2026/11/20 10:06:17 Cancelling builder after context cancellation context canceled',
  ].join('\n') + '\n',
);
const templateFile = join(dir, 'template.json');
writeFileSync(
  templateFile,
  JSON.stringify({
    name: 'win2022-base',
    properties: {
      provisioningState: 'Failed',
      provisioningError: { provisioningErrorCode: 'Other', message: "'Conflict'. Details: Update/Upgrade of image templates is currently not supported" },
    },
  }),
);

describe('aib-chatops diagnose', () => {
  test('--json prints exactly one object in the contract’s shape', async () => {
    const r = await run(['diagnose', '--log', logFile, '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['diagnosis', 'others', 'evidence', 'customizer', 'ids', 'actions']));
    expect(out.diagnosis).toEqual({ id: 'sysprep-timing', phase: 'customization', title: expect.any(String), confidence: 'high' });
    expect(out.others).toEqual([expect.objectContaining({ id: 'connection-lost' })]);
    expect(out.customizer).toMatchObject({ type: 'powershell', startLine: 1 });
    expect(out.ids.packerRunId).toBe('0b8c6f1e-2d3a-4e5f-9a7b-1c2d3e4f5a6b');
    expect(out.actions).toContain('recreate-larger-vm');
  });

  test('human output is localized with --locale and has no colour when not on a terminal', async () => {
    const r = await run(['diagnose', '--template', templateFile, '--locale', 'ja-JP']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/[\u3040-\u30ff]/); // kana: Japanese, not English
    expect(r.stdout).toContain('[template-exists]');
    expect(r.stdout).not.toContain('\x1b[');
  });

  test('colours only on a TTY, and NO_COLOR turns them off', async () => {
    expect((await run(['diagnose', '--template', templateFile], '', {}, true)).stdout).toContain('\x1b[');
    expect((await run(['diagnose', '--template', templateFile], '', { NO_COLOR: '1' }, true)).stdout).not.toContain('\x1b[');
  });

  test('- reads a pasted error from standard input', async () => {
    const pasted = '2020-05-05T19:33:14.3923479Z ##[error]The operation was canceled.\n';
    const r = await run(['diagnose', '--text', '-', '--json'], pasted);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).diagnosis.id).toBe('devops-task-canceled');
  });

  test('a log read from standard input is scanned as a stream', async () => {
    const r = await run(['diagnose', '--log', '-', '--json'], 'Packer build command has failed: exit status 1\n');
    expect(JSON.parse(r.stdout).diagnosis.id).toBe('customizer-failed');
  });

  test('a log of more steps than a build writes says its timeline was cut, in --json and in text', async () => {
    const run_ = '[0b8c6f1e-2d3a-4e5f-9a7b-1c2d3e4f5a6b] PACKER ERR 2026/11/20 10:01:00 [INFO] (telemetry)';
    const steps = `${run_} Starting provisioner shell\n${run_} ending shell\n`.repeat(1500);
    const hostile = join(dir, 'steps.log');
    writeFileSync(hostile, `${steps}Script exited with non-zero exit status: 2. Allowed exit codes are: [0]\n`);
    const json = JSON.parse((await run(['diagnose', '--log', hostile, '--json'])).stdout);
    // Markers this close together are also capped per block (once per 256 bytes), so only the kept count is exact.
    expect(json.scan.stepsCut).toEqual({ steps: 1000, markersCut: expect.any(Number) });
    expect(json.scan.stepsCut.markersCut).toBeGreaterThan(0);
    expect(json.customizer).toBeNull();
    const text = (await run(['diagnose', '--log', hostile])).stdout;
    expect(text).toContain(`(1000 kept, ${json.scan.stepsCut.markersCut} step lines past them only counted)`);
    // An ordinary log's summary has no such field.
    expect(JSON.parse((await run(['diagnose', '--log', logFile, '--json'])).stdout).scan.stepsCut).toBeUndefined();
  });

  test('nothing recognisable is still a diagnosis: unknown, exit 0', async () => {
    const r = await run(['diagnose', '--text', '-', '--json'], 'the build broke somehow\nERROR: something new\n');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).diagnosis.id).toBe('unknown');
  });

  test.each([
    [['diagnose'], /nothing to diagnose/],
    [['diagnose', '--log', join(dir, 'missing.log')], /cannot read --log .*missing\.log: no such file/],
    [['diagnose', '--log', dir], /not a file/],
    [['diagnose', '--template', logFile], /--template .*not valid JSON/],
    [['diagnose', '--template', '-', '--text', '-'], /only one input can be read from standard input/],
    [['diagnose', '--log', logFile, '--locale', 'xx-YY'], /unsupported --locale xx-YY/],
    [['diagnose', '--bogus'], /Unknown option '--bogus'/],
    [['diagnose', '--name', 'x'], /--resource-group and --name go together/],
    [['diagnose', '--resource-group', 'rg', '--name', 'x', '--log', logFile], /either --resource-group\/--name or files/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('bad input %j exits 2 with one line on stderr', async (argv, message) => {
    const r = await run(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('diagnose --json, wave 2 fields', () => {
  test('unknown carries up to three ranked candidates with localized titles', async () => {
    const r = await run(
      ['diagnose', '--text', '-', '--json', '--locale', 'fr-FR'],
      'The gallery image version replication to eastus2 stopped; the region is unavailable for replication right now.\n',
    );
    const out = JSON.parse(r.stdout);
    expect(out.diagnosis).toMatchObject({ id: 'unknown', confidence: 'low' });
    expect(out.candidates.length).toBeGreaterThan(0);
    expect(out.candidates.length).toBeLessThanOrEqual(3);
    for (const c of out.candidates) expect(c).toEqual({ id: expect.any(String), title: expect.any(String), score: expect.any(Number), terms: expect.any(Array) });
  });

  test('a successful log is no-failure, with its warnings listed', async () => {
    const okLog = join(dir, 'ok.log');
    writeFileSync(
      okLog,
      [
        '[0b8c6f1e-2d3a-4e5f-9a7b-1c2d3e4f5a6b] PACKER 2026/02/14 09:12:01 ui error: ==> azure-arm: A system shutdown has already been scheduled.(1190)',
        '[0b8c6f1e-2d3a-4e5f-9a7b-1c2d3e4f5a6b] PACKER 2026/02/14 09:13:01 ui: ==> azure-arm: Machine successfully restarted, moving on',
        '[0b8c6f1e-2d3a-4e5f-9a7b-1c2d3e4f5a6b] PACKER 2026/02/14 09:40:01 ui: ==> Builds finished. The artifacts of successful builds are:',
        '',
      ].join('\n'),
    );
    const out = JSON.parse((await run(['diagnose', '--log', okLog, '--json'])).stdout);
    expect(out.diagnosis).toMatchObject({ id: 'no-failure', phase: 'success' });
    expect(out.warnings.map((w: { id: string }) => w.id)).toEqual(['windows-restart-1190']);
  });

  test('a failing step gives its exit code and what it means', async () => {
    const r = await run(
      ['diagnose', '--text', '-', '--json'],
      "Build 'azure-arm' errored after 3 minutes: Script exited with non-zero exit status: -2147024891. Allowed exit codes are: [0]\n",
    );
    const out = JSON.parse(r.stdout);
    expect(out.diagnosis.id).toBe('customizer-failed');
    expect(out.exitCode).toMatchObject({ value: -2147024891, hex: '0x80070005', meaning: 'accessDenied' });
    expect(out.exitCode.text).toMatch(/access denied/);
  });

  test('--json names the failing validator and carries the template facts of API 2022-2025 (issue 13)', async () => {
    const samples = join(__dirname, '..', 'fixtures', 'samples');
    const r = await run(['diagnose', '--template', join(samples, 'validation-failed--arm-template.json'), '--log', join(samples, 'validation-failed--validation.log'), '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.diagnosis).toMatchObject({ id: 'validation-failed', phase: 'validation' });
    expect(out.customizer).toEqual({ type: 'Shell', index: 1, name: 'check-cis-score', finished: true, validator: true });
    expect(out.template.validation).toEqual(expect.objectContaining({ continueDistributeOnFailure: false, sourceValidationOnly: false }));
    expect(out.template.vmProfile).toEqual({ vmSize: 'Standard_D2ds_v5', osDiskSizeGB: 30 });
    expect(out.template.targets[0].regions).toEqual([{ name: 'westeurope', replicaCount: 1 }]);
    expect(out.template.run).toMatchObject({ state: 'Failed', subState: 'Validating', reachedValidation: true });
    const text = (await run(['diagnose', '--template', join(samples, 'validation-failed--arm-template.json'), '--log', join(samples, 'validation-failed--validation.log')])).stdout;
    expect(text).toContain('Shell validator “check-cis-score”, validator 2 of validate.inVMValidations');
    expect(text).toMatch(/validation\.log:19 +PACKER .*FAILED 5\.2\.4/);
  });

  test('--json of a log alone has no template facts', async () => {
    expect(JSON.parse((await run(['diagnose', '--log', logFile, '--json'])).stdout).template).toBeUndefined();
  });
});
