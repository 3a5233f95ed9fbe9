import { t } from '../../src/i18n';
import { parsePolicy } from '../../src/bot/policy';
import { ALICE, BOB, fakeBot, SUB } from '../bot/helpers/fake-bot';

// subscribe / subscriptions / mute / unsubscribe on the fake channel: what is stored, answered and audited.

const texts = (sent: any[]) => sent.filter((a) => typeof a.text === 'string').map((a) => a.text as string);

test('subscribe stores the subscription and the conversation reference, answers, and audits', async () => {
  const bot = fakeBot();
  const sent = await bot.send({ text: 'subscribe to resource group rg-images templates win-* all' }, ALICE, 'a:c1');
  const scope = t('en', 'watch.scopeGlob', { scope: t('en', 'watch.scopeGroup', { resourceGroup: 'rg-images' }), glob: 'win-*' });
  expect(texts(sent)).toEqual([t('en', 'watch.subscribed', { outcomes: t('en', 'watch.outcomesAll'), scope })]);
  const state = bot.services.actions!.state;
  expect(await state.subscriptions()).toEqual([expect.objectContaining({ conversationId: 'a:c1', resourceGroup: 'rg-images', templateGlob: 'win-*', outcomes: 'all', by: ALICE.name })]);
  expect((await state.conversationRef('a:c1'))?.conversation?.id).toBe('a:c1');
  expect(bot.audit.records).toEqual([expect.objectContaining({ action: 'subscribe', result: 'succeeded', conversationId: 'a:c1' })]);

  const listed = texts(await bot.send({ text: 'subscriptions' }, ALICE, 'a:c1'))[0];
  expect(listed).toContain(t('en', 'watch.list'));
  expect(listed).toContain('win-*');
  expect(texts(await bot.send({ text: 'subscriptions' }, ALICE, 'a:other'))).toEqual([t('en', 'watch.none')]);
});

test('the answer follows the reader’s language', async () => {
  const bot = fakeBot();
  const sent = await bot.send({ text: '订阅', locale: 'zh-CN' }, ALICE, 'a:c1');
  expect(texts(sent)).toEqual([t('zh-CN', 'watch.subscribed', { outcomes: t('zh-CN', 'watch.outcomesFailures'), scope: t('zh-CN', 'watch.scopeAll') })]);
});

test('a policy that does not grant subscribe: refused, audited as denied, nothing stored', async () => {
  const policy = parsePolicy({ version: 1, default: 'read-only', rules: [{ users: [BOB.aadObjectId], actions: ['subscribe'] }] }, 'test');
  const bot = fakeBot({ policy });
  const sent = await bot.send({ text: 'subscribe' }, ALICE, 'a:c1');
  expect(texts(sent)[0]).toMatch(/^You may not subscribe/);
  expect(await bot.services.actions!.state.subscriptions()).toEqual([]);
  expect(bot.audit.records).toEqual([expect.objectContaining({ action: 'subscribe', result: 'denied' })]);
  await bot.send({ text: 'subscribe' }, BOB, 'a:c1');
  expect(await bot.services.actions!.state.subscriptions()).toHaveLength(1);
});

test('mute stores a mute until the time asked; a mute without a duration explains the form', async () => {
  const bot = fakeBot();
  const before = Date.now();
  const sent = await bot.send({ text: 'mute win2022-base for 2h' }, ALICE, 'a:c1');
  expect(texts(sent)[0]).toMatch(/^Muted win2022-base in this conversation until /);
  const [mute] = await bot.services.actions!.state.mutes();
  expect(mute).toMatchObject({ conversationId: 'a:c1', template: 'win2022-base' });
  expect(Date.parse(mute.until) - before).toBeGreaterThanOrEqual(7_200_000);
  expect(texts(await bot.send({ text: 'mute win2022-base' }, ALICE, 'a:c1'))).toEqual([t('en', 'watch.muteUsage')]);
});

test('unsubscribe (typed or the card button) ends this conversation’s subscriptions only', async () => {
  const bot = fakeBot();
  await bot.send({ text: 'subscribe' }, ALICE, 'a:c1');
  await bot.send({ text: 'subscribe all' }, ALICE, 'a:c2');
  expect(texts(await bot.send({ text: 'unsubscribe' }, ALICE, 'a:c1'))).toEqual([t('en', 'watch.unsubscribed', { count: 1 })]);
  expect((await bot.services.actions!.state.subscriptions()).map((s) => s.conversationId)).toEqual(['a:c2']);
  const click = await bot.click('unsubscribe', { templateId: `/subscriptions/${SUB}/resourceGroups/rg-images/providers/Microsoft.VirtualMachineImages/imageTemplates/win2022-base` }, ALICE, 'a:c2');
  expect(click.value).toBe(t('en', 'watch.unsubscribed', { count: 1 }));
  expect(await bot.services.actions!.state.subscriptions()).toEqual([]);
  expect(texts(await bot.send({ text: 'unsubscribe' }, ALICE, 'a:c2'))).toEqual([t('en', 'watch.none')]);
});
