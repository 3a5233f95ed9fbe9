import { MemoryStorage, type CloudAdapter } from 'botbuilder';
import { BotState } from '../../src/bot/state';
import { notificationPoster, sendFailureOf, subscriptionSource } from '../../src/bot/notifications';
import { t } from '../../src/i18n';
import { silentLogger } from '../../src/logger';
import type { DetectedEvent } from '../../src/watch/pass';
import { cardActions, cardText } from '../bot/helpers/card-reading';
import { memoryAudit } from '../bot/helpers/fake-bot';
import { seededAzure } from '../bot/helpers/seeded-azure';
import { scanLog, type EvidenceSource } from '../../src/diagnosis';
import { MAIN_RESOURCE_GROUP } from '../../src/sandbox/constants';
import { ScanPool } from '../../src/usecases/scan-pool';

// The chat side of the notifier without a Bot Framework: the digest is a card, a botbuilder send error reads as the
// delivery policy needs it, and a dropped conversation loses its subscriptions with an audit line.

const conversationId = '19:channel@thread.tacv2';
const id = (name: string) => `/subscriptions/s/resourceGroups/rg-images/providers/Microsoft.VirtualMachineImages/imageTemplates/${name}`;
const event = (name: string): DetectedEvent =>
  ({ event: { outcome: 'Failed', templateId: id(name), templateName: name, runKey: 'run:x', runStart: '2026-12-02T10:00:00.000Z' }, template: { id: id(name), name } }) as unknown as DetectedEvent;

async function setup() {
  const state = new BotState(new MemoryStorage());
  await state.saveConversationRef({ conversation: { id: conversationId, conversationType: 'channel' } as never, serviceUrl: 'https://smba.example' });
  await state.saveSubscription({ conversationId, outcomes: 'failures', locale: 'fr-FR', at: '2026-12-02T09:00:00Z' });
  const sent: any[] = [];
  const adapter = {
    continueConversationAsync: async (_appId: string, _ref: unknown, logic: (ctx: unknown) => Promise<void>) =>
      logic({ sendActivity: async (a: unknown) => (sent.push(a), { id: `m${sent.length}` }) }),
  } as unknown as CloudAdapter;
  const audit = memoryAudit();
  const deps = { state, audit, adapter, appId: '', gateways: {} as never, tailBytes: 1024, maxBytes: 4096, logger: silentLogger, digestWindowMs: 10 * 60_000 };
  return { state, sent, audit, deps, poster: notificationPoster(deps), source: subscriptionSource(deps) };
}

test('the digest is one card in the subscriber’s language, a Diagnose button per failure', async () => {
  const { poster, sent } = await setup();
  await poster.postDigest(conversationId, [event('a'), event('b'), event('c')]);
  expect(sent).toHaveLength(1);
  const card = sent[0].attachments[0].content;
  expect(cardText(card)).toContain(t('fr-FR', 'watch.digestHeading', { count: 3, minutes: 10 }));
  expect(cardActions(card).filter((a) => a.verb === 'diagnose').map((a) => a.data.templateId)).toEqual([id('a'), id('b'), id('c')]);
});

test('botbuilder send errors: 403 roster, 429 with Retry-After, 503; anything else is not a send failure', () => {
  const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n.toLowerCase()] });
  expect(sendFailureOf(Object.assign(new Error('Forbidden'), { statusCode: 403, body: { error: { code: 'BotNotInConversationRoster' } } }))).toEqual({
    status: 403,
    code: 'BotNotInConversationRoster',
    retryAfterMs: undefined,
  });
  expect(sendFailureOf(Object.assign(new Error('Too Many Requests'), { statusCode: 429, response: { headers: headers({ 'retry-after': '7' }) } }))).toEqual({ status: 429, code: undefined, retryAfterMs: 7000 });
  // A Retry-After that is not a number reads as none (the policy then backs off on its own).
  expect(sendFailureOf(Object.assign(new Error('x'), { statusCode: 429, response: { headers: headers({ 'retry-after': 'soon' }) } }))?.retryAfterMs).toBeUndefined();
  expect(sendFailureOf(Object.assign(new Error('x'), { statusCode: 503 }))?.status).toBe(503);
  expect(sendFailureOf(new TypeError('bug'))).toBeUndefined();
  expect(sendFailureOf(undefined)).toBeUndefined();
});

test('a conversation without a stored reference is gone: the poster says so, and drop() ends its subscriptions with an audit line', async () => {
  const { poster, source, state, audit } = await setup();
  const error = await poster.post(event('a'), 'a:unknown').catch((e: unknown) => e);
  expect(poster.failureOf(error)).toEqual({ status: 404, code: 'ConversationNotFound' });
  await source.drop(conversationId, 'BotNotInConversationRoster');
  expect(await state.subscriptions()).toEqual([]);
  expect(audit.records).toEqual([expect.objectContaining({ action: 'unsubscribe', conversationId, detail: 'dropped: BotNotInConversationRoster' })]);
});

test('a notification’s full scan runs in the scan pool’s workers, from what the tail read found (one locate)', async () => {
  const azure = await seededAzure();
  const template = await azure.gateways.templates.get(MAIN_RESOURCE_GROUP, 'win2019-minimal');
  let locates = 0;
  const logs = { ...azure.gateways.logs, locate: (tpl: Parameters<typeof azure.gateways.logs.locate>[0]) => (locates++, azure.gateways.logs.locate(tpl)) };
  const lanes: string[] = [];
  const recording = (lane: string) => (chunks: AsyncIterable<Buffer>, source?: EvidenceSource) => (lanes.push(lane), scanLog(chunks, source));
  const background: Promise<unknown>[] = [];
  const { deps, sent } = await setup();
  const poster = notificationPoster({ ...deps, gateways: { ...azure.gateways, logs }, tailBytes: 2048, maxBytes: 64 * 1024 * 1024, scans: new ScanPool(1, recording('workers')), track: (w) => void background.push(w) });
  await poster.post({ ...event('win2019-minimal'), template } as DetectedEvent, conversationId);
  await Promise.all(background);
  expect(sent).toHaveLength(1);
  expect(lanes).toEqual(['workers']);
  expect(locates).toBe(1);
});
