import { performance } from 'node:perf_hooks';
import { diagnoseFetchedTemplate } from '../../src/usecases/diagnose-template';
import { TemplateLocator } from '../../src/usecases/resolve-template';
import type { MachineInfo } from '../lib/machine';
import type { BenchmarkResult } from '../lib/result';
import { median, round, summarize } from '../lib/stats';
import { drain, type BotUnderTest } from './bot-under-test';

// answer-<size>: "why did template X fail" posted to /api/messages until the diagnosis card reaches the capture
// server, against the Azure calls that answer needs made directly through our gateways (template GET, then the
// log read). Ours and the baseline alternate run by run so drift on a shared machine hits both alike.

const WARMUP_RUNS = 2;
const FIRST_CARD_LIMIT_MS = 1500;
const RATIO_LIMIT_1MB = 1.2;

export interface AnswerTemplate {
  name: string;
  resourceGroup: string;
  expectedId: string | null;
}

export async function answerSmallLog(bot: BotUnderTest, t: AnswerTemplate, runs: number, machine: MachineInfo): Promise<BenchmarkResult> {
  const ours: number[] = [];
  const base: number[] = [];
  const resolveMs: number[] = [];
  const diagnoseMs: number[] = [];
  const ids = new Set<string | undefined>();
  let bytes = 0;
  for (let i = 0; i < WARMUP_RUNS + runs; i++) {
    const a = await bot.ask(t.name);
    if (a.status >= 300) throw new Error(`bench: POST /api/messages answered ${a.status}`);
    await bot.app.idle();
    const b = await directRead(bot, t, 'tail');
    const p = await useCasePhases(bot, t);
    if (i < WARMUP_RUNS) continue;
    ours.push(a.firstCardMs);
    ids.add(a.firstDiagnosisId);
    base.push(b.ms);
    resolveMs.push(p.resolveMs);
    diagnoseMs.push(p.diagnoseMs);
    bytes = b.bytes;
  }
  const o = summarize(ours);
  const bl = summarize(base);
  const ratio = round(o.p50Ms / bl.p50Ms, 2);
  const phases = { resolveP50Ms: round(median(resolveMs)), diagnoseP50Ms: round(median(diagnoseMs)) };
  return {
    benchmark: 'answer-1mb',
    ours: {
      what: 'POST /api/messages → diagnosis card at the capture server',
      template: t.name,
      logBytes: bytes,
      ...o,
      diagnosisIds: [...ids],
      // The use cases the bot runs, timed on their own: what is left of p50 is Bot Framework, cards and HTTP.
      useCases: { ...phases, restP50Ms: round(o.p50Ms - phases.resolveP50Ms - phases.diagnoseP50Ms) },
    },
    baseline: { what: 'templates.get + logs.locate + logs.tail (whole log) through src/azure', ...bl },
    ratio,
    unit: 'p50 ms (ours ÷ baseline; lower is better)',
    target: { text: `ratio <= ${RATIO_LIMIT_1MB}`, met: ratio <= RATIO_LIMIT_1MB },
    machine,
  };
}

const MiB = 1024 * 1024;
const RSS_SAMPLE_MS = 10;

/** Highest RSS seen while `fn` runs, sampled on this process's event loop (which the scan yields between chunks). */
async function peakRssDuring<T>(fn: () => Promise<T>): Promise<{ value: T; peakRss: number }> {
  let peakRss = process.memoryUsage.rss();
  const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), RSS_SAMPLE_MS);
  try {
    const value = await fn();
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    return { value, peakRss };
  } finally {
    clearInterval(timer);
  }
}

