import { LogScanner, scanLog, scanText, classify } from '../../src/diagnosis';
import { MAX_STEP_MARKERS } from '../../src/diagnosis/scan-events';

const RUN = '[5e819c65-767c-4722-96c5-15db701d34b1]';

// A small Linux build that fails in its second shell customizer.
const failingLog = [
  `${RUN} PACKER OUT ==> azure-arm: Waiting for SSH to become available...`,
  `${RUN} PACKER ERR 2024/02/23 16:20:51 packer: 2024/02/23 16:20:51 [INFO] Waiting for SSH, up to timeout: 20m0s`,
  `${RUN} PACKER OUT ==> azure-arm: Connected to SSH!`,
  `${RUN} PACKER ERR 2024/02/23 16:21:02 [INFO] (telemetry) Starting provisioner shell`,
  `${RUN} PACKER OUT     azure-arm: Reading package lists...`,
  `${RUN} PACKER ERR 2024/02/23 16:21:40 [INFO] (telemetry) ending shell`,
  `${RUN} PACKER ERR 2024/02/23 16:21:41 [INFO] (telemetry) Starting provisioner shell`,
  `${RUN} PACKER OUT     azure-arm: + curl -fsSL https://example.invalid/agent.sh`,
  `${RUN} PACKER OUT     azure-arm: curl: (6) Could not resolve host: example.invalid`,
  `${RUN} PACKER ERR 2024/02/23 16:21:42 packer: 2024/02/23 16:21:42 [INFO] command 'chmod +x /tmp/script_1234.sh; /tmp/script_1234.sh' exited with code: 6`,
  `${RUN} PACKER OUT ==> azure-arm: Script exited with non-zero exit status: 6. Allowed exit codes are: [0]`,
  `${RUN} PACKER OUT ==> azure-arm: Deleting individual resources ...`,
  `${RUN} PACKER OUT Build 'azure-arm' errored after 3 minutes 2 seconds: Script exited with non-zero exit status: 6. Allowed exit codes are: [0]`,
].join('\n') + '\n';

