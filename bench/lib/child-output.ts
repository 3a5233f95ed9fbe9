import { spawn, type SpawnOptions } from 'node:child_process';
import { performance } from 'node:perf_hooks';

// The baselines and the scan child all run a process to its end and read what it printed; the caller decides
// which exit codes are a complete run (grep and rg exit 1 when nothing matched).

export interface ChildOutput {
  code: number | null;
  out: string;
  err: string;
  /** From spawn to close, the child's start-up included. */
  ms: number;
}

export function childOutput(command: string, args: string[], options: Pick<SpawnOptions, 'env'> = {}): Promise<ChildOutput> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const p = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, out, err, ms: performance.now() - started }));
  });
}