/** answer-200mb, and from the same runs full-scan-200mb-in-bot: the full scan's time and the bot process's RSS. */
export async function answerBigLog(bot: BotUnderTest, t: AnswerTemplate, runs: number, machine: MachineInfo): Promise<BenchmarkResult[]> {
  const first: number[] = [];
  const rssBefore: number[] = [];
  const rssPeak: number[] = [];
  const update: number[] = [];
  const baseTail: number[] = [];
  const baseFull: number[] = [];
  const firstIds = new Set<string | undefined>();
  const updateIds = new Set<string | undefined>();
  let bytes = 0;
  for (let i = 0; i < WARMUP_RUNS + runs; i++) {
    const before = process.memoryUsage.rss();
    const { value: a, peakRss } = await peakRssDuring(async () => {
      const answer = await bot.ask(t.name, { waitForUpdate: true, timeoutMs: 180000 });
      await bot.app.idle();
      return answer;
    });
    if (a.status >= 300) throw new Error(`bench: POST /api/messages answered ${a.status}`);
    const tail = await directRead(bot, t, 'tail');
    const full = await directRead(bot, t, 'full');
    if (i < WARMUP_RUNS) continue;
    first.push(a.firstCardMs);
    rssBefore.push(before);
    rssPeak.push(peakRss);
    update.push(a.updateMs ?? Number.NaN);
    firstIds.add(a.firstDiagnosisId);
    updateIds.add(a.updateDiagnosisId);
    baseTail.push(tail.ms);
    baseFull.push(full.ms);
    bytes = full.bytes;
  }
  const f = summarize(first);
  const u = summarize(update);
  const bt = summarize(baseTail);
  const bf = summarize(baseFull);
  const ratio = round(f.p50Ms / bt.p50Ms, 2);
  const answer: BenchmarkResult = {
    benchmark: 'answer-200mb',
    ours: {
      what: 'POST /api/messages → first card (from the log tail), then the same card updated after the full scan',
      template: t.name,
      logBytes: bytes,
      firstCard: { ...f, diagnosisIds: [...firstIds] },
      fullScanUpdate: { ...u, diagnosisIds: [...updateIds] },
    },
    baseline: {
      what: 'templates.get + logs.locate, then logs.tail (tail) or logs.stream drained (full), through src/azure',
      tail: bt,
      full: bf,
      fullScanRatio: round(u.p50Ms / bf.p50Ms, 2),
    },
    ratio,
    unit: 'p50 ms, first card ÷ direct tail read (lower is better)',
    target: { text: `first card p95 < ${FIRST_CARD_LIMIT_MS} ms, full-scan update after it`, met: f.p95Ms < FIRST_CARD_LIMIT_MS && u.p50Ms > f.p50Ms },
    machine,
  };
  const peakMiB = Math.max(...rssPeak) / MiB;
  const growthMiB = Math.max(...rssPeak.map((p, i) => p - rssBefore[i]!)) / MiB;
  const fullScan: BenchmarkResult = {
    benchmark: 'full-scan-200mb-in-bot',
    ours: {
      what: 'the bot reading and scanning the whole 200 MB log after its first card, in the bot process (sandbox in its own)',
      logBytes: bytes,
      fullScanUpdate: u,
      peakRssMiB: round(peakMiB),
      // Over the RSS just before the question: what one full scan costs the bot in memory.
      peakRssGrowthMiB: round(growthMiB),
      rssBeforeMiB: round(Math.max(...rssBefore) / MiB),
      rssSampledEveryMs: RSS_SAMPLE_MS,
      processMaxRssMiB: round(process.resourceUsage().maxRSS / 1024),
    },
    baseline: { what: 'templates.get + logs.locate + logs.stream drained (the bare download, no scan), through src/azure', full: bf },
    ratio: round(u.p50Ms / bf.p50Ms, 2),
    unit: 'p50 ms, full-scan update ÷ bare download (lower is better)',
    machine,
  };
  return [answer, fullScan];
}

async function directRead(bot: BotUnderTest, t: AnswerTemplate, read: 'tail' | 'full'): Promise<{ ms: number; bytes: number }> {
  const { templates, logs } = bot.gateways;
  const started = performance.now();
  const template = await templates.get(t.resourceGroup, t.name);
  const location = await logs.locate(template);
  const chunks = read === 'tail' ? (await logs.tail(location, bot.config.logTailBytes)).chunks : (await logs.stream(location, { maxBytes: bot.config.logMaxBytes })).chunks;
  const bytes = await drain(chunks);
  return { ms: performance.now() - started, bytes };
}

/** The two use cases behind an answer, timed apart: name → template (a listing), then log read + scan + classify. */
// One locator for the whole benchmark, as the bot keeps one for its lifetime.
const locators = new WeakMap<object, TemplateLocator>();

async function useCasePhases(bot: BotUnderTest, t: AnswerTemplate): Promise<{ resolveMs: number; diagnoseMs: number }> {
  const started = performance.now();
  let locator = locators.get(bot.gateways);
  if (!locator) locators.set(bot.gateways, (locator = new TemplateLocator(bot.gateways)));
  const found = await locator.resolve(t.name);
  const resolved = performance.now();
  if (found.kind !== 'found') throw new Error(`bench: ${t.name} did not resolve to one template (${found.kind})`);
  await diagnoseFetchedTemplate(bot.gateways, found.template, { read: 'tail', tailBytes: bot.config.logTailBytes, maxBytes: bot.config.logMaxBytes });
  return { resolveMs: resolved - started, diagnoseMs: performance.now() - resolved };
}
