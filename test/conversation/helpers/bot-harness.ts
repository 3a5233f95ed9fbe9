import { randomUUID } from 'node:crypto';
import { startApp, type RunningApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { createLogger, silentLogger } from '../../../src/logger';
import { startCaptureServer, type Captured, type CaptureServer } from './capture-server';

export { cardActions, cardText } from '../../bot/helpers/card-reading';

// The bot as users run it (startApp, embedded sandbox), driven over HTTP with real Activity JSON, replies captured.

export interface Harness {
  app: RunningApp;
  capture: CaptureServer;
  /** POSTs an activity to /api/messages and returns the HTTP status and parsed body. */
  post(activity: Record<string, unknown>): Promise<{ status: number; body: any }>;
  /** Sends a message and waits for `cards` adaptive-card replies in that conversation. */
  ask(text: string, options?: AskOptions): Promise<{ conversationId: string; replies: Captured[]; cards: any[] }>;
  invoke(verb: string, data: Record<string, unknown>, options?: AskOptions): Promise<{ status: number; body: any; conversationId: string }>;
  /**
   * What the person sees after the click: the card replacing the clicked one, or else the first card the turn posted
   * as a new reply (rerun and the support form answer that way, leaving the clicked card as it was).
   */
  answer(verb: string, data: Record<string, unknown>, options?: AskOptions): Promise<{ value: any; inReply: boolean }>;
  stop(): Promise<void>;
}

export interface AskOptions {
  locale?: string;
  conversationType?: 'personal' | 'groupChat' | 'channel';
  conversationId?: string;
  cards?: number;
  user?: { id: string; name: string; aadObjectId: string };
  /** The card a button was clicked on (Teams sets replyToId on adaptiveCard/action invokes). */
  replyToId?: string;
}

export const BOT = { id: '28:aib-chatops-bot', name: 'AIB Bot' };
export const ALICE = { id: '29:alice-mri', name: 'Alice Example', aadObjectId: '6a1f0c3e-1b2d-4c5e-8f90-a1b2c3d4e5f6' };
export const BOB = { id: '29:bob-mri', name: 'Bob Example', aadObjectId: '0b0b0b0b-1b2d-4c5e-8f90-a1b2c3d4e5f6' };
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

export function activity(text: string | undefined, capture: CaptureServer, options: AskOptions = {}): Record<string, unknown> {
  const type = options.conversationType ?? 'personal';
  const conversationId = options.conversationId ?? (type === 'channel' ? `19:${randomUUID()}@thread.tacv2;messageid=1` : `a:${randomUUID()}`);
  const mention = type === 'personal' ? undefined : `<at>${BOT.name}</at>`;
  return {
    type: 'message',
    id: `in-${randomUUID()}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: capture.serviceUrl,
    locale: options.locale ?? 'en-US',
    text: text === undefined ? undefined : mention ? `${mention} ${text}` : text,
    from: options.user ?? ALICE,
    recipient: BOT,
    conversation: { id: conversationId, conversationType: type, tenantId: TENANT, isGroup: type !== 'personal' },
    channelData: { tenant: { id: TENANT }, ...(type === 'channel' ? { team: { id: '19:team@thread.tacv2' }, channel: { id: conversationId.split(';')[0] } } : {}) },
    entities: mention ? [{ type: 'mention', text: mention, mentioned: BOT }] : [],
    ...(options.replyToId ? { replyToId: options.replyToId } : {}),
  };
}

export async function startHarness(options: { bigLog?: boolean; stepMs?: number; env?: Record<string, string> } = {}): Promise<Harness> {
  const capture = await startCaptureServer();
  const config = loadConfig({ PORT: '1', AIB_LOG_TAIL_BYTES: String(256 * 1024), ...options.env });
  const app = await startApp(
    { ...config, port: 0 },
    {
      logger: process.env.AIB_TEST_LOG ? createLogger('debug') : silentLogger,
      host: '127.0.0.1',
      sandbox: { bigLog: options.bigLog ?? false, stepMs: options.stepMs ?? 50 },
      gatewayOptions: { tuning: { retryDelayMs: 10, maxRetryDelayMs: 50, pollIntervalMs: 20 } },
      // Tests change the sandbox's faults between probes; the /readyz cache has its own test (finding-09).
      readyCacheMs: 0,
    },
  );
  const post = async (body: Record<string, unknown>) => {
    const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed };
  };
  return {
    app,
    capture,
    post,
    ask: async (text, o = {}) => {
      const act = activity(text, capture, o);
      const conversationId = (act.conversation as { id: string }).id;
      const res = await post(act);
      if (res.status >= 300) throw new Error(`POST /api/messages answered ${res.status}: ${JSON.stringify(res.body)}`);
      const replies = await capture.waitFor((c) => c.conversationId === conversationId && c.method === 'POST' && !!c.activity.attachments?.length, o.cards ?? 1);
      return { conversationId, replies, cards: replies.map((r) => r.activity.attachments[0].content) };
    },
    invoke: async (verb, data, o = {}) => {
      const act = activity(undefined, capture, o);
      const res = await post({ ...act, type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } });
      return { ...res, conversationId: (act.conversation as { id: string }).id };
    },
    answer: async (verb, data, o = {}) => {
      const before = capture.received.length;
      const act = activity(undefined, capture, o);
      const conversationId = (act.conversation as { id: string }).id;
      const res = await post({ ...act, type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } });
      const body = res.body as { type?: string; value?: unknown } | undefined;
      if (body?.type === 'application/vnd.microsoft.card.adaptive') return { value: body.value, inReply: false };
      // The reply is posted during the invoke turn, so it has arrived by the time the invoke is answered.
      const reply = capture.received.slice(before).find((c) => c.conversationId === conversationId && c.method === 'POST' && !!c.activity.attachments?.length);
      return reply ? { value: reply.activity.attachments[0].content, inReply: true } : { value: body?.value, inReply: false };
    },
    stop: async () => {
      await app.idle();
      await app.stop();
      await capture.close();
    },
  };
}
