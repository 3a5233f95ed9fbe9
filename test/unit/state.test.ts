import { MemoryStorage, type Storage, type StoreItems } from 'botbuilder';
import { BotState, MAX_CARD_REFS, type CardRef, type PendingConfirmation } from '../../src/bot/state';

const TEMPLATE = '/subscriptions/00000000-0000-4000-8000-00000000a1b0/resourceGroups/aib-sandbox/providers/Microsoft.VirtualMachineImages/imageTemplates/win2022-base';
const CHANNEL = '19:images@thread.tacv2;messageid=1700000000000';

function pending(id: string, conversationId = CHANNEL): PendingConfirmation {
  return {
    id,
    action: 'delete-template',
    templateId: TEMPLATE,
    parameters: { deleteStaging: true },
    requestedBy: { name: 'Alice', aadObjectId: '6a1f0c3e-1b2d-4c5e-8f90-a1b2c3d4e5f6' },
    requestedAt: '2026-11-21T10:00:00.000Z',
    conversationId,
    cardActivityId: 'act-1',
    snapshot: { runState: 'Failed', startTime: '2026-11-21T09:00:00Z', provisioningState: 'Succeeded', etag: undefined },
  };
}

function card(activityId: string, purpose: CardRef['purpose'] = 'diagnosis', conversationId = CHANNEL): CardRef {
  return { activityId, templateId: TEMPLATE, purpose, conversation: { conversation: { id: conversationId, isGroup: true, conversationType: 'channel', name: '' }, serviceUrl: 'https://smba.example/' } };
}

describe('pending confirmations', () => {
  test('saved, read back, then taken exactly once', async () => {
    const state = new BotState(new MemoryStorage());
    await state.savePending(pending('p1'));
    expect(await state.getPending(CHANNEL, 'p1')).toEqual(pending('p1'));
    expect(await state.takePending(CHANNEL, 'p1')).toEqual(pending('p1'));
    expect(await state.takePending(CHANNEL, 'p1')).toBeUndefined();
    expect(await state.getPending(CHANNEL, 'p1')).toBeUndefined();
  });

  test('the same id in another conversation is another confirmation', async () => {
    const state = new BotState(new MemoryStorage());
    await state.savePending(pending('p1', 'a:personal'));
    expect(await state.takePending(CHANNEL, 'p1')).toBeUndefined();
    expect(await state.takePending('a:personal', 'p1')).toMatchObject({ id: 'p1', conversationId: 'a:personal' });
  });

  test('two BotStates sharing one storage: concurrent takes hand it out once', async () => {
    const storage = new MemoryStorage();
    await new BotState(storage).savePending(pending('p2'));
    const takers = Array.from({ length: 10 }, () => new BotState(storage));
    const results = await Promise.all(takers.map((s) => s.takePending(CHANNEL, 'p2')));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  test('a take that loses the eTag race gets nothing, even though it read the item first', async () => {
    // Storage whose first conditional write is beaten by a rival who took the item in between.
    const inner = new MemoryStorage();
    await new BotState(inner).savePending(pending('p3'));
    let rivalDone = false;
    const racing: Storage = {
      read: (keys) => inner.read(keys),
      delete: (keys) => inner.delete(keys),
      write: async (changes: StoreItems) => {
        if (!rivalDone) {
          rivalDone = true;
          expect(await new BotState(inner).takePending(CHANNEL, 'p3')).toMatchObject({ id: 'p3' });
        }
        return inner.write(changes);
      },
    };
    expect(await new BotState(racing).takePending(CHANNEL, 'p3')).toBeUndefined();
  });

  test('a taken confirmation leaves a tombstone without its parameters, and saving again reopens it', async () => {
    const storage = new MemoryStorage();
    const state = new BotState(storage);
    await state.savePending(pending('p4'));
    expect(await state.takePending(CHANNEL, 'p4')).toMatchObject({ id: 'p4' });
    const stored = Object.values(await storage.read(Object.keys((storage as unknown as { memory: Record<string, string> }).memory)));
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored[0])).not.toContain('deleteStaging');
    expect(await state.getPending(CHANNEL, 'p4')).toBeUndefined();
    await state.savePending(pending('p4'));
    expect(await state.takePending(CHANNEL, 'p4')).toMatchObject({ id: 'p4' });
  });

  test('storage failures other than a lost race surface to the caller', async () => {
    const inner = new MemoryStorage();
    const broken: Storage = { read: (k) => inner.read(k), delete: (k) => inner.delete(k), write: async () => Promise.reject(Object.assign(new Error('Server busy'), { statusCode: 503 })) };
    await new BotState(inner).savePending(pending('p5'));
    await expect(new BotState(broken).takePending(CHANNEL, 'p5')).rejects.toThrow('Server busy');
  });
});

describe('card references', () => {
  test('kept per template, case-insensitively, with the same activity replaced rather than repeated', async () => {
    const state = new BotState(new MemoryStorage());
    await state.saveCardRef(card('a1'));
    await state.saveCardRef(card('a2', 'progress'));
    await state.saveCardRef({ ...card('a1', 'confirmation'), templateId: TEMPLATE.toUpperCase() });
    const refs = await state.cardRefs(TEMPLATE);
    expect(refs.map((r) => [r.activityId, r.purpose])).toEqual([
      ['a2', 'progress'],
      ['a1', 'confirmation'],
    ]);
    expect(await state.cardRefs(TEMPLATE.replace('win2022-base', 'other'))).toEqual([]);
  });

  test('the same activity id in two conversations is two cards', async () => {
    const state = new BotState(new MemoryStorage());
    await state.saveCardRef(card('a1', 'diagnosis', 'a:one'));
    await state.saveCardRef(card('a1', 'diagnosis', 'a:two'));
    expect(await state.cardRefs(TEMPLATE)).toHaveLength(2);
  });

  test(`only the newest ${MAX_CARD_REFS} are kept`, async () => {
    const state = new BotState(new MemoryStorage());
    for (let i = 0; i < MAX_CARD_REFS + 5; i++) await state.saveCardRef(card(`a${i}`));
    const refs = await state.cardRefs(TEMPLATE);
    expect(refs).toHaveLength(MAX_CARD_REFS);
    expect(refs[0].activityId).toBe('a5');
    expect(refs[refs.length - 1].activityId).toBe(`a${MAX_CARD_REFS + 4}`);
  });

  test('concurrent saves from several instances all land', async () => {
    const storage = new MemoryStorage();
    await new BotState(storage).saveCardRef(card('first'));
    await Promise.all(Array.from({ length: 6 }, (_, i) => new BotState(storage).saveCardRef(card(`c${i}`))));
    const ids = (await new BotState(storage).cardRefs(TEMPLATE)).map((r) => r.activityId).sort();
    expect(ids).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'first']);
  });
});

describe('conversation references', () => {
  test('saved by conversation id and read back; a reference without one is refused', async () => {
    const state = new BotState(new MemoryStorage());
    const ref = { conversation: { id: CHANNEL, isGroup: true, conversationType: 'channel', name: '', tenantId: 't' }, serviceUrl: 'https://smba.example/', channelId: 'msteams' };
    await state.saveConversationRef(ref);
    expect(await state.conversationRef(CHANNEL)).toEqual(ref);
    expect(await state.conversationRef('a:unknown')).toBeUndefined();
    await expect(state.saveConversationRef({ serviceUrl: 'x' })).rejects.toMatchObject({ code: 'state-invalid' });
  });
});
