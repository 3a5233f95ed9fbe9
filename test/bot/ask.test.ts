import { catalogText, t, type Locale } from '../../src/i18n';
import { cardActions, cardText } from './helpers/card-reading';
import { fakeBot, type FakeBot } from './helpers/fake-bot';
import { seededAzure, type SeededAzure } from './helpers/seeded-azure';

// Every intent in every language on the fake channel, over the sandbox's seeded scenarios held in memory (moved
// from test/conversation/ask.test.ts; the HTTP suite keeps one ask and the Azure faults end to end). The reply
// language follows the activity's locale.

let azure: SeededAzure;
let bot: FakeBot;
beforeAll(async () => {
  azure = await seededAzure();
  bot = fakeBot({ gateways: azure.gateways, tailBytes: 256 * 1024, maxBytes: 512 * 1024 * 1024 });
});
afterEach(() => {
  azure.faults.length = 0;
});

const BOT = { id: '28:bot', name: 'AIB Bot' };
let channel = 0;

/** A message as Teams sends it: in a channel, the text starts with the bot's @mention. */
async function ask(text: string, options: { locale?: string; channel?: boolean } = {}): Promise<any[]> {
  const mention = `<at>${BOT.name}</at>`;
  const sent = await bot.send({
    type: 'message',
    locale: options.locale ?? 'en-US',
    text: options.channel ? `${mention} ${text}` : text,
    recipient: BOT,
    ...(options.channel
      ? {
          conversation: { id: `19:channel-${++channel}@thread.tacv2;messageid=1`, conversationType: 'channel', isGroup: true, tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' } as never,
          entities: [{ type: 'mention', text: mention, mentioned: BOT }],
          channelData: { tenant: { id: '72f988bf-86f1-41af-91ab-2d7cd011db47' }, team: { id: '19:team@thread.tacv2' } },
        }
      : {}),
  });
  return sent.filter((a) => a.attachments?.length).map((a) => a.attachments![0].content);
}

const LANGS: Array<{ locale: Locale; diagnose: string; status: string; list: string; log: string; help: string }> = [
  { locale: 'en', diagnose: 'why did template win2019-minimal fail?', status: 'status of win2022-running', list: 'list failed templates in resource group aib-sandbox', log: 'show the log of win2016-wu', help: 'help' },
  { locale: 'zh-CN', diagnose: '为什么模板 win2019-minimal 失败了？', status: 'win2022-running 的状态', list: '列出失败的模板', log: '显示 win2016-wu 的日志', help: '帮助' },
  { locale: 'pt-BR', diagnose: 'por que o template win2019-minimal falhou?', status: 'status do win2022-running', list: 'listar templates com falha no grupo de recursos aib-sandbox', log: 'mostrar o log de win2016-wu', help: 'ajuda' },
  { locale: 'it-IT', diagnose: 'perché il template win2019-minimal è fallito?', status: 'stato di win2022-running', list: 'elenca i template non riusciti', log: 'mostra il log di win2016-wu', help: 'aiuto' },
  { locale: 'fr-FR', diagnose: "pourquoi le modèle win2019-minimal a-t-il échoué ?", status: 'état de win2022-running', list: 'liste des modèles en échec dans le groupe de ressources aib-sandbox', log: 'affiche le journal de win2016-wu', help: 'aide' },
  { locale: 'ja-JP', diagnose: 'テンプレート win2019-minimal が失敗したのはなぜ？', status: 'win2022-running のステータス', list: '失敗したテンプレートを一覧表示', log: 'win2016-wu のログを見せて', help: 'ヘルプ' },
];

describe.each(LANGS)('$locale', (lang) => {
  test('why did X fail → the diagnosis card, in the asker’s language, with the catalog’s buttons', async () => {
    const cards = await ask(lang.diagnose, { locale: lang.locale });
    const text = cardText(cards[0]);
    expect(text).toContain('win2019-minimal');
    expect(text).toContain(catalogText(lang.locale, 'sysprep-timing').title);
    expect(text).toContain(catalogText(lang.locale, 'sysprep-timing').cause);
    expect(text).toContain("Cannot find any service with service name 'WindowsAzureGuestAgent'");
    const actions = cardActions(cards[0]).filter((a) => a.type === 'Action.Execute');
    expect(actions.map((a) => a.verb)).toEqual(expect.arrayContaining(['recreate-larger-vm', 'show-log']));
    expect(actions.every((a) => a.data.diagnosisId === 'sysprep-timing')).toBe(true);
    expect(actions.filter((a) => a.mode !== 'secondary').length).toBeLessThanOrEqual(3);
  });

  test('status of X → the status card', async () => {
    const cards = await ask(lang.status, { locale: lang.locale });
    const text = cardText(cards[0]);
    expect(text).toContain(t(lang.locale, 'card.status.heading', { name: 'win2022-running' }));
    expect(text).toContain(t(lang.locale, 'card.state.Running'));
    expect(text).toContain(t(lang.locale, 'card.state.Customizing'));
  });

  test('list failed templates → a list card with a Diagnose button per row', async () => {
    const cards = await ask(lang.list, { locale: lang.locale });
    const text = cardText(cards[0]);
    expect(text).toMatch(new RegExp(`${escape(t(lang.locale, 'card.list.headingFailed'))}|${escape(t(lang.locale, 'card.list.headingFailedGroup', { group: 'aib-sandbox' }))}`));
    const rows = cardActions(cards[0]).filter((a) => a.type === 'Action.Execute' && a.verb === 'diagnose');
    expect(rows.length).toBe(10);
    expect(cardActions(cards[0]).some((a) => a.verb === 'list' && a.data.offset === 10)).toBe(true);
    expect(rows.every((r) => /\/imageTemplates\//.test(r.data.templateId))).toBe(true);
    expect(text).not.toContain('ubuntu2204-ok'); // succeeded: not in a failed list
  });

  test('show the log of X → the decisive excerpt and where the log is, never a SAS token', async () => {
    const cards = await ask(lang.log, { locale: lang.locale });
    const text = cardText(cards[0]);
    expect(text).toContain(t(lang.locale, 'card.log.heading', { name: 'win2016-wu' }));
    expect(text).toContain('(1190)');
    expect(text).toContain('packerlogs');
    expect(JSON.stringify(cards[0])).not.toMatch(/sig=/);
  });

  test('help → what the bot can do', async () => {
    const cards = await ask(lang.help, { locale: lang.locale });
    expect(cardText(cards[0])).toContain(t(lang.locale, 'card.help.heading'));
  });

  test('a pasted error → its diagnosis', async () => {
    const pasted = [
      '2020-05-05T18:28:33.1595387Z template name:  t_1588703313152',
      '2020-05-05T18:28:52.9281282Z starting run template...',
      '2020-05-05T19:33:14.3923479Z ##[error]The operation was canceled.',
      '2020-05-05T19:33:14.3939721Z ##[section]Finishing: Azure VM Image Builder Task',
    ].join('\n');
    const cards = await ask(pasted, { locale: lang.locale });
    expect(cardText(cards[0])).toContain(catalogText(lang.locale, 'devops-task-canceled').title);
  });
});

describe('the reply follows the language the question was understood in', () => {
  test('a Japanese question from an en-US client gets a Japanese card, run states included', async () => {
    const cards = await ask('テンプレート win2019-minimal が失敗したのはなぜ？', { locale: 'en-US' });
    const text = cardText(cards[0]);
    expect(text).toContain(catalogText('ja-JP', 'sysprep-timing').title);
    expect(text).not.toContain(catalogText('en', 'sysprep-timing').title);
    expect(text).toContain(`${t('ja-JP', 'card.state.Failed')} · `);
    expect(text).not.toMatch(/\bFailed\b/);
  });

  test('a Japanese status question from an en-US client: 実行中, not Running', async () => {
    const text = cardText((await ask('win2022-running のステータス', { locale: 'en-US' }))[0]);
    expect(text).toContain(t('ja-JP', 'card.status.heading', { name: 'win2022-running' }));
    expect(text).toContain(t('ja-JP', 'card.state.Running'));
    expect(text).not.toMatch(/\bRunning\b/);
  });

  test('Han characters without kana from a Japanese client stay Japanese; from an English client they read as Chinese', async () => {
    expect(cardText((await ask('win2022-running 状态', { locale: 'en-US' }))[0])).toContain(t('zh-CN', 'card.status.heading', { name: 'win2022-running' }));
    expect(cardText((await ask('win2019-minimal 失敗 原因', { locale: 'ja-JP' }))[0])).toContain(catalogText('ja-JP', 'sysprep-timing').title);
  });

  test('words the client’s own language reads too keep the client’s locale ("help" is Italian as well)', async () => {
    expect(cardText((await ask('help', { locale: 'it-IT' }))[0])).toContain(t('it-IT', 'card.help.heading'));
    expect(cardText((await ask('ヘルプ', { locale: 'fr-FR' }))[0])).toContain(t('ja-JP', 'card.help.heading'));
  });

  test('the clicks on that card keep the question’s language: its buttons carry it, the answer uses it', async () => {
    const [card] = await ask('win2022-running のステータス', { locale: 'en-US' });
    const refresh = cardActions(card).find((a) => a.type === 'Action.Execute' && a.verb === 'refresh')!;
    expect(refresh.data.locale).toBe('ja-JP');
    const sent = await bot.send({ type: 'invoke', name: 'adaptiveCard/action', locale: 'en-US', recipient: BOT, value: { action: { type: 'Action.Execute', verb: 'refresh', data: refresh.data }, trigger: 'manual' } });
    const body = (sent.find((a) => a.type === 'invokeResponse')?.value as { body: { value: unknown } }).body.value;
    expect(cardText(body)).toContain(t('ja-JP', 'card.status.heading', { name: 'win2022-running' }));
  });

  test('a card in the client’s own language carries no locale, and a forged one only picks among the six', async () => {
    const [card] = await ask('status of win2022-running', { locale: 'en-US' });
    expect(cardActions(card).filter((a) => a.type === 'Action.Execute').every((a) => a.data.locale === undefined)).toBe(true);
    for (const locale of ['xx-YY', '../../etc', 'a'.repeat(10_000), 42]) {
      const sent = await bot.send({ type: 'invoke', name: 'adaptiveCard/action', locale: 'en-US', recipient: BOT, value: { action: { type: 'Action.Execute', verb: 'refresh', data: { templateId: cardActions(card).find((a) => a.verb === 'refresh')!.data.templateId, locale } }, trigger: 'manual' } });
      const body = (sent.find((a) => a.type === 'invokeResponse')?.value as { body: { value: unknown } }).body.value;
      expect(cardText(body)).toContain(t('en', 'card.status.heading', { name: 'win2022-running' }));
    }
  });

  test('an English question from a French client is answered in English', async () => {
    expect(cardText((await ask('status of win2022-running', { locale: 'fr-FR' }))[0])).toContain(t('en', 'card.status.heading', { name: 'win2022-running' }));
  });
});

test('in a channel the @mention is stripped', async () => {
  const cards = await ask('why did win2019-minimal fail', { channel: true });
  expect(cardText(cards[0])).toContain(catalogText('en', 'sysprep-timing').title);
});

test('a quick answer is the card alone: no typing indicator flashed before it', async () => {
  const sent = await bot.send({ type: 'message', text: 'why did template win2019-minimal fail?', recipient: BOT });
  expect(sent.map((a) => a.type)).toEqual(['message']);
  expect(sent[0].attachments?.length).toBe(1);
});

describe('names and bad input', () => {
  test('exact name in any case', async () => {
    expect(cardText((await ask('why did WIN2019-Minimal fail?'))[0])).toContain('win2019-minimal');
  });

  test('an unknown template → not found, with the nearest names as buttons', async () => {
    const cards = await ask('why did win2019-minmal fail?');
    expect(cardText(cards[0])).toContain(t('en', 'card.error.template-not-found.title'));
    const suggestions = cardActions(cards[0]).filter((a) => a.type === 'Action.Execute' && a.verb === 'diagnose');
    expect(suggestions.map((s) => s.data.name ?? s.data.templateId)).toEqual(expect.arrayContaining([expect.stringContaining('win2019-minimal')]));
  });

  test('clicking a suggestion diagnoses the suggested template', async () => {
    const sent = await bot.send({ type: 'invoke', name: 'adaptiveCard/action', recipient: BOT, value: { action: { type: 'Action.Execute', verb: 'diagnose', data: { name: 'win2019-minimal' } }, trigger: 'manual' } });
    const cards = sent.filter((a) => a.type === 'message' && a.attachments?.length).map((a) => a.attachments![0].content);
    expect(cardText(cards[0])).toContain(catalogText('en', 'sysprep-timing').title);
  });

  test('the same name in two resource groups → a choice card', async () => {
    const cards = await ask('why did win2022-base fail?');
    expect(cardText(cards[0])).toContain(t('en', 'card.choice.heading', { name: 'win2022-base' }));
    const choices = cardActions(cards[0]).filter((a) => a.type === 'Action.Execute');
    expect(choices.map((c) => c.data.templateId)).toEqual(
      expect.arrayContaining([expect.stringContaining('/resourceGroups/aib-sandbox/'), expect.stringContaining('/resourceGroups/aib-sandbox-dev/')]),
    );
  });

  test('naming the resource group settles the ambiguity', async () => {
    const cards = await ask('why did win2022-base fail in resource group aib-sandbox-dev?');
    expect(cardText(cards[0])).not.toContain(t('en', 'card.choice.heading', { name: 'win2022-base' }));
    expect(cardText(cards[0])).toContain('aib-sandbox-dev');
  });

  test('an empty message (only the mention) → a friendly hint', async () => {
    const cards = await ask('', { channel: true });
    expect(cardText(cards[0])).toContain(t('en', 'card.error.empty-message.title'));
  });

  test('a 10 kB message is diagnosed as a paste', async () => {
    const big = `${'PACKER OUT     azure-arm: building...\n'.repeat(270)}PACKER OUT ==> azure-arm: Get-Service : Cannot find any service with service name 'WindowsAzureGuestAgent'.\n`;
    expect(big.length).toBeGreaterThan(10_000);
    expect(cardText((await ask(big))[0])).toContain(catalogText('en', 'sysprep-timing').title);
  });

  test('a non-text activity (a file) → says what it can take', async () => {
    const sent = await bot.send({ type: 'message', recipient: BOT, attachments: [{ contentType: 'image/png', contentUrl: 'https://example.invalid/a.png' }] });
    const cards = sent.filter((a) => a.attachments?.length);
    expect(cardText(cards[0].attachments![0].content)).toContain(t('en', 'card.error.not-supported-activity.title'));
  });

  test('Azure answering 429 → a throttling card saying when to retry, nothing lost', async () => {
    azure.faults.push({ surface: 'arm', status: 429, retryAfterSeconds: 120 });
    const text = cardText((await ask('status of win2019-minimal'))[0]);
    expect(text).toContain(t('en', 'card.error.throttled.title'));
    expect(text).toContain('120');
    azure.faults.length = 0;
    expect(cardText((await ask('status of win2019-minimal'))[0])).toContain(t('en', 'card.status.heading', { name: 'win2019-minimal' }));
  });

  test('Azure answering 503 → a service-unavailable card', async () => {
    azure.faults.push({ surface: 'arm', status: 503 });
    expect(cardText((await ask('status of win2019-minimal'))[0])).toContain(t('en', 'card.error.service-unavailable.title'));
  });

  test('a build log the bot may not read → the role and the group to grant it on', async () => {
    azure.faults.push({ surface: 'blob', status: 403, nameIncludes: 'customization.log' });
    const text = cardText((await ask('why did win2019-minimal fail?'))[0]);
    expect(text).toContain('Storage Blob Data Reader');
    expect(text).toMatch(/IT_aib-sandbox_win2019-minimal/);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
