import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { scanLog, type EvidenceSource, type ScanResult, type ScanSegment } from '../diagnosis';
import { scanFileSegment, type FileSegmentScanner } from './file-segments';
import type { FromWorker, ToWorker } from './scan-worker';

// Full log scans off the event loop: a few worker threads (one per core but one, at least one), each scanning one
// log at a time from the chunks the main thread streams to it. A 200 MB scan is about a second of CPU; on the
// main thread it would hold every other conversation for that second. At most IN_FLIGHT chunks of a scan are
// on their way to its worker (the download waits for the scan, so memory stays a few MiB whatever the log size),
// and at most `maxQueued` scans wait for a worker: more than that is refused with a typed error, not queued.

/** Batches posted to a worker and not yet scanned, per scan. */
const IN_FLIGHT = 4;
/** Bytes per batch posted to a worker. */
const BATCH_BYTES = 1024 * 1024;

export type ScanWorkerErrorCode = 'scan-queue-full' | 'scan-worker-failed';

export class ScanWorkerError extends Error {
  constructor(
    readonly code: ScanWorkerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ScanWorkerError';
  }
}

export type LogScan = (chunks: AsyncIterable<Buffer>, source?: EvidenceSource) => Promise<ScanResult>;

export interface ScanWorkersOptions {
  /** Worker threads (default: the cores but one, at least one). */
  size?: number;
  /** Scans waiting for a worker before new ones are refused (default 32). */
  maxQueued?: number;
}

/** The compiled worker body: beside this file in dist/, or in dist/ when this file runs as TypeScript (tests). */
function workerScript(): string | undefined {
  const beside = path.join(__dirname, 'scan-worker.js');
  if (existsSync(beside)) return beside;
  const built = path.join(__dirname, '..', '..', 'dist', 'src', 'usecases', 'scan-worker.js');
  return existsSync(built) ? built : undefined;
}

type Job = StreamJob | SegmentJob;

interface StreamJob {
  kind: 'stream';
  id: number;
  chunks: AsyncIterable<Buffer>;
  source: EvidenceSource;
  resolve(result: ScanResult): void;
  reject(error: Error): void;
}

/** A stretch of a file on disk, which the worker reads itself (see file-segments.ts). */
interface SegmentJob {
  kind: 'segment';
  id: number;
  path: string;
  start: number;
  end: number;
  source: EvidenceSource;
  resolve(segment: ScanSegment): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  /** Called with each message about the job it runs. */
  onMessage?: (m: FromWorker) => void;
  onFailure?: (e: Error) => void;
}

export class ScanWorkers implements FileSegmentScanner {
  readonly size: number;
  private readonly maxQueued: number;
  private readonly script: string | undefined;
  private readonly idle: Slot[] = [];
  private readonly queue: Job[] = [];
  private started = 0;
  private nextJob = 1;
  private closed = false;

  constructor(options: ScanWorkersOptions = {}) {
    this.size = options.size ?? Math.max(1, (os.availableParallelism?.() ?? os.cpus().length) - 1);
    this.maxQueued = options.maxQueued ?? 32;
    if (!Number.isInteger(this.size) || this.size < 1) throw new RangeError('scan workers: size must be a positive whole number');
    this.script = workerScript();
  }

  /** Whether scans run in worker threads (false only where the compiled worker is missing: then on this thread). */
  get threaded(): boolean {
    return this.script !== undefined;
  }

  /** Scans `chunks` in a worker; the same result as scanLog on this thread. */
  readonly scan: LogScan = (chunks, source = 'log') => {
    if (!this.script || this.closed) return scanLog(chunks, source);
    if (this.queue.length >= this.maxQueued) {
      return Promise.reject(new ScanWorkerError('scan-queue-full', `${this.queue.length} log scans are already waiting for a worker`));
    }
    return new Promise<ScanResult>((resolve, reject) => {
      this.queue.push({ kind: 'stream', id: this.nextJob++, chunks, source, resolve, reject });
      this.dispatch();
    });
  };

  /** Scans [start, end) of the file at `path` in a worker, as one segment of a larger scan (see scanFile). */
  scanSegment(path: string, start: number, end: number, source: EvidenceSource = 'log'): Promise<ScanSegment> {
    if (!this.script || this.closed) return scanFileSegment(path, start, end, source);
    if (this.queue.length >= this.maxQueued) {
      return Promise.reject(new ScanWorkerError('scan-queue-full', `${this.queue.length} log scans are already waiting for a worker`));
    }
    return new Promise<ScanSegment>((resolve, reject) => {
      this.queue.push({ kind: 'segment', id: this.nextJob++, path, start, end, source, resolve, reject });
      this.dispatch();
    });
  }

