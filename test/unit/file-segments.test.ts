import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogScanner, scanLog, scanText, type ScanResult } from '../../src/diagnosis';
import { MAX_STEP_MARKERS } from '../../src/diagnosis/scan-events';
import { synthesizeLog } from '../../src/sandbox/log';
import { chunksOf, lineAlignedCuts, scanFile, scanFileSegment, type FileSegmentScanner } from '../../src/usecases/file-segments';
import { ScanWorkers, ScanWorkerError } from '../../src/usecases/scan-workers';

// A large log file is scanned in line-aligned segments side by side (issue 15). The whole point is that nothing
// changes but the time: every test compares the segmented result with the one pass over the same bytes.

const RUN = '[5e819c65-767c-4722-96c5-15db701d34b1]';
// Steps open across cuts, a hit before any step, hits repeated in both halves, exit codes, context lines, and
// markers that keep their first or their last line.
const LOG = [
  `${RUN} PACKER OUT ==> azure-arm: Waiting for SSH to become available...`,
  `${RUN} PACKER OUT ==> azure-arm: Connected to SSH!`,
  `${RUN} PACKER OUT ==> azure-arm: Timeout waiting for SSH.`,
  `${RUN} PACKER ERR 2024/02/23 16:21:02 [INFO] (telemetry) Starting provisioner shell`,
  `${RUN} PACKER OUT     azure-arm: Reading package lists...`,
  `${RUN} PACKER OUT ==> azure-arm: Downloading external file https://st.blob.core.windows.net/a/agent.tar.gz failed`,
  `${RUN} PACKER ERR 2024/02/23 16:21:40 [INFO] (telemetry) ending shell`,
  `${RUN} PACKER OUT ==> azure-arm: Machine successfully restarted`,
  `${RUN} PACKER ERR 2024/02/23 16:21:41 [INFO] (telemetry) Starting provisioner powershell`,
  `${RUN} PACKER OUT     azure-arm: just a line`,
  `${RUN} PACKER OUT ==> azure-arm: Downloading external file https://st.blob.core.windows.net/a/edr.tar.gz failed`,
  `${RUN} PACKER OUT ==> azure-arm: Timeout waiting for SSH.`,
  `${RUN} PACKER ERR 2024/02/23 16:21:42 [INFO] command 'x.ps1' exited with code: 6`,
  `${RUN} PACKER OUT ==> azure-arm: Machine successfully restarted`,
  `${RUN} PACKER OUT ==> azure-arm: Script exited with non-zero exit status: 6. Allowed exit codes are: [0]`,
  `${RUN} PACKER ERR 2024/02/23 16:21:43 [INFO] (telemetry) ending powershell`,
  `${RUN} PACKER OUT ==> azure-arm: Deleting individual resources ...`,
  `${RUN} PACKER OUT Build 'azure-arm' errored after 3 minutes 2 seconds: Script exited with non-zero exit status: 6.`,
  `${RUN} PACKER OUT ==> Some builds didn't complete successfully and had errors:`,
].join('\n');

/** The bytes up to `cut` pushed, the rest scanned as a segment of its own and absorbed. */
function scanInTwo(text: Buffer, cut: number, source: 'log' | 'text' = 'log'): ScanResult {
  const head = new LogScanner(source);
  // In 1 MiB pieces like a file read: a block holds at most 64 matches of one pattern.
  for (const c of pieces(text.subarray(0, cut))) head.push(c);
  const tail = new LogScanner(source, { before: text.subarray(Math.max(0, cut - 4096), cut), beforeIsFileStart: cut <= 4096 });
  for (const c of pieces(text.subarray(cut))) tail.push(c);
  head.absorb(tail.finishSegment());
  return head.finish();
}

function pieces(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += 1024 * 1024) out.push(buf.subarray(i, i + 1024 * 1024));
  return out;
}

function lineStarts(buf: Buffer): number[] {
  const starts: number[] = [];
  for (let i = buf.indexOf(0x0a); i >= 0 && i + 1 < buf.length; i = buf.indexOf(0x0a, i + 1)) starts.push(i + 1);
  return starts;
}

