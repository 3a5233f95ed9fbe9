import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MachineInfo } from './machine';

// The shape every benchmark reports (issue 7): our figure next to a baseline measured in the same run.

export interface BenchmarkResult {
  benchmark: string;
  ours: Record<string, unknown>;
  baseline: Record<string, unknown>;
  /** ours ÷ baseline for the figure named by `unit`. */
  ratio: number;
  /** A second ratio where the benchmark has a second baseline (log-scan: ours ÷ ripgrep; null when rg is absent). */
  ripgrepRatio?: number | null;
  unit: string;
  /** What the target is and whether this run met it. */
  target?: { text: string; met: boolean };
  machine: MachineInfo;
}

export function writeResults(results: BenchmarkResult[], file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}
