import { parentPort } from 'node:worker_threads';
// Only the scanner's modules, not the diagnosis index: a worker that loads less starts sooner (60 ms, not 88).
import { LogScanner, type ScanResult, type ScanSegment } from '../diagnosis/log-scan';
import type { EvidenceSource } from '../diagnosis/types';
import { scanFileSegment } from './file-segments';

// The body of one scan worker (see scan-workers.ts): one LogScanner per job, fed the chunks the main thread
// streams to it, each chunk acknowledged once scanned so the main thread never has more than a few in flight;
// or a segment of a file on disk, which the worker reads itself.

export type ToWorker =
  | { job: number; kind: 'start'; source: EvidenceSource }
  | { job: number; kind: 'segment'; source: EvidenceSource; path: string; start: number; end: number }
  | { job: number; kind: 'chunk'; bytes: Uint8Array }
  | { job: number; kind: 'finish' };
export type FromWorker =
  | { job: number; kind: 'ack' }
  | { job: number; kind: 'segment-done'; segment: ScanSegment }
  | { job: number; kind: 'done'; result: ScanResult }
  | { job: number; kind: 'failed'; message: string };

const port = parentPort;
if (port) {
  const scanners = new Map<number, LogScanner>();
  port.on('message', (m: ToWorker) => {
    try {
      if (m.kind === 'segment') {
        // A stretch of a file this worker reads itself (file-segments.ts): nothing streams through the main thread.
        scanFileSegment(m.path, m.start, m.end, m.source).then(
          (segment) => port.postMessage({ job: m.job, kind: 'segment-done', segment } satisfies FromWorker),
          (e: Error) => port.postMessage({ job: m.job, kind: 'failed', message: e.message } satisfies FromWorker),
        );
      } else if (m.kind === 'start') scanners.set(m.job, new LogScanner(m.source));
      else if (m.kind === 'chunk') {
        scanners.get(m.job)?.push(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
        port.postMessage({ job: m.job, kind: 'ack' } satisfies FromWorker);
      } else {
        const scanner = scanners.get(m.job);
        scanners.delete(m.job);
        if (scanner) port.postMessage({ job: m.job, kind: 'done', result: scanner.finish() } satisfies FromWorker);
      }
    } catch (e) {
      scanners.delete(m.job);
      port.postMessage({ job: m.job, kind: 'failed', message: (e as Error).message } satisfies FromWorker);
    }
  });
}
