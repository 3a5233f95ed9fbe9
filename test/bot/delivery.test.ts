import type { Activity } from 'botbuilder';
import type { AzureGateways } from '../../src/azure';
import { t } from '../../src/i18n';
import { ALICE, fakeBot, type FakeBot } from './helpers/fake-bot';
import { id, seededAzure, type SeededAzure } from './helpers/seeded-azure';

// How cards go out (issue 16, the small things): every card activity carries a `summary` (the chat list and
// notifications show it instead of "Sent a card"), including the updates of a card; and no typing activity in a
// channel, where Teams shows none and the Agents Playground drops the reply that follows one; elsewhere only for an
// answer that takes longer than the typing delay.

let azure: SeededAzure;
let bot: FakeBot;
beforeAll(async () => {
  azure = await seededAzure();
});
beforeEach(() => {
  bot = fakeBot({ gateways: azure.gateways, tailBytes: 1024, maxBytes: 512 * 1024 * 1024 });
});
afterEach(() => bot.idle());

const BOT = { id: '28:bot', name: 'AIB Bot' };
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

function channelMessage(text: string, thread: string): Partial<Activity> {
  const mention = `<at>${BOT.name}</at>`;
  return {
    type: 'message',
    text: `${mention} ${text}`,
    recipient: BOT,
    conversation: { id: thread, conversationType: 'channel', isGroup: true, tenantId: TENANT } as never,
    entities: [{ type: 'mention', text: mention, mentioned: BOT }],
    channelData: { tenant: { id: TENANT }, team: { id: '19:team@thread.tacv2' }, channel: { id: thread.split(';')[0] } },
  };
}

const cardsOf = (sent: Partial<Activity>[]) => sent.filter((a) => a.attachments?.length);

describe('summary', () => {
  test.each([
    ['the diagnosis', 'why did template win2019-minimal fail?'],
    ['the status', 'status of win2022-running'],
    ['the list', 'list failed templates in resource group aib-sandbox'],
    ['the log', 'show the log of win2016-wu'],
    ['help', 'help'],
    ['an error', 'why did template no-such-template-anywhere fail?'],
  ])('%s card says what it is in its summary', async (_what, text) => {
    const sent = cardsOf(await bot.send({ type: 'message', text }, ALICE, `a:summary-${text}`));
    expect(sent.length).toBeGreaterThan(0);
    for (const a of sent) {
      expect(typeof a.summary).toBe('string');
      expect(a.summary!.length).toBeGreaterThan(0);
      expect(a.summary!.length).toBeLessThanOrEqual(200);
      // The summary is the card's own fallback text: what a client that cannot render the card shows.
      expect(a.summary).toBe(String((a.attachments![0].content as { fallbackText: string }).fallbackText).trim());
    }
  });

  test('the diagnosis card’s summary names the template and the failure', async () => {
    const [card] = cardsOf(await bot.send({ type: 'message', text: 'why did template win2019-minimal fail?' }, ALICE, 'a:summary-diag'));
    expect(card.summary).toContain('win2019-minimal');
    expect(card.summary).toContain(t('en', 'card.diagnosis.heading', { name: 'win2019-minimal' }));
  });

  test('a card updated after the turn (the full scan, a followed build) keeps a summary', async () => {
    await bot.send({ type: 'message', text: 'why did template ubuntu2204-biglog fail?' }, ALICE, 'a:summary-update');
    await bot.press('rerun', { templateId: id('win2019-wu-d1') }, ALICE, 'a:summary-update');
    await bot.idle();
    expect(bot.updates.length).toBeGreaterThan(0);
    for (const u of bot.updates) expect(u.summary).toEqual(expect.any(String));
  });

  test('a card answer to an old client’s Action.Submit carries one too', async () => {
    const sent = cardsOf(await bot.send({ type: 'message', value: { verb: 'status', templateId: id('win2022-running') } }, ALICE, 'a:summary-submit'));
    expect(sent.length).toBeGreaterThan(0);
    for (const a of sent) expect(a.summary).toEqual(expect.any(String));
  });
});

describe('typing', () => {
  test('no typing activity before a diagnosis in a channel; the card still comes, in the thread', async () => {
    const thread = '19:images@thread.tacv2;messageid=1764671000001';
    const sent = await bot.send(channelMessage('why did template win2019-minimal fail?', thread));
    expect(sent.filter((a) => a.type === 'typing')).toEqual([]);
    const cards = cardsOf(sent);
    expect(cards).toHaveLength(1);
    expect(cards[0].conversation!.id).toBe(thread);
  });

  test('an answer slower than the delay gets the indicator first; Azure is read meanwhile; a refused indicator loses nothing', async () => {
    let readBeforeTyping: boolean | undefined;
    let reading = false;
    const slow = fakeBot({
      typingDelayMs: 10,
      beforeSend: async (a) => {
        if (a.type !== 'typing') return;
        readBeforeTyping = reading;
        throw new Error('connector: 502 Bad Gateway');
      },
    });
    const find = slow.templates.findByName.bind(slow.templates);
    slow.templates.findByName = async (...args) => {
      reading = true;
      await sleep(200);
      return find(...args);
    };
    const sent = await slow.send({ type: 'message', text: 'why did template win2022-base fail?' }, ALICE, 'a:typing-slow');
    expect(readBeforeTyping).toBe(true);
    const cards = cardsOf(sent);
    expect(cards).toHaveLength(1);
    expect(JSON.stringify(cards[0].attachments![0].content)).toContain('win2022-base');
  });

  test('a slow answer in a personal chat: the indicator, then the card', async () => {
    const slow = fakeBot({ gateways: withSlowFind(azure.gateways, 200), typingDelayMs: 10 });
    const sent = await slow.send({ type: 'message', text: 'why did template win2019-minimal fail?' }, ALICE, 'a:typing-personal');
    expect(sent.map((a) => a.type)).toEqual(['typing', 'message']);
    await slow.idle();
  });

  test('an answer sooner than the delay comes alone, and no indicator follows it', async () => {
    const typed: string[] = [];
    const quick = fakeBot({ gateways: azure.gateways, typingDelayMs: 50, beforeSend: async (a) => void typed.push(a.type ?? '') });
    const sent = await quick.send({ type: 'message', text: 'why did template win2019-minimal fail?' }, ALICE, 'a:typing-quick');
    expect(sent.map((a) => a.type)).toEqual(['message']);
    await sleep(100);
    expect(typed).toEqual(['message']);
    await quick.idle();
  });
});

/** The same gateways, with a name lookup that takes `ms` (the first question of a bot lists templates). */
function withSlowFind(gateways: AzureGateways, ms: number): AzureGateways {
  const find = gateways.templates.findByName;
  const templates: AzureGateways['templates'] = Object.assign(Object.create(gateways.templates), {
    findByName: async (...args: Parameters<typeof find>) => {
      await sleep(ms);
      return find(...args);
    },
  });
  return { ...gateways, templates };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
