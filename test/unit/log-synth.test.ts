import { createHash } from 'node:crypto';
import { synthesizeLog, type SynthOptions } from '../../src/sandbox/log';

async function collect(opts: SynthOptions): Promise<{ text: string; chunks: number[] }> {
  const parts: Buffer[] = [];
  const chunks: number[] = [];
  for await (const b of synthesizeLog(opts)) {
    parts.push(b);
    chunks.push(b.length);
  }
  return { text: Buffer.concat(parts).toString('utf8'), chunks };
}

async function digest(opts: SynthOptions): Promise<{ sha: string; bytes: number }> {
  const h = createHash('sha256');
  let bytes = 0;
  for await (const b of synthesizeLog(opts)) {
    h.update(b);
    bytes += b.length;
  }
  return { sha: h.digest('hex'), bytes };
}

const MiB = 1024 * 1024;
const RUN_ID = '6b1f0c2e-3d4a-4e5f-9a8b-7c6d5e4f3a21';

const failureA = ['==> azure-arm: MARKER-A first planted failure line'];
const failureB = ['==> azure-arm: MARKER-B second planted failure line', '    azure-arm: MARKER-B continued'];
const failureC = [
  `[${RUN_ID}] PACKER ERR 2025/05/01 10:00:00 [INFO] (telemetry) Starting provisioner windows-restart`,
  '==> azure-arm: MARKER-C A system shutdown has already been scheduled.(1190)',
];

