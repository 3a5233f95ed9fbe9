import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { scanFile } from '../../src/usecases/file-segments';
import { ScanWorkers } from '../../src/usecases/scan-workers';

// Runs in its own process so that peak RSS is the scan's (plus Node's own baseline), not the benchmark driver's.
// argv: <log file> <threads|single>. Prints one JSON line.
// - threads: what `aib-chatops diagnose --log <file>` does, its scan workers started inside the timing.
// - single: the same file read on this one thread (the figure to set beside ripgrep's one thread per file).

async function main(): Promise<void> {
  const [file, mode = 'threads'] = process.argv.slice(2);
  if (!file || (mode !== 'threads' && mode !== 'single')) throw new Error('usage: scan-child <log file> [threads|single]');
  // The first asynchronous fs call starts libuv's thread pool (~10 ms): process start-up, like grep's exec, and
  // already done in a running bot. Pay it before the clock starts.
  await stat(file);
  const started = performance.now();
  // Timed from the first read to the result, including compiling the patterns (grep's time includes its own)
  // and starting the workers.
  const workers = mode === 'threads' ? new ScanWorkers() : undefined;
  const result = await scanFile(file, { segments: workers });
  const ms = performance.now() - started;
  const maxRssKiB = process.resourceUsage().maxRSS;
  // A long-running process has its patterns compiled and its RE2 automata warm: a second scan in the same
  // process shows that steady state.
  const again = performance.now();
  await scanFile(file, { segments: workers });
  const warmMs = performance.now() - again;
  await workers?.close();
  process.stdout.write(
    `${JSON.stringify({
      bytes: result.bytes,
      lines: result.lines,
      ms,
      warmMs,
      maxRssKiB,
      threads: workers ? 1 + workers.size : 1,
      hits: result.hits.map((h) => ({ id: h.entryId, line: h.first.line, count: h.count })),
      steps: result.steps.length,
    })}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`scan-child: ${(e as Error).message}\n`);
  process.exit(1);
});
