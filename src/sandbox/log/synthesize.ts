import { byteLength, fitBlock } from './blocks';
import { longJobLines, nextBlock } from './customizers';
import { failureLines } from './failure';
import { linuxDeprovision, linuxHeader } from './linux';
import { buildNames, LineMaker } from './packer-lines';
import { int, mulberry32 } from './random';
import { successFooter } from './summary';
import type { BenignNoise, SynthFailure, SynthOptions } from './types';
import { windowsDeprovision, windowsHeader } from './windows';

// Synthesizes customization.log files shaped like the ones AIB writes to `packerlogs/<guid>/customization.log`:
// every packer line carries the `[<packer-run-guid>] PACKER OUT|ERR` prefix, customizers are bracketed by
// `(telemetry) Starting provisioner X` / `(telemetry) ending X`, and the usual harmless noise is there (scp
// "[ERROR] scp stderr" lines, debconf complaints, SSH retries, apt "WARNING"s) so a scanner that is fooled by
// the word "error" shows up in benchmarks. No I/O here: callers decide where the bytes go.

export const CHUNK_BYTES = 1024 * 1024;

/** Collects lines and hands them out as ~1 MiB Buffers. */
export class ChunkBuffer {
  private parts: string[] = [];
  private pending = 0;
  emitted = 0;

  push(lines: readonly string[]): void {
    for (const l of lines) {
      const s = `${l}\n`;
      this.parts.push(s);
      const n = Buffer.byteLength(s);
      this.pending += n;
      this.emitted += n;
    }
  }

  get full(): boolean {
    return this.pending >= CHUNK_BYTES;
  }

  take(): Buffer {
    const b = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.pending = 0;
    return b;
  }
}

/**
 * Streams a synthetic customization.log of about `targetBytes` (±2 % above 1 MB). Without failures it is
 * a complete successful build. Each failure's lines are inserted, in order of `atFraction`, between
 * customizers at that fraction of the size; the last failure's customizer is opened and never ended,
 * and whatever follows it is that customizer's own output.
 */
export async function* synthesizeLog(opts: SynthOptions): AsyncGenerator<Buffer> {
  const seed = opts.seed ?? 1;
  const rng = mulberry32(seed);
  const names = buildNames(rng, opts.os, opts.packerRunId);
  const startMs = Date.UTC(2025, 2, 3, 8, 0, 0) + int(rng, 0, 60 * 24 * 3600) * 1000;
  const m = new LineMaker(rng, names, startMs);
  const failures = [...(opts.failures ?? [])].sort((a, b) => a.atFraction - b.atFraction);
  const benign = new Set<BenignNoise>(failures.length === 0 ? (opts.benign ?? []) : []);
  const out = new ChunkBuffer();
  const target = Math.max(0, opts.targetBytes);

  out.push(opts.os === 'linux' ? linuxHeader(m) : windowsHeader(m));

  // The footer is rendered once on a throwaway clock to learn its size before the body is spent.
  let reserve = 0;
  if (failures.length === 0) {
    const probe = new LineMaker(mulberry32(seed ^ 0x5f3759df), names, startMs);
    reserve = byteLength(opts.os === 'linux' ? linuxDeprovision(probe) : windowsDeprovision(probe)) + byteLength(successFooter(probe, opts.os, benign, startMs)) + 64;
  }
  const failureBytes = failures.map((f) => byteLength(f.lines) + 256);
  const fillerBudget = Math.max(0, target - out.emitted - reserve - failureBytes.reduce((a, b) => a + b, 0));
  const fillerStart = out.emitted;
  let insertedFailureBytes = 0;
  let next = 0;

  while (next < failures.length) {
    const f = failures[next] as SynthFailure;
    const at = fillerStart + Math.min(1, Math.max(0, f.atFraction)) * fillerBudget + insertedFailureBytes;
    if (out.emitted >= at) {
      const before = out.emitted;
      out.push(failureLines(m, opts.os, f, next === failures.length - 1));
      insertedFailureBytes += out.emitted - before;
      next++;
    } else {
      const lines = fitBlock(nextBlock(m, opts.os), at - out.emitted);
      // Too little room for one more customizer: jump straight to the failure.
      if (lines === null) {
        const before = out.emitted;
        out.push(failureLines(m, opts.os, f, next === failures.length - 1));
        insertedFailureBytes += out.emitted - before;
        next++;
      } else {
        out.push(lines);
      }
    }
    if (out.full) yield out.take();
  }

  if (failures.length > 0) {
    // The failing customizer keeps talking until the log stops: no telemetry, no footer.
    while (out.emitted < target) {
      out.push(longJobLines(m, opts.os, Math.min(200, Math.max(1, Math.ceil((target - out.emitted) / 60)))));
      if (out.full) yield out.take();
    }
  } else {
    const end = target - reserve;
    for (;;) {
      const lines = fitBlock(nextBlock(m, opts.os), end - out.emitted);
      if (lines === null) break;
      out.push(lines);
      if (out.full) yield out.take();
    }
    out.push(opts.os === 'linux' ? linuxDeprovision(m) : windowsDeprovision(m));
    out.push(successFooter(m, opts.os, benign, startMs));
  }
  const last = out.take();
  if (last.length > 0) yield last;
}

