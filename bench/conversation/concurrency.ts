import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { MachineInfo } from '../lib/machine';
import type { BenchmarkResult } from '../lib/result';
import { round, summarize } from '../lib/stats';
import type { AnswerTemplate } from './answer-latency';
import type { Answer, BotUnderTest } from './bot-under-test';

// concurrent-50: fifty conversations asking about failed templates at the same moment, against the same fifty
// questions asked one at a time. The event-loop delay is the whole process's (bot, ARM emulator and capture server
// share it; Azurite runs in its own process), so it is an upper bound for the bot's.

const CONVERSATIONS = 50;

export async function concurrentConversations(bot: BotUnderTest, failed: AnswerTemplate[], machine: MachineInfo): Promise<BenchmarkResult> {
  if (failed.length === 0) throw new Error('bench: the sandbox has no failed templates to ask about');
  const picks = Array.from({ length: CONVERSATIONS }, (_, i) => failed[i % failed.length]);

  const single = await measured(async () => {
    const out: Outcome[] = [];
    for (const t of picks) out.push(await outcome(bot, t));
    return out;
  });
  await bot.app.idle();
  const together = await measured(() => Promise.all(picks.map((t) => outcome(bot, t))));
  await bot.app.idle();

  const ok = (o: Outcome[]) => o.filter((x) => x.answer).map((x) => x.answer!.firstCardMs);
  const s = summarize(ok(single.value));
  const c = summarize(ok(together.value));
  const ratio = round(c.p95Ms / s.p95Ms, 2);
  return {
    benchmark: 'concurrent-50',
    ours: {
      what: `${CONVERSATIONS} conversations posted at once, each until its first card`,
      templates: new Set(picks.map((p) => p.name)).size,
      ...c,
      errors: errors(together.value),
      wrongDiagnoses: wrong(together.value),
      eventLoopDelayMaxMs: together.loopMaxMs,
      eventLoopDelayP99Ms: together.loopP99Ms,
      wallMs: round(together.ms),
      cpuMsPerConversation: together.cpuMsPerConversation,
    },
    baseline: {
      what: 'the same questions, one conversation at a time',
      ...s,
      errors: errors(single.value),
      wrongDiagnoses: wrong(single.value),
      eventLoopDelayMaxMs: single.loopMaxMs,
      wallMs: round(single.ms),
      cpuMsPerConversation: single.cpuMsPerConversation,
    },
    ratio,
    unit: 'p95 ms (50 at once ÷ one at a time)',
    target: { text: 'errors = 0', met: errors(together.value).length === 0 && errors(single.value).length === 0 },
    machine,
  };
}

interface Outcome {
  template: AnswerTemplate;
  answer?: Answer;
  error?: string;
}

async function outcome(bot: BotUnderTest, template: AnswerTemplate): Promise<Outcome> {
  try {
    const answer = await bot.ask(template.name);
    if (answer.status >= 300) return { template, error: `HTTP ${answer.status}` };
    // A card that is not a diagnosis (an error card) is a failed answer too.
    if (!answer.firstDiagnosisId) return { template, answer, error: 'not a diagnosis card' };
    return { template, answer };
  } catch (e) {
    return { template, error: (e as Error).message };
  }
}

function errors(outcomes: Outcome[]): string[] {
  return outcomes.filter((o) => o.error).map((o) => `${o.template.name}: ${o.error}`);
}

function wrong(outcomes: Outcome[]): string[] {
  return outcomes
    .filter((o) => o.answer?.firstDiagnosisId && o.template.expectedId && o.answer.firstDiagnosisId !== o.template.expectedId)
    .map((o) => `${o.template.name}: ${o.answer!.firstDiagnosisId} (expected ${o.template.expectedId})`);
}

interface Measured<T> {
  value: T;
  ms: number;
  /** CPU time of this process (bot, emulator, capture server) per conversation. */
  cpuMsPerConversation: number;
  loopMaxMs: number;
  loopP99Ms: number;
}

async function measured<T>(fn: () => Promise<T>): Promise<Measured<T>> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await fn();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  h.disable();
  return {
    value,
    ms,
    cpuMsPerConversation: round((used.user + used.system) / 1000 / CONVERSATIONS),
    loopMaxMs: round(h.max / 1e6),
    loopP99Ms: round(h.percentile(99) / 1e6),
  };
}