async function* chunked(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

describe('LogScanner', () => {
  test('finds the telemetry timeline, the connection and the failing step', () => {
    const r = scanText(failingLog, 'log');
    expect(r.lines).toBe(13);
    expect(r.steps).toEqual([
      expect.objectContaining({ type: 'shell', startLine: 4, endLine: 6 }),
      expect.objectContaining({ type: 'shell', startLine: 7 }),
    ]);
    expect(r.steps[1].endLine).toBeUndefined();
    expect(r.connection).toEqual({ kind: 'ssh', waitingLine: 1, connectedLine: 3 });
    expect(r.cleanupLine).toBe(12);
    expect(r.packerRunId).toBe('5e819c65-767c-4722-96c5-15db701d34b1');
    const hit = r.hits.find((h) => h.entryId === 'customizer-failed');
    expect(hit).toMatchObject({ count: 3, first: { line: 10 }, last: { line: 13 }, stepIndex: 1 });
    // Context is the customizer's last output, without the packer run-id prefix.
    expect(hit!.first.context.map((c) => c.line)).toEqual([8, 9]);
    expect(hit!.first.context[1].text).toBe('PACKER OUT     azure-arm: curl: (6) Could not resolve host: example.invalid');
    expect(r.steps[1].exitCodes[0].line).toBe(10);
  });

  test.each([1, 7, 64, 333])('gives the same result whatever the chunk size (%i bytes)', async (size) => {
    const whole = scanText(failingLog, 'log');
    const streamed = await scanLog(chunked(Buffer.from(failingLog), size));
    expect(streamed.hits).toEqual(whole.hits);
    expect(streamed.steps).toEqual(whole.steps);
    expect(streamed.lines).toBe(whole.lines);
  });

  test('handles CRLF line ends: same line numbers, no carriage returns in excerpts', () => {
    const r = scanText(failingLog.replace(/\n/g, '\r\n'), 'log');
    const hit = r.hits.find((h) => h.entryId === 'customizer-failed')!;
    expect(hit.first.line).toBe(10);
    expect(hit.first.text.endsWith('\r')).toBe(false);
    expect(r.steps[1].startLine).toBe(7);
  });

  test('survives invalid UTF-8 and NUL bytes', () => {
    const bad = Buffer.concat([
      Buffer.from(`${RUN} PACKER OUT garbage: `),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x00, 0xe2, 0x82]),
      Buffer.from('\n'),
      Buffer.from(failingLog),
    ]);
    const r = scanText(bad.toString('latin1'), 'log'); // exercise the string path too
    const s = new LogScanner('log');
    s.push(bad);
    const b = s.finish();
    expect(b.lines).toBe(14);
    expect(b.hits.find((h) => h.entryId === 'customizer-failed')!.first.line).toBe(11);
    expect(r.lines).toBe(14);
  });

  test('a 0-byte log has no lines and no findings', () => {
    const s = new LogScanner('log');
    s.push(Buffer.alloc(0));
    expect(s.finish()).toMatchObject({ bytes: 0, lines: 0, hits: [], steps: [], lastErrorLines: [] });
  });

  test('a log with no telemetry still yields hits and the last error lines', () => {
    const r = scanText('starting\nsomething odd\nERROR: disk full while writing /var/tmp\nbye\n', 'log');
    expect(r.steps).toEqual([]);
    expect(r.lastErrorLines).toEqual([{ line: 3, text: 'ERROR: disk full while writing /var/tmp' }]);
    const d = classify({ log: r });
    expect(d.diagnosis.id).toBe('unknown');
    expect(d.evidence).toEqual([{ source: 'log', line: 3, text: 'ERROR: disk full while writing /var/tmp' }]);
    expect(d.customizer).toBeNull();
  });

  test('a line without a final newline is still scanned', () => {
    const r = scanText('x\nPacker build command has failed: exit status 1', 'log');
    expect(r.lines).toBe(2);
    expect(r.hits[0]).toMatchObject({ entryId: 'customizer-failed', first: { line: 2 } });
  });

  test('a step’s type is read right after non-ASCII text, in any case, and with RE2’s folds', () => {
    // The type is read by V8 at RE2's byte offset (signature-set.ts): a multi-byte character before it must not shift it.
    const r = scanText(
      ['Überprüfung — ✓ (telemetry) Starting provisioner windows-restart', 'ß (TELEMETRY) ENDING windows-restart', '(telemetry) Starting provisioner File.v2', '(telemetry) Starting provisioner windowſ-reſtart'].join('\n'),
      'log',
    );
    expect(r.steps.map((s) => [s.type, s.startLine, s.endLine])).toEqual([
      ['windows-restart', 1, 2],
      ['File.v2', 3, undefined],
      ['windowſ-reſtart', 4, undefined],
    ]);
  });

  test('how the bytes are chunked does not decide which short steps count', () => {
    // 300 steps of about 400 bytes: one 1 MiB read and 16 KiB records must give the same timeline.
    const steps = Array.from({ length: 300 }, (_, i) => [
      `${RUN} PACKER ERR [INFO] (telemetry) Starting provisioner windows-update`,
      `${RUN} PACKER OUT     azure-arm: update ${i} ${'.'.repeat(200)}`,
      `${RUN} PACKER ERR [INFO] (telemetry) ending windows-update`,
    ]).flat();
    const bytes = Buffer.from(`${steps.join('\n')}\n`);
    const scan = (size: number) => {
      const s = new LogScanner('log');
      for (let i = 0; i < bytes.length; i += size) s.push(bytes.subarray(i, i + size));
      return s.finish();
    };
    const whole = scan(1024 * 1024);
    expect(whole.steps).toHaveLength(300);
    expect(whole.steps.every((step) => step.endLine === step.startLine! + 2)).toBe(true);
    expect(scan(16 * 1024)).toEqual(whole);
  });

  test('a 2 MB line neither breaks line numbers nor hides a later failure', () => {
    const huge = 'A'.repeat(2 * 1024 * 1024);
    const text = `first\n${huge}\n${failingLog}`;
    const r = scanText(text, 'log');
    expect(r.hits.find((h) => h.entryId === 'customizer-failed')!.first.line).toBe(12);
  });

  test('SAS tokens never reach an excerpt', () => {
    const line =
      'Downloading external file (https://stg.blob.core.windows.net/files/setup.msi?sv=2023-01-03&se=2026-01-01&sr=b&sp=r&sig=AbC%2Bsecret%3D) to local file (0.customizer.fp) [attempt 1 of 10] failed: Error downloading';
    const r = scanText(`${line}\n`, 'log');
    const text = r.hits[0].first.text;
    expect(text).not.toContain('AbC');
    expect(text).not.toContain('sig=');
    expect(text).toContain('[SAS redacted]');
  });

  test('a long log keeps only bounded state (repeated matches are counted, not stored)', () => {
    const line = `${RUN} PACKER OUT ==> azure-arm: Error deleting resource. Will retry.\n`;
    const s = new LogScanner('log');
    for (let i = 0; i < 2000; i++) s.push(Buffer.from(line.repeat(50)));
    const r = s.finish();
    const hit = r.hits.find((h) => h.entryId === 'resource-deletion-retry')!;
    expect(hit.first.line).toBe(1);
    expect(hit.last.line).toBeGreaterThan(90_000);
    expect(r.lines).toBe(100_000);
  });

  test('a log of nothing but step markers keeps a bounded timeline and says it was cut', () => {
    const step = (i: number) =>
      `${RUN} PACKER ERR 2024/02/23 16:21:02 [INFO] (telemetry) Starting provisioner shell\n` +
      `${RUN} PACKER OUT     azure-arm: step ${i}\n` +
      `${RUN} PACKER ERR 2024/02/23 16:21:40 [INFO] (telemetry) ending shell\n`;
    const steps = Array.from({ length: 3000 }, (_, i) => step(i)).join('');
    const failure = [
      `${RUN} PACKER ERR 2024/02/23 16:21:42 [INFO] command 'x.sh' exited with code: 6`,
      `${RUN} PACKER OUT ==> azure-arm: Script exited with non-zero exit status: 6. Allowed exit codes are: [0]`,
    ].join('\n');
    const r = scanText(`${steps}${failure}\n`, 'log');
    expect(r.steps).toHaveLength(MAX_STEP_MARKERS / 2);
    expect(r.stepMarkersCut).toBe(6000 - MAX_STEP_MARKERS);
    // The failure comes after steps that were not recorded: it is not pinned on the last one that was.
    const hit = r.hits.find((h) => h.entryId === 'customizer-failed')!;
    expect(hit.stepIndex).toBeUndefined();
    expect(r.steps.every((s) => s.exitCodes.length === 0)).toBe(true);
    const d = classify({ log: r });
    expect(d.diagnosis.id).toBe('customizer-failed');
    expect(d.customizer).toBeNull();
    // An ordinary log says nothing of a cut.
    expect(scanText(failingLog, 'log').stepMarkersCut).toBeUndefined();
  });

  test('push after finish is a programming error', () => {
    const s = new LogScanner('log');
    s.finish();
    expect(() => s.push(Buffer.from('x'))).toThrow(/after finish/);
  });
});