async function synthesized(bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const failures = [
    { atFraction: 0.3, customizer: 'shell', lines: ['    azure-arm: E: Unable to locate package contoso-agent'] },
    { atFraction: 0.8, lines: ['==> azure-arm: Script exited with non-zero exit status: 1. Allowed exit codes are: [0]'] },
  ];
  for await (const c of synthesizeLog({ os: 'linux', targetBytes: bytes, seed: 5, failures })) chunks.push(c);
  return Buffer.concat(chunks);
}

describe('a log scanned in segments', () => {
  test('gives the one-pass result whatever line it is cut at', () => {
    for (const ending of ['\n', '']) {
      const text = Buffer.from(LOG + ending);
      const whole = scanText(text.toString(), 'log');
      expect(whole.hits.length).toBeGreaterThanOrEqual(3);
      expect(whole.steps).toHaveLength(2);
      for (const cut of lineStarts(text)) expect({ cut, ...scanInTwo(text, cut) }).toEqual({ cut, ...whole });
    }
  });

  test('pasted text too (its own pattern set)', () => {
    const text = Buffer.from(`${LOG}\n`);
    const whole = scanText(text.toString(), 'text');
    for (const cut of lineStarts(text)) expect(scanInTwo(text, cut, 'text')).toEqual(whole);
  });

  test('context lines of a hit on a segment’s first line come from the bytes before it', () => {
    const text = Buffer.from(`${LOG}\n`);
    const at = text.indexOf('Downloading external file');
    const cut = text.lastIndexOf(0x0a, at) + 1;
    const hit = scanInTwo(text, cut).hits.find((h) => h.entryId === 'file-download-failed');
    expect(hit?.first.context.map((c) => c.line)).toEqual([4, 5]);
  });

  test('a segment hands over bounded events: each hit’s first in place, the others counted, step markers capped', async () => {
    // Markers 300 bytes apart, the repeated line under 64 times a block: how the bytes are cut into blocks then
    // decides nothing, so any cut must give the one pass's result exactly.
    const filler = `${RUN} PACKER OUT     azure-arm: ${'.'.repeat(240)}\n`;
    const step = (i: number) =>
      `${RUN} PACKER ERR 2024/02/23 16:21:02 [INFO] (telemetry) Starting provisioner shell\n${filler}` +
      `${RUN} PACKER ERR 2024/02/23 16:21:40 [INFO] (telemetry) ending shell\n${filler}` +
      (i % 40 === 0 ? `${RUN} PACKER OUT ==> azure-arm: Timeout waiting for SSH.\n` : '');
    const steps = Array.from({ length: MAX_STEP_MARKERS }, (_, i) => step(i)).join('');
    const late = `${RUN} PACKER OUT ==> azure-arm: ERROR: Failed to download https://st/a/b.sh: 403 (AuthorizationPermissionMismatch)\n`;
    const text = Buffer.from(`${LOG}\n${steps}${late}${LOG}\n`);
    const segment = new LogScanner('log', { before: Buffer.alloc(0), beforeIsFileStart: true });
    for (const c of pieces(text)) segment.push(c);
    const { events, repeats, stepMarkersCut } = segment.finishSegment().events;
    expect(events.filter((e) => e.kind === 'signature' && e.entryId === 'connection-lost')).toHaveLength(1);
    expect(repeats.find((r) => r.entryId === 'connection-lost')?.count).toBe(MAX_STEP_MARKERS / 40 + 3);
    expect(events.filter((e) => e.kind === 'marker' && e.marker.startsWith('telemetry'))).toHaveLength(MAX_STEP_MARKERS);
    // Two steps in each copy of LOG, two markers a step.
    expect(stepMarkersCut).toBe(MAX_STEP_MARKERS + 8);
    expect(events.filter((e) => e.kind === 'steps-cut')).toHaveLength(1);

    const whole = await scanLog(chunkedBy(text, 1024 * 1024));
    expect(whole.stepMarkersCut).toBe(stepMarkersCut);
    expect(whole.steps).toHaveLength(MAX_STEP_MARKERS / 2);
    // A first hit past the cut belongs to no recorded step, whichever side of a segment cut it falls.
    const lateHit = whole.hits.find((h) => h.entryId === 'storage-access-refused');
    expect(lateHit).toBeDefined();
    expect(lateHit?.stepIndex).toBeUndefined();
    for (const fraction of [0.001, 0.3, 0.6, 0.7, 0.9, 0.999]) {
      const cut = text.indexOf(0x0a, Math.floor(text.length * fraction)) + 1;
      expect({ fraction, ...scanInTwo(text, cut) }).toEqual({ fraction, ...whole });
    }
  });

  test('a file cut at many places over a synthesized build log', async () => {
    const text = await synthesized(3 * 1024 * 1024);
    const whole = await scanLog(chunkedBy(text, 1024 * 1024));
    expect(whole.hits.length).toBeGreaterThan(0);
    for (let k = 1; k < 12; k++) {
      const planned = Math.floor((text.length * k) / 12);
      const cut = text.indexOf(0x0a, planned) + 1;
      expect(scanInTwo(text, cut)).toEqual(whole);
    }
  });
});

