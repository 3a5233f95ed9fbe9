import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { scanLog } from '../../src/diagnosis/log-scan';

// Runs in its own process so that peak RSS is the scan's (plus Node's own baseline), not the benchmark driver's.
// argv: <log file> <chunk bytes>. Prints one JSON line.

async function main(): Promise<void> {
  const [file, chunk] = process.argv.slice(2);
  if (!file) throw new Error('usage: scan-child <log file> [chunk bytes]');
  const highWaterMark = Number(chunk ?? 1024 * 1024);
  const started = performance.now();
  // Timed from the first read to the result, including compiling the patterns (grep's time includes its own).
  const result = await scanLog(createReadStream(file, { highWaterMark }));
  const ms = performance.now() - started;
  process.stdout.write(
    `${JSON.stringify({
      bytes: result.bytes,
      lines: result.lines,
      ms,
      maxRssKiB: process.resourceUsage().maxRSS,
      hits: result.hits.map((h) => ({ id: h.entryId, line: h.first.line, count: h.count })),
      steps: result.steps.length,
    })}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`scan-child: ${(e as Error).message}\n`);
  process.exit(1);
});
