// Full log scans are the expensive part of an answer (a log can be hundreds of MB). However many people ask about a
// template at once, at most one scan of it runs, and at most `concurrency` scans run in the whole process; the
// rest wait their turn instead of competing for the event loop and the storage account. The scanning itself is
// `scan`: in the bot, worker threads (scan-workers.ts), so the event loop only moves bytes.

import { scanLog } from '../diagnosis';
import type { LogScan } from './scan-workers';

export class ScanPool {
  private running = 0;
  private readonly queue: Array<() => void> = [];
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly concurrency: number,
    /** How a full log is scanned (default: on this thread). */
    readonly scan: LogScan = scanLog,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('scan concurrency must be a positive whole number');
  }

  /** Runs `work` for `key`, or joins the scan of `key` already running or waiting. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing) return existing as Promise<T>;
    const p = this.slot().then(async (release) => {
      try {
        return await work();
      } finally {
        release();
      }
    });
    this.inFlight.set(key, p);
    const forget = () => {
      if (this.inFlight.get(key) === p) this.inFlight.delete(key);
    };
    p.then(forget, forget);
    return p;
  }

  /** Scans running or waiting now (for tests and the log). */
  get size(): number {
    return this.inFlight.size;
  }

  private slot(): Promise<() => void> {
    const release = () => {
      this.running--;
      this.queue.shift()?.();
    };
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve(release);
    }
    return new Promise((resolve) => {
      this.queue.push(() => {
        this.running++;
        resolve(release);
      });
    });
  }
}