  /** Scans waiting for a worker (for tests and the log). */
  get waiting(): number {
    return this.queue.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.idle.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private dispatch(): void {
    // Closed: whatever still waits is scanned here rather than left hanging.
    if (this.closed) for (const job of this.queue.splice(0)) here(job);
    while (this.queue.length) {
      const slot = this.idle.pop() ?? (this.started < this.size ? this.spawn() : undefined);
      if (!slot) return;
      void this.run(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot {
    this.started++;
    const worker = new Worker(this.script!);
    // An idle worker must not keep a CLI or a test process alive.
    worker.unref();
    const slot: Slot = { worker };
    worker.on('message', (m: FromWorker) => slot.onMessage?.(m));
    const fail = (e: Error) => {
      this.started--;
      const at = this.idle.indexOf(slot);
      if (at >= 0) this.idle.splice(at, 1);
      slot.onFailure?.(e);
      slot.onFailure = undefined;
      this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`scan worker exited with code ${code}`)));
    return slot;
  }

  private async run(slot: Slot, job: Job): Promise<void> {
    if (job.kind === 'segment') return this.runSegment(slot, job);
    const post = (m: ToWorker, transfer?: ArrayBuffer[]) => slot.worker.postMessage(m, transfer);
    let acked = 0;
    let sent = 0;
    let wake: (() => void) | undefined;
    const outcome = new Promise<ScanResult>((resolve, reject) => {
      slot.onMessage = (m) => {
        if (m.job !== job.id) return;
        if (m.kind === 'ack') {
          acked++;
          wake?.();
        } else if (m.kind === 'done') resolve(m.result);
        else if (m.kind === 'failed') reject(new ScanWorkerError('scan-worker-failed', m.message));
      };
      slot.onFailure = (e) => reject(new ScanWorkerError('scan-worker-failed', e.message));
    });
    // Whoever gives up first (the download or the worker) settles the job; the other's rejection is not unhandled.
    outcome.catch(() => undefined);
    try {
      post({ job: job.id, kind: 'start', source: job.source });
      // The chunks are copied into batches of BATCH_BYTES, each moved to the worker in one message: a download
      // arrives in 16-64 KiB pieces, and a message per piece cost the event loop ~30 ms per 200 MB scan.
      let batch: Uint8Array | undefined;
      let filled = 0;
      const send = async () => {
        if (!batch || filled === 0) return;
        const bytes = batch.subarray(0, filled);
        batch = undefined;
        filled = 0;
        post({ job: job.id, kind: 'chunk', bytes }, [bytes.buffer as ArrayBuffer]);
        sent++;
        while (sent - acked >= IN_FLIGHT) {
          await Promise.race([new Promise<void>((r) => (wake = r)), outcome]);
        }
      };
      for await (const chunk of job.chunks) {
        for (let at = 0; at < chunk.length; ) {
          batch ??= new Uint8Array(BATCH_BYTES);
          const n = Math.min(chunk.length - at, BATCH_BYTES - filled);
          batch.set(chunk.subarray(at, at + n), filled);
          filled += n;
          at += n;
          if (filled === BATCH_BYTES) await send();
        }
      }
      await send();
      post({ job: job.id, kind: 'finish' });
      job.resolve(await outcome);
    } catch (e) {
      job.reject(e as Error);
      return this.release(slot, 'discard');
    }
    return this.release(slot, 'reuse');
  }

  /**
   * A slot whose job settled goes back to the idle list, or is terminated: after a failure the worker may still
   * hold that job's state, and a new worker is cheaper than reasoning about it.
   */
  private async release(slot: Slot, how: 'reuse' | 'discard'): Promise<void> {
    slot.onMessage = undefined;
    slot.onFailure = undefined;
    if (how === 'discard') await slot.worker.terminate().catch(() => undefined);
    else if (this.closed) await slot.worker.terminate();
    else {
      this.idle.push(slot);
      this.dispatch();
    }
  }

  private async runSegment(slot: Slot, job: SegmentJob): Promise<void> {
    try {
      const segment = await new Promise<ScanSegment>((resolve, reject) => {
        slot.onMessage = (m) => {
          if (m.job !== job.id) return;
          if (m.kind === 'segment-done') resolve(m.segment);
          else if (m.kind === 'failed') reject(new ScanWorkerError('scan-worker-failed', m.message));
        };
        slot.onFailure = (e) => reject(new ScanWorkerError('scan-worker-failed', e.message));
        slot.worker.postMessage({ job: job.id, kind: 'segment', path: job.path, start: job.start, end: job.end, source: job.source } satisfies ToWorker);
      });
      job.resolve(segment);
    } catch (e) {
      job.reject(e as Error);
      return this.release(slot, 'discard');
    }
    return this.release(slot, 'reuse');
  }
}

/** A queued job run on this thread (after close). */
function here(job: Job): void {
  if (job.kind === 'stream') scanLog(job.chunks, job.source).then(job.resolve, job.reject);
  else scanFileSegment(job.path, job.start, job.end, job.source).then(job.resolve, job.reject);
}
