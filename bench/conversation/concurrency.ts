import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { MachineInfo } from '../lib/machine';
import type { BenchmarkResult } from '../lib/result';
import { round, summarize } from '../lib/stats';
import type { AnswerTemplate } from './answer-latency';
import type { Answer, BotUnderTest } from './bot-under-test';

// concurrent-50: fifty conversations asking about failed templates at the same moment, against the same fifty
// questions asked one at a time. The sandbox (ARM emulator and Azurite) and the driver (the client posting the
// questions and the capture server standing in for Teams) run in processes of their own, so the CPU per
// conversation and the event-loop delay are the bot's; the other two processes' CPU is reported beside them.

const CONVERSATIONS = 50;
const P95_RATIO_TARGET = 5;
const LOOP_DELAY_TARGET_MS = 20;

export async function concurrentConversations(bot: BotUnderTest, failed: AnswerTemplate[], machine: MachineInfo): Promise<BenchmarkResult> {
  if (failed.length === 0) throw new Error('bench: the sandbox has no failed templates to ask about');
  const picks = Array.from({ length: CONVERSATIONS }, (_, i) => failed[i % failed.length]);

  const others = { sandbox: bot.sandbox.cpuMs, driver: bot.driverCpuMs };
  const single = await measured(others, async () => {
    const out: Outcome[] = [];
    for (const t of picks) out.push(await outcome(bot, t));
    return out;
  });
  await bot.app.idle();
  const together = await measured(others, () => Promise.all(picks.map((t) => outcome(bot, t))));
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
      sandboxProcessCpuMsPerConversation: together.sandboxCpuMsPerConversation,
      driverProcessCpuMsPerConversation: together.driverCpuMsPerConversation,
    },
    baseline: {
      what: 'the same questions, one conversation at a time',
      ...s,
      errors: errors(single.value),
      wrongDiagnoses: wrong(single.value),
      eventLoopDelayMaxMs: single.loopMaxMs,
      wallMs: round(single.ms),
      cpuMsPerConversation: single.cpuMsPerConversation,
      sandboxProcessCpuMsPerConversation: single.sandboxCpuMsPerConversation,
      driverProcessCpuMsPerConversation: single.driverCpuMsPerConversation,
    },
    ratio,
    unit: 'p95 ms (50 at once ÷ one at a time)',
    // Issue 15: p95 at most 5× a lone answer, no errors, event-loop delay never over 20 ms.
    target: {
      text: `ratio <= ${P95_RATIO_TARGET}, errors = 0, event-loop delay max <= ${LOOP_DELAY_TARGET_MS} ms`,
      met: ratio <= P95_RATIO_TARGET && errors(together.value).length === 0 && errors(single.value).length === 0 && together.loopMaxMs <= LOOP_DELAY_TARGET_MS,
    },
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
  /** CPU time of this process (the bot) per conversation. */
  cpuMsPerConversation: number;
  /** CPU time of the sandbox process and Azurite per conversation; null where /proc cannot be read. */
  sandboxCpuMsPerConversation: number | null;
  /** CPU time of the driver process (client and capture server) per conversation; null where /proc cannot be read. */
  driverCpuMsPerConversation: number | null;
  loopMaxMs: number;
  loopP99Ms: number;
}

type CpuReading = () => number | null;

async function measured<T>(others: { sandbox: CpuReading; driver: CpuReading }, fn: () => Promise<T>): Promise<Measured<T>> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const before = { sandbox: others.sandbox(), driver: others.driver() };
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await fn();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const perConversation = (reading: CpuReading, from: number | null) => {
    const now = reading();
    return from === null || now === null ? null : round((now - from) / CONVERSATIONS);
  };
  h.disable();
  return {
    value,
    ms,
    cpuMsPerConversation: round((used.user + used.system) / 1000 / CONVERSATIONS),
    sandboxCpuMsPerConversation: perConversation(others.sandbox, before.sandbox),
    driverCpuMsPerConversation: perConversation(others.driver, before.driver),
    loopMaxMs: round(h.max / 1e6),
    loopP99Ms: round(h.percentile(99) / 1e6),
  };
}