describe('synthesizeLog', () => {
  it.each([
    ['linux', 2 * MiB],
    ['windows', 2 * MiB],
    ['linux', 7.5 * MiB],
  ] as const)('a successful %s log of %d bytes lands within 2 %% of the target', async (os, target) => {
    const { bytes } = await digest({ os, targetBytes: target, seed: 42 });
    expect(Math.abs(bytes - target) / target).toBeLessThan(0.02);
  });

  it('a log with failures lands within 2 % of the target too', async () => {
    const target = 3 * MiB;
    const { bytes } = await digest({ os: 'windows', targetBytes: target, seed: 9, failures: [{ atFraction: 0.6, lines: failureB }] });
    expect(Math.abs(bytes - target) / target).toBeLessThan(0.02);
  });

  it('is deterministic for a seed and differs between seeds', async () => {
    const opts: SynthOptions = { os: 'linux', targetBytes: 1.5 * MiB, seed: 1234, failures: [{ atFraction: 0.5, lines: failureA }] };
    const first = await digest(opts);
    const second = await digest(opts);
    const other = await digest({ ...opts, seed: 1235 });
    expect(second.sha).toBe(first.sha);
    expect(other.sha).not.toBe(first.sha);
  });

  it('yields chunks of about 1 MiB', async () => {
    const { chunks } = await collect({ os: 'linux', targetBytes: 4 * MiB, seed: 5 });
    const allButLast = chunks.slice(0, -1);
    expect(allButLast.length).toBeGreaterThanOrEqual(3);
    for (const n of allButLast) {
      expect(n).toBeGreaterThanOrEqual(MiB);
      expect(n).toBeLessThan(MiB + 256 * 1024);
    }
  });

  it('writes every packer line with the given run id prefix', async () => {
    const { text } = await collect({ os: 'windows', targetBytes: 300_000, seed: 3, packerRunId: RUN_ID });
    const lines = text.split('\n').filter((l) => l.length > 0);
    const prefixed = lines.filter((l) => l.startsWith('['));
    expect(prefixed.length).toBeGreaterThan(lines.length * 0.95);
    expect(prefixed.every((l) => l.startsWith(`[${RUN_ID}] PACKER OUT `) || l.startsWith(`[${RUN_ID}] PACKER ERR `))).toBe(true);
    expect(lines[lines.length - 1]).toBe(`Done exporting Packer logs to Azure for Packer prefix: [${RUN_ID}] PACKER OUT`);
  });

  it('a successful build closes every customizer it opens and runs the hidden deprovision step', async () => {
    for (const os of ['linux', 'windows'] as const) {
      const { text } = await collect({ os, targetBytes: 800_000, seed: 77 });
      const starts = text.match(/\(telemetry\) Starting provisioner \S+/g) ?? [];
      const ends = text.match(/\(telemetry\) ending (?!azure-arm)\S+/g) ?? [];
      expect(starts.length).toBeGreaterThan(5);
      expect(ends.length).toBe(starts.length);
      expect(text).toContain(os === 'linux' ? 'waagent -force -deprovision+user' : 'IMAGE_STATE_GENERALIZE_RESEAL_TO_OOBE');
      expect(text).toContain('(telemetry) Finalizing.');
      expect(text).not.toContain('Builds finished but no artifacts were created.');
      expect(text).not.toContain('Error deleting resource. Will retry.');
    }
  });

  it('adds the benign warnings only when asked', async () => {
    const { text } = await collect({ os: 'linux', targetBytes: 400_000, seed: 8, benign: ['no-artifacts-warning', 'image-creation-skipped', 'resource-deletion-retry'] });
    expect(text).toContain('==> azure-arm: Skipping image creation...');
    expect(text).toContain('==> Builds finished but no artifacts were created.');
    expect(text).toContain('Error deleting resource. Will retry.');
    expect(text).not.toContain('Capturing image ...');
  });

  it('inserts failure lines in order, near their fraction, and leaves the last customizer unfinished', async () => {
    const target = 3 * MiB;
    const { text } = await collect({
      os: 'windows',
      targetBytes: target,
      seed: 21,
      packerRunId: RUN_ID,
      failures: [
        // Deliberately unsorted: order in the log follows atFraction.
        { atFraction: 0.85, lines: failureC },
        { atFraction: 0.2, lines: failureA, customizer: 'shell' },
        { atFraction: 0.5, lines: failureB },
      ],
    });
    const at = (needle: string): number => Buffer.byteLength(text.slice(0, text.indexOf(needle)));
    const a = at('MARKER-A');
    const b = at('MARKER-B second');
    const c = at('MARKER-C');
    expect(a).toBeGreaterThan(0);
    expect(a).toBeLessThan(b);
    expect(b).toBeLessThan(c);
    expect(text.indexOf('MARKER-B continued')).toBeGreaterThan(text.indexOf('MARKER-B second'));
    const total = Buffer.byteLength(text);
    expect(Math.abs(a / total - 0.2)).toBeLessThan(0.05);
    expect(Math.abs(b / total - 0.5)).toBeLessThan(0.05);
    expect(Math.abs(c / total - 0.85)).toBeLessThan(0.05);

    const lines = text.split('\n');
    const idx = (needle: string): number => lines.findIndex((l) => l.includes(needle));
    // Earlier failures sit in customizers that open and end around them.
    expect(lines[idx('MARKER-A') - 1]).toContain('(telemetry) Starting provisioner shell');
    expect(lines[idx('MARKER-A') + 1]).toContain('(telemetry) ending shell');
    expect(lines[idx('MARKER-B second') - 1]).toContain('(telemetry) Starting provisioner powershell');
    expect(lines[idx('MARKER-B continued') + 1]).toContain('(telemetry) ending powershell');
    // The last failure brought its own Starting line, so none is added, and nothing after it ends anything.
    expect(lines[idx('MARKER-C') - 1]).toContain('(telemetry) Starting provisioner windows-restart');
    expect(lines[idx('MARKER-C') - 2]).not.toContain('(telemetry) Starting provisioner');
    const after = lines.slice(idx('MARKER-C'));
    expect(after.some((l) => l.includes('(telemetry)'))).toBe(false);
    expect(after.length).toBeGreaterThan(100);
  });

  it('keeps memory flat while producing 50 MB', async () => {
    const before = process.memoryUsage().rss;
    let peak = before;
    let bytes = 0;
    for await (const b of synthesizeLog({ os: 'linux', targetBytes: 50 * MiB, seed: 99, failures: [{ atFraction: 0.7, lines: failureA }] })) {
      bytes += b.length;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(bytes).toBeGreaterThan(49 * MiB);
    expect(peak - before).toBeLessThan(100 * MiB);
  });
});