describe('scanFile', () => {
  let dir: string;
  let workers: ScanWorkers;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'file-segments-'));
    workers = new ScanWorkers({ size: 2 });
  });
  afterAll(async () => {
    await workers.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function file(name: string, bytes: Buffer): Promise<string> {
    const p = path.join(dir, name);
    await writeFile(p, bytes);
    return p;
  }

  test('worker threads scan the later segments; the result is the single pass’s', async () => {
    const p = await file('build.log', await synthesized(4 * 1024 * 1024));
    const single = await scanLog(createReadStream(p, { highWaterMark: 1024 * 1024 }));
    const parallel = await scanFile(p, { segments: workers, parallelFrom: 0, headStart: 0 });
    expect(workers.threaded).toBe(true);
    expect(parallel).toEqual(single);
  });

  test('a last line without a newline, and one line longer than a segment', async () => {
    const inThread: FileSegmentScanner = { size: 3, threaded: true, scanSegment: scanFileSegment };
    const long = `${RUN} PACKER OUT ${'x'.repeat(300_000)} ==> azure-arm: Timeout waiting for SSH.\n`;
    const p = await file('odd.log', Buffer.from(`${LOG}\n${long}${LOG}`));
    const single = await scanLog(createReadStream(p));
    // The long line holds all three planned cuts: the file is cut once, just after it.
    const cuts = await lineAlignedCuts(p, single.bytes, 4);
    expect(cuts).toEqual([0, LOG.length + 1 + long.length]);
    expect(await scanFile(p, { segments: inThread, parallelFrom: 0, headStart: 0 })).toEqual(single);
  });

  test('a small file is read on this thread alone', async () => {
    const p = await file('small.log', Buffer.from(LOG));
    const asked: number[] = [];
    const counting: FileSegmentScanner = { size: 1, threaded: true, scanSegment: (...a) => (asked.push(a[1]), scanFileSegment(...a)) };
    expect(await scanFile(p, { segments: counting })).toEqual(scanText(LOG, 'log'));
    expect(asked).toEqual([]);
  });

  test('a segment that cannot be read fails the scan with a typed error, and the workers go on', async () => {
    const missing = path.join(dir, 'gone.log');
    await expect(workers.scanSegment(missing, 0, 10)).rejects.toBeInstanceOf(ScanWorkerError);
    await expect(workers.scanSegment(missing, 0, 10)).rejects.toMatchObject({ code: 'scan-worker-failed' });
    const p = await file('after.log', Buffer.from(`${LOG}\n`));
    const seg = await workers.scanSegment(p, 0, (await scanLog(createReadStream(p))).bytes);
    expect(seg.newlines).toBe(LOG.split('\n').length);
  });

  test('chunks are read into two buffers in turn (what the scanner keeps, it copies)', async () => {
    const p = await file('reuse.log', Buffer.alloc(3 * 1024 * 1024 + 5, 0x61));
    const seen: ArrayBufferLike[] = [];
    let bytes = 0;
    for await (const c of chunksOf(p, 0, 3 * 1024 * 1024 + 5)) {
      seen.push(c.buffer);
      bytes += c.length;
    }
    expect(bytes).toBe(3 * 1024 * 1024 + 5);
    expect(new Set(seen).size).toBe(2);
  });
});

async function* chunkedBy(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}
