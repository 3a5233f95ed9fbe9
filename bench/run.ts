import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { machineInfo } from './lib/machine';
import { writeResults, type BenchmarkResult } from './lib/result';
import { runLogScanBenchmarks } from './log-scan/log-scan';

// `npm run bench`: every benchmark, one JSON object per line on stdout, the array in bench/results/latest.json.
// Progress goes to stderr so stdout stays machine-readable. Options (for working on one part):
//   --only=log-scan,answer,concurrency,paste   --sizes=10,100,500   --scan-runs=3   --runs=30   --out=FILE

interface Options {
  only: Set<string>;
  sizesMiB: number[];
  scanRuns: number;
  runs: number;
  out: string;
}

function parseArgs(argv: string[]): Options {
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const numbers = (v: string | undefined, fallback: number[]) => (v ? v.split(',').map(Number) : fallback);
  const opts: Options = {
    only: new Set((get('only') ?? 'log-scan,answer,concurrency,paste').split(',')),
    sizesMiB: numbers(get('sizes'), [10, 100, 500]),
    scanRuns: numbers(get('scan-runs'), [3])[0],
    runs: numbers(get('runs'), [30])[0],
    out: get('out') ?? path.join(__dirname, '..', '..', 'bench', 'results', 'latest.json'),
  };
  for (const n of [...opts.sizesMiB, opts.scanRuns, opts.runs]) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`bench: expected positive whole numbers, got ${n}`);
  }
  return opts;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const machine = machineInfo();
  const log = (m: string) => process.stderr.write(`[bench ${(performance.now() / 1000).toFixed(1)}s] ${m}\n`);
  const emit = (r: BenchmarkResult) => process.stdout.write(`${JSON.stringify(r)}\n`);
  const results: BenchmarkResult[] = [];
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'aib-bench-'));
  try {
    if (opts.only.has('log-scan')) {
      for (const r of await runLogScanBenchmarks({ sizesMiB: opts.sizesMiB, runs: opts.scanRuns, workDir, machine, log })) {
        emit(r);
        results.push(r);
      }
    }
    if (opts.only.has('answer') || opts.only.has('concurrency') || opts.only.has('paste')) {
      // Loaded only when needed: it pulls in the bot, the SDKs and the sandbox.
      const { runConversationBenchmarks } = await import('./conversation/conversation-benchmarks');
      const parts = { answer: opts.only.has('answer'), concurrency: opts.only.has('concurrency'), paste: opts.only.has('paste') };
      for (const r of await runConversationBenchmarks({ ...parts, runs: opts.runs, machine, log })) {
        emit(r);
        results.push(r);
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  writeResults(results, opts.out);
  log(`wrote ${results.length} result(s) to ${path.relative(process.cwd(), opts.out)} in ${Math.round(performance.now() / 1000)} s`);
  // A timed-out waiter or an SDK keep-alive socket must not keep the process around once the results are written.
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
