import type { AzuriteLogStore } from './blob/log-store';
import { synthesizeLog } from './log';
import type { Scenario } from './scenarios/scenario-types';
import { accountOf, seededRunIds } from './seed';

// The 200 MB log: generated as a stream and uploaded in blocks, so neither side holds it in memory at once.

export async function seedBigLog(s: Scenario, logs: AzuriteLogStore): Promise<{ bytes: number; ms: number }> {
  if (!s.bigLog) throw new Error(`scenario ${s.name} has no big log`);
  const started = Date.now();
  const ids = seededRunIds(s);
  const source = synthesizeLog({
    os: s.os,
    targetBytes: s.bigLog.targetBytes,
    seed: 20250101,
    packerRunId: ids.packerRunId,
    failures: [{ atFraction: s.bigLog.atFraction, lines: s.bigLog.lines, customizer: s.bigLog.customizer }],
  });
  const bytes = await logs.putStream(accountOf(s), ids.folder, source);
  return { bytes, ms: Date.now() - started };
}
