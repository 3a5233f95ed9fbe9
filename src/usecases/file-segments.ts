import { open, stat } from 'node:fs/promises';
import { LogScanner, type ScanResult, type ScanSegment } from '../diagnosis/log-scan';
import type { EvidenceSource } from '../diagnosis/types';

// A log file on disk can be read from several places at once, so a large one is cut into line-aligned segments
// scanned side by side: this thread reads the first, scan workers the others, and the first segment's scanner
// then absorbs the others' events in order, which gives the result a single pass would (a test compares them).
// ripgrep, the peer the benchmark measures against, reads one file on one thread; this is how a two-core
// machine gets past it on a 500 MB log.

const READ_CHUNK = 1024 * 1024;
/**
 * Below this a second thread costs about what it saves: its start (60-74 ms), its own cold automata, and on the
 * 2-vCPU CI machine two busy threads each run ~1.4 times slower than one alone. Measured with `npm run bench`: at
 * 100 MB two threads were 0.9-1.1 times as fast as one, at 500 MB 1.4-1.5 times.
 */
export const PARALLEL_FROM_BYTES = 128 * 1024 * 1024;
/**
 * How much more this thread reads than each worker: a worker's first result comes 60-74 ms after it is spawned
 * (isolate start, the scanner's modules, its patterns), time in which this thread scans several MiB.
 */
const HEAD_START_BYTES = 8 * 1024 * 1024;
/** Bytes before a segment read for the context of its first hits (the scanner keeps 4 KiB of it). */
const BEFORE_BYTES = 4096;
/** How far past a planned cut the next newline is looked for, per read. */
const FIND_NEWLINE_STEP = 64 * 1024;

export interface FileSegmentScanner {
  /** How many segments may be scanned at once besides this thread's. */
  readonly size: number;
  readonly threaded: boolean;
  scanSegment(path: string, start: number, end: number, source: EvidenceSource): Promise<ScanSegment>;
}

/** Scans [start, end) of `path` as one segment (in a worker, or here in tests). */
export async function scanFileSegment(path: string, start: number, end: number, source: EvidenceSource = 'log'): Promise<ScanSegment> {
  const beforeFrom = Math.max(0, start - BEFORE_BYTES);
  const before = await readRange(path, beforeFrom, start);
  const scanner = new LogScanner(source, { before, beforeIsFileStart: beforeFrom === 0 });
  for await (const chunk of chunksOf(path, start, end)) scanner.push(chunk);
  return scanner.finishSegment();
}

/**
 * Up to `parts` offsets that split a file of `size` bytes into stretches of about equal length, each starting at
 * a line start (just after a newline), the first `headStart` bytes longer; fewer when a line is longer than a
 * stretch.
 */
export async function lineAlignedCuts(path: string, size: number, parts: number, headStart = 0): Promise<number[]> {
  const cuts = [0];
  const share = Math.max(0, size - headStart) / parts;
  for (let i = 1; i < parts; i++) {
    const planned = Math.floor(headStart + share * i);
    // Inside the stretch of a line that already swallowed this cut: no segment of a few bytes after it.
    if (planned < cuts[cuts.length - 1]) continue;
    const cut = await nextLineStart(path, planned, size);
    if (cut < size && cut > cuts[cuts.length - 1]) cuts.push(cut);
  }
  return cuts;
}

export interface ScanFileOptions {
  /** Where the other segments are scanned; without it (or when it has no threads) the file is read here alone. */
  segments?: FileSegmentScanner;
  source?: EvidenceSource;
  /** The size from which the file is split (default PARALLEL_FROM_BYTES; tests use small files). */
  parallelFrom?: number;
  /** Extra bytes this thread reads (default HEAD_START_BYTES). */
  headStart?: number;
}

/** The whole file's scan result, from segments scanned in parallel when the file is large enough to gain. */
export async function scanFile(path: string, options: ScanFileOptions = {}): Promise<ScanResult> {
  const { segments, source = 'log', parallelFrom = PARALLEL_FROM_BYTES, headStart = HEAD_START_BYTES } = options;
  const { size } = await stat(path);
  const parts = segments?.threaded && size >= parallelFrom ? 1 + segments.size : 1;
  const cuts = parts > 1 ? await lineAlignedCuts(path, size, parts, headStart) : [0];
  const ends = [...cuts.slice(1), size];
  // Started before this thread's own read, so they run while it does.
  const others = cuts.slice(1).map((start, i) => segments!.scanSegment(path, start, ends[i + 1], source));
  // Every rejection is seen, whichever comes first.
  for (const p of others) p.catch(() => undefined);
  const scanner = new LogScanner(source);
  for await (const chunk of chunksOf(path, 0, ends[0])) scanner.push(chunk);
  for (const segment of others) scanner.absorb(await segment);
  return scanner.finish();
}

/**
 * The bytes of [start, end) in chunks read into two buffers in turn: the next read runs while the caller scans
 * the chunk it was given, and nothing is allocated per chunk (a 500 MB scan through a read stream allocates
 * 500 buffers of 1 MiB, and the process's peak RSS is whatever the collector has not freed yet). A chunk is
 * only valid until the next one is asked for: LogScanner.push copies whatever it keeps.
 */
export async function* chunksOf(path: string, start: number, end: number): AsyncGenerator<Buffer> {
  if (end <= start) return;
  const handle = await open(path, 'r');
  const buffers = [Buffer.allocUnsafe(READ_CHUNK), Buffer.allocUnsafe(READ_CHUNK)];
  let turn = 0;
  let at = start;
  const readInto = (buf: Buffer) => handle.read(buf, 0, Math.min(READ_CHUNK, end - at), at);
  let pending: ReturnType<typeof readInto> | undefined = readInto(buffers[turn]);
  try {
    while (pending) {
      const { bytesRead } = await pending;
      pending = undefined;
      if (bytesRead === 0) break;
      const chunk = buffers[turn].subarray(0, bytesRead);
      at += bytesRead;
      turn ^= 1;
      if (at < end) pending = readInto(buffers[turn]);
      yield chunk;
    }
  } finally {
    // A caller that stops early leaves a read in flight: the handle closes after it.
    await pending?.catch(() => undefined);
    await handle.close();
  }
}

async function nextLineStart(path: string, from: number, size: number): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(FIND_NEWLINE_STEP);
    for (let at = from; at < size; at += FIND_NEWLINE_STEP) {
      const { bytesRead } = await handle.read(buf, 0, FIND_NEWLINE_STEP, at);
      if (bytesRead === 0) break;
      const nl = buf.subarray(0, bytesRead).indexOf(0x0a);
      if (nl >= 0) return at + nl + 1;
    }
    return size;
  } finally {
    await handle.close();
  }
}

async function readRange(path: string, start: number, end: number): Promise<Buffer> {
  if (end <= start) return Buffer.alloc(0);
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(end - start);
    const { bytesRead } = await handle.read(buf, 0, buf.length, start);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
