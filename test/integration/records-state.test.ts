import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { BotState, createBotStorage, type CardRef, type PendingConfirmation } from '../../src/bot/state';
import type { RecordStoreTarget } from '../../src/azure/records';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { stateContainerTarget } from './helpers/azure-sandbox';

// Bot state in BlobsStorage on the sandbox's Azurite: what one process saved, a freshly started one reads back, and
// a pending confirmation is handed out once however many instances ask for it at the same moment.

let sb: Sandbox;
let nextTarget: () => RecordStoreTarget;
const target = (): RecordStoreTarget => nextTarget();

const TEMPLATE = '/subscriptions/00000000-0000-4000-8000-00000000a1b0/resourceGroups/aib-sandbox/providers/Microsoft.VirtualMachineImages/imageTemplates/win2022-base';
const CHANNEL = '19:images@thread.tacv2;messageid=1700000000000';

const pending = (id: string): PendingConfirmation => ({
  id,
  action: 'rerun',
  templateId: TEMPLATE,
  parameters: {},
  requestedBy: { name: 'Alice', aadObjectId: '6a1f0c3e-1b2d-4c5e-8f90-a1b2c3d4e5f6' },
  requestedAt: '2026-11-21T10:00:00.000Z',
  conversationId: CHANNEL,
  cardActivityId: 'act-1',
  snapshot: { runState: 'Failed', startTime: '2026-11-21T09:00:00Z' },
});

const card = (activityId: string, purpose: CardRef['purpose']): CardRef => ({
  activityId,
  templateId: TEMPLATE,
  purpose,
  conversation: { conversation: { id: CHANNEL, isGroup: true, conversationType: 'channel', name: '' }, serviceUrl: 'https://smba.trafficmanager.net/emea/' },
});

beforeAll(async () => {
  sb = await startSandbox({ stepMs: 50, bigLog: false });
  nextTarget = stateContainerTarget(sb, 'bot-state');
});
afterAll(async () => {
  await sb?.stop();
});

test('a restart loses nothing: a new BotState over a new storage on the same container reads it all back', async () => {
  const t = target();
  const before = new BotState(await createBotStorage(t));
  const ref = { conversation: { id: CHANNEL, isGroup: true, conversationType: 'channel', name: '', tenantId: 't1' }, serviceUrl: 'https://smba.trafficmanager.net/emea/', channelId: 'msteams', bot: { id: '28:bot', name: 'AIB Bot' } };
  await before.savePending(pending('p1'));
  await before.saveCardRef(card('a1', 'diagnosis'));
  await before.saveCardRef(card('a2', 'progress'));
  await before.saveConversationRef(ref);

  const after = new BotState(await createBotStorage(t));
  expect(await after.getPending(CHANNEL, 'p1')).toEqual(pending('p1'));
  expect((await after.cardRefs(TEMPLATE)).map((r) => [r.activityId, r.purpose])).toEqual([
    ['a1', 'diagnosis'],
    ['a2', 'progress'],
  ]);
  expect(await after.conversationRef(CHANNEL)).toEqual(ref);
  expect(await after.takePending(CHANNEL, 'p1')).toEqual(pending('p1'));
  expect(await new BotState(await createBotStorage(t)).takePending(CHANNEL, 'p1')).toBeUndefined();
});

test('10 instances take the same confirmation at once: exactly one gets it', async () => {
  const t = target();
  await new BotState(await createBotStorage(t)).savePending(pending('p2'));
  const instances = await Promise.all(Array.from({ length: 10 }, async () => new BotState(await createBotStorage(t))));
  const results = await Promise.all(instances.map((s) => s.takePending(CHANNEL, 'p2')));
  expect(results.filter(Boolean)).toEqual([pending('p2')]);
});

test('card references saved by several instances at once all survive (eTag retries)', async () => {
  const t = target();
  await new BotState(await createBotStorage(t)).saveCardRef(card('first', 'diagnosis'));
  const instances = await Promise.all(Array.from({ length: 5 }, async () => new BotState(await createBotStorage(t))));
  await Promise.all(instances.map((s, i) => s.saveCardRef(card(`c${i}`, 'progress'))));
  const ids = (await instances[0].cardRefs(TEMPLATE)).map((r) => r.activityId).sort();
  expect(ids).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'first']);
});

test('createBotStorage creates the container and keeps the key out of what it stores', async () => {
  const t = target();
  const state = new BotState(await createBotStorage(t));
  await state.savePending(pending('p3'));
  const container = new BlobServiceClient(sb.stateStorage.url, new StorageSharedKeyCredential(sb.stateStorage.account, sb.stateStorage.key)).getContainerClient(t.container);
  expect(await container.exists()).toBe(true);
  const names: string[] = [];
  for await (const b of container.listBlobsFlat()) names.push(b.name);
  expect(names).toEqual([expect.stringMatching(/^pending-[0-9a-f]{40}$/)]);
  const body = (await container.getBlobClient(names[0]).downloadToBuffer()).toString('utf8');
  expect(body).not.toContain(sb.stateStorage.key);
});

test('an unreachable state store fails createBotStorage with a typed error', async () => {
  const t = { ...target(), url: 'http://127.0.0.1:1/aibchatopsstate' };
  await expect(createBotStorage(t)).rejects.toMatchObject({ name: 'AzureGatewayError', code: 'service-unavailable' });
});
