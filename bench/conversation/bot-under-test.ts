import { performance } from 'node:perf_hooks';
import { createAzureGateways, type AzureGateways } from '../../src/azure';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig, type AppConfig } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { ALL_SCENARIOS } from '../../src/sandbox/scenarios';
import type { ScenarioInfo } from '../../src/sandbox/contract';
import { scenarioInfo } from '../../src/sandbox/seed';
import { activity, cardActions } from '../../test/conversation/helpers/bot-harness';
import { startCaptureServer, type Captured, type CaptureServer } from '../../test/conversation/helpers/capture-server';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process';

// The bot as `npm start` runs it against a sandbox started by `aib-chatops sandbox` in another process (default
// configuration: 1 MiB tail, production retry and polling settings, big logs seeded), a capture server standing in
// for the Teams connector, and a second set of gateways built from the same target for the baseline: the Azure
// calls alone, without the bot around them. With the sandbox out of this process, this process's CPU, event loop
// and memory are the bot's (and the small capture server's).

export interface BotUnderTest {
  app: RunningApp;
  capture: CaptureServer;
  config: AppConfig;
  /** Gateways of their own, same target and options as the bot's: the baseline's direct calls. */
  gateways: AzureGateways;
  sandbox: SandboxProcess;
  /** The seeded templates, as the sandbox process seeded them. */
  scenarios: ScenarioInfo[];
  /** Sends "why did template X fail" in a new conversation; resolves when the first card arrives. */
  ask(name: string, options?: { waitForUpdate?: boolean; timeoutMs?: number }): Promise<Answer>;
  /** Sends `text` as typed (or pasted) in a new conversation; resolves when the first card (or, with
   * `anyReply`, the first message of any kind) arrives. */
  say(text: string, options?: { waitForUpdate?: boolean; timeoutMs?: number; anyReply?: boolean }): Promise<Answer>;
  stop(): Promise<void>;
}

export interface Answer {
  conversationId: string;
  status: number;
  /** Milliseconds from sending the POST to the first card reaching the capture server. */
  firstCardMs: number;
  /** Milliseconds from sending the POST to the card's update (the full-scan answer), when one was awaited. */
  updateMs?: number;
  firstDiagnosisId?: string;
  /** False when the first reply was plain text (only possible with `anyReply`). */
  firstWasCard?: boolean;
  updateDiagnosisId?: string;
}

export async function startBotUnderTest(log: (m: string) => void): Promise<BotUnderTest> {
  const started = performance.now();
  const sandbox = await startSandboxProcess(log);
  log(`conversation: sandbox up and seeded (big logs included) in ${Math.round(performance.now() - started)} ms`);
  let capture: CaptureServer | undefined;
  try {
    capture = await startCaptureServer();
    // PORT 1 only satisfies the schema; the app listens on an ephemeral port. The sandbox's env makes it external.
    const config = loadConfig({ PORT: '1', LOG_LEVEL: 'error', ...sandbox.info.env });
    const app = await startApp({ ...config, port: 0 }, { logger: silentLogger, host: '127.0.0.1' });
    if (app.sandbox) throw new Error('bench: the app started an embedded sandbox instead of using the sandbox process');
    return botAround(app, capture, config, sandbox);
  } catch (e) {
    await capture?.close();
    await sandbox.stop();
    throw e;
  }
}

function botAround(app: RunningApp, capture: CaptureServer, config: AppConfig, sandbox: SandboxProcess): BotUnderTest {
  const gateways = createAzureGateways(config.azure);
  const post = async (body: Record<string, unknown>): Promise<number> => {
    const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await res.arrayBuffer();
    return res.status;
  };

  const say: BotUnderTest['say'] = async (text, options = {}) => {
    const act = activity(text, capture);
    const conversationId = (act.conversation as { id: string }).id;
    const timeoutMs = options.timeoutMs ?? 60000;
    const isCard = (c: Captured) => c.conversationId === conversationId && !!c.activity.attachments?.length;
    const isReply = (c: Captured) => c.conversationId === conversationId && c.activity.type === 'message';
    const started = performance.now();
    const first = capture.waitFor((c) => (options.anyReply ? isReply(c) : isCard(c)) && c.method === 'POST', 1, timeoutMs).then((hits) => ({ at: performance.now(), card: hits[0] }));
    const update = options.waitForUpdate
      ? capture.waitFor((c) => isCard(c) && c.method === 'PUT', 1, timeoutMs).then((hits) => ({ at: performance.now(), card: hits[0] }))
      : undefined;
    // Nobody awaits these when the POST fails; keep their timeouts from becoming unhandled rejections.
    first.catch(() => undefined);
    update?.catch(() => undefined);
    const status = await post(act);
    if (status >= 300) return { conversationId, status, firstCardMs: Number.NaN };
    const f = await first;
    const u = update ? await update : undefined;
    return {
      conversationId,
      status,
      firstCardMs: f.at - started,
      updateMs: u ? u.at - started : undefined,
      firstDiagnosisId: diagnosisIdOf(f.card),
      firstWasCard: !!f.card.activity.attachments?.length,
      updateDiagnosisId: u ? diagnosisIdOf(u.card) : undefined,
    };
  };

  return {
    app,
    capture,
    config,
    gateways,
    sandbox,
    scenarios: ALL_SCENARIOS.map(scenarioInfo),
    say,
    ask: (name, options) => say(`why did template ${name} fail`, options),
    stop: async () => {
      await app.idle();
      await app.stop();
      await capture.close();
      await sandbox.stop();
    },
  };
}

/** The catalog id a diagnosis card is about (its actions carry it); undefined for any other card. */
function diagnosisIdOf(c: Captured): string | undefined {
  const card = c.activity.attachments?.[0]?.content;
  return cardActions(card).find((a) => typeof a.data?.diagnosisId === 'string')?.data.diagnosisId;
}

/** Reads a whole async iterable of chunks, returning the byte count (the baseline reads what the bot reads). */
export async function drain(chunks: AsyncIterable<Buffer>): Promise<number> {
  let n = 0;
  for await (const c of chunks) n += c.length;
  return n;
}
