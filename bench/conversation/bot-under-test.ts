import { performance } from 'node:perf_hooks';
import { createAzureGateways, type AzureGateways } from '../../src/azure';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig, type AppConfig, type AzureTarget } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { activity, cardActions } from '../../test/conversation/helpers/bot-harness';
import { startCaptureServer, type Captured, type CaptureServer } from '../../test/conversation/helpers/capture-server';

// The bot as `npm start` runs it in sandbox mode (default configuration: 1 MiB tail, production retry and polling
// settings, big logs seeded), a capture server standing in for the Teams connector, and a second set of gateways
// built from the same target for the baseline: the Azure calls alone, without the bot around them.

export interface BotUnderTest {
  app: RunningApp;
  capture: CaptureServer;
  config: AppConfig;
  /** Gateways of their own, same target and options as the bot's: the baseline's direct calls. */
  gateways: AzureGateways;
  /** Sends "why did template X fail" in a new conversation; resolves when the first card arrives. */
  ask(name: string, options?: { waitForUpdate?: boolean; timeoutMs?: number }): Promise<Answer>;
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
  updateDiagnosisId?: string;
}

export async function startBotUnderTest(log: (m: string) => void): Promise<BotUnderTest> {
  const capture = await startCaptureServer();
  // PORT 1 only satisfies the schema; the app listens on an ephemeral port.
  const config = loadConfig({ PORT: '1', LOG_LEVEL: 'error' });
  const started = performance.now();
  const app = await startApp({ ...config, port: 0 }, { logger: silentLogger, host: '127.0.0.1', sandbox: { bigLog: true } });
  const sandbox = app.sandbox;
  if (!sandbox) throw new Error('bench: the app did not start an embedded sandbox (is AZURE_SUBSCRIPTION_ID or AIB_SANDBOX_* set?)');
  log(`conversation: bot and sandbox up in ${Math.round(performance.now() - started)} ms; waiting for the big logs`);
  await sandbox.ready;
  log(`conversation: big logs seeded after ${Math.round(performance.now() - started)} ms`);

  const target: AzureTarget = {
    ...config.azure,
    armEndpoint: sandbox.armEndpoint,
    blobEndpoint: sandbox.blobEndpoint,
    storageKey: sandbox.storageKey,
    subscriptionId: sandbox.subscriptionId,
  } as AzureTarget;
  const gateways = createAzureGateways(target);

  const post = async (body: Record<string, unknown>): Promise<number> => {
    const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await res.arrayBuffer();
    return res.status;
  };

  return {
    app,
    capture,
    config,
    gateways,
    ask: async (name, options = {}) => {
      const act = activity(`why did template ${name} fail`, capture);
      const conversationId = (act.conversation as { id: string }).id;
      const timeoutMs = options.timeoutMs ?? 60000;
      const isCard = (c: Captured) => c.conversationId === conversationId && !!c.activity.attachments?.length;
      const started = performance.now();
      const first = capture.waitFor((c) => isCard(c) && c.method === 'POST', 1, timeoutMs).then((hits) => ({ at: performance.now(), card: hits[0] }));
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
        updateDiagnosisId: u ? diagnosisIdOf(u.card) : undefined,
      };
    },
    stop: async () => {
      await app.idle();
      await app.stop();
      await capture.close();
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
