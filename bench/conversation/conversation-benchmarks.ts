import type { MachineInfo } from '../lib/machine';
import type { BenchmarkResult } from '../lib/result';
import { answerBigLog, answerSmallLog, type AnswerTemplate } from './answer-latency';
import { startBotUnderTest } from './bot-under-test';
import { adversarialPastes } from './adversarial-paste';
import { concurrentConversations } from './concurrency';

// One bot and sandbox for the answer and concurrency benchmarks: starting them and seeding the 200 MB log is the
// slowest part of the run, and none of the measurements needs a fresh process.

const SMALL_LOG_TEMPLATE = 'ubuntu2204-java-runner';
const BIG_LOG_TEMPLATE = 'ubuntu2204-biglog';

export interface ConversationBenchOptions {
  answer: boolean;
  concurrency: boolean;
  paste: boolean;
  runs: number;
  machine: MachineInfo;
  log(message: string): void;
}

export async function runConversationBenchmarks(options: ConversationBenchOptions): Promise<BenchmarkResult[]> {
  const bot = await startBotUnderTest(options.log);
  const results: BenchmarkResult[] = [];
  try {
    const scenarios = bot.scenarios;
    const byName = (name: string): AnswerTemplate => {
      const s = scenarios.find((x) => x.name === name);
      if (!s) throw new Error(`bench: the sandbox has no template named ${name}`);
      return { name: s.name, resourceGroup: s.resourceGroup, expectedId: s.expectedId };
    };
    if (options.answer) {
      options.log(`answer-1mb: ${options.runs} runs`);
      results.push(await answerSmallLog(bot, byName(SMALL_LOG_TEMPLATE), options.runs, options.machine));
      options.log(`answer-200mb: ${options.runs} runs`);
      results.push(...(await answerBigLog(bot, byName(BIG_LOG_TEMPLATE), options.runs, options.machine)));
    }
    if (options.paste) {
      options.log(`adversarial-paste-100kb: ${options.runs} runs of each paste`);
      results.push(await adversarialPastes(bot, options.runs, options.machine));
    }
    if (options.concurrency) {
      // Templates asked about by name alone must be unambiguous, and the big logs belong to the answer benchmarks.
      const counts = new Map<string, number>();
      for (const s of scenarios) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
      const failed = scenarios
        .filter((s) => (s.state === 'Failed' || s.state === 'ProvisioningFailed') && counts.get(s.name) === 1)
        .filter((s) => s.name !== SMALL_LOG_TEMPLATE && s.name !== BIG_LOG_TEMPLATE)
        .map((s) => ({ name: s.name, resourceGroup: s.resourceGroup, expectedId: s.expectedId }));
      options.log(`concurrent-50: ${failed.length} failed templates`);
      results.push(await concurrentConversations(bot, failed, options.machine));
    }
  } finally {
    await bot.stop();
  }
  return results;
}
