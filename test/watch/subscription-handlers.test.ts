import { t } from '../../src/i18n';
import { parsePolicy } from '../../src/bot/policy';
import { ALICE, BOB, fakeBot, SUB } from '../bot/helpers/fake-bot';
import { cardActions, cardText } from '../bot/helpers/card-reading';

// subscribe / subscriptions / mute / unsubscribe on the fake channel: what is stored, answered and audited.

const cards = (sent: any[]) => sent.filter((a) => a.attachments?.length).map((a) => a.attachments[0].content);
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

  const [listed] = cards(await bot.send({ text: 'subscriptions' }, ALICE, 'a:c1'));
  expect(cardText(listed)).toContain(t('en', 'watch.listHeading'));
  expect(cardText(listed)).toContain(scope);
  expect(cardActions(listed).filter((a) => a.verb === 'unsubscribe')).toHaveLength(1);
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

test('the subscriptions card: one Unsubscribe per row ends that subscription only and answers with the rest', async () => {
  const bot = fakeBot();
  await bot.send({ text: 'subscribe to resource group rg-images' }, ALICE, 'a:c1');
  await bot.send({ text: 'subscribe templates ubuntu-* all' }, ALICE, 'a:c1');
  await bot.send({ text: 'subscribe' }, ALICE, 'a:c2');
  const [card] = cards(await bot.send({ text: 'subscriptions' }, ALICE, 'a:c1'));
  const buttons = cardActions(card).filter((a) => a.verb === 'unsubscribe');
  expect(buttons).toHaveLength(2);
  const click = await bot.click('unsubscribe', buttons[0].data, ALICE, 'a:c1');
  expect(cardText(click.value)).toContain(t('en', 'watch.scopeGlob', { scope: t('en', 'watch.scopeAll'), glob: 'ubuntu-*' }));
  expect(cardActions(click.value).filter((a) => a.verb === 'unsubscribe')).toHaveLength(1);
  const left = await bot.services.actions!.state.subscriptions();
  expect(left.map((s) => `${s.conversationId}:${s.resourceGroup ?? ''}:${s.templateGlob ?? ''}`).sort()).toEqual(['a:c1::ubuntu-*', 'a:c2::']);
  expect(bot.audit.records.filter((r) => r.action === 'unsubscribe')).toEqual([expect.objectContaining({ result: 'succeeded', conversationId: 'a:c1', parameters: expect.objectContaining({ resourceGroup: 'rg-images' }) })]);
});

test('attack: a forged, replayed or other conversation’s subscription id ends nothing', async () => {
  const bot = fakeBot();
  await bot.send({ text: 'subscribe' }, ALICE, 'a:c1');
  await bot.send({ text: 'subscribe all' }, ALICE, 'a:c2');
  const [card] = cards(await bot.send({ text: 'subscriptions' }, ALICE, 'a:c2'));
  const theirs = cardActions(card).find((a) => a.verb === 'unsubscribe')!.data;
  for (const data of [theirs, { subscriptionId: 'f'.repeat(16) }, { subscriptionId: { $ne: '' } }, { subscriptionId: 'x'.repeat(100_000) }]) {
    const click = await bot.click('unsubscribe', data, ALICE, 'a:c1'); // a:c2's button replayed in a:c1, forged ids
    expect(cardActions(click.value).filter((a) => a.verb === 'unsubscribe')).toHaveLength(1);
  }
  expect(await bot.services.actions!.state.subscriptions()).toHaveLength(2);
  // Replayed after it worked: the second click finds nothing more to end.
  const [mine] = cards(await bot.send({ text: 'subscriptions' }, ALICE, 'a:c1'));
  const button = cardActions(mine).find((a) => a.verb === 'unsubscribe')!.data;
  await bot.click('unsubscribe', button, ALICE, 'a:c1');
  await bot.click('unsubscribe', button, ALICE, 'a:c1');
  expect((await bot.services.actions!.state.subscriptions()).map((s) => s.conversationId)).toEqual(['a:c2']);
  expect(bot.audit.records.filter((r) => r.action === 'unsubscribe')).toHaveLength(1);
});

test('a row’s Unsubscribe is policy-checked: refused and audited as denied for someone who may not subscribe', async () => {
  const policy = parsePolicy({ version: 1, default: 'read-only', rules: [{ users: [BOB.aadObjectId], actions: ['subscribe'] }] }, 'test');
  const bot = fakeBot({ policy });
  await bot.send({ text: 'subscribe' }, BOB, 'a:c1');
  const [card] = cards(await bot.send({ text: 'subscriptions' }, ALICE, 'a:c1'));
  const click = await bot.click('unsubscribe', cardActions(card).find((a) => a.verb === 'unsubscribe')!.data, ALICE, 'a:c1');
  expect(click.value).toMatch(/^You may not change the notifications/);
  expect(await bot.services.actions!.state.subscriptions()).toHaveLength(1);
  expect(bot.audit.records.filter((r) => r.action === 'unsubscribe')).toEqual([expect.objectContaining({ result: 'denied' })]);
});

test('typed unsubscribe is policy-checked too: a reader the policy denies cannot silence the channel (audited, nothing ended)', async () => {
  const policy = parsePolicy({ version: 1, default: 'read-only', rules: [{ users: [BOB.aadObjectId], actions: ['subscribe'] }] }, 'test');
  const bot = fakeBot({ policy });
  await bot.send({ text: 'subscribe' }, BOB, 'a:c1');
  await bot.send({ text: 'subscribe to resource group rg-images all' }, BOB, 'a:c1');
  const [answer] = texts(await bot.send({ text: 'unsubscribe' }, ALICE, 'a:c1'));
  expect(answer).toMatch(/^You may not change the notifications/);
  expect(await bot.services.actions!.state.subscriptions()).toHaveLength(2);
  expect(bot.audit.records.filter((r) => r.action === 'unsubscribe')).toEqual([expect.objectContaining({ result: 'denied', conversationId: 'a:c1' })]);
  // The notification card's Unsubscribe (no subscription id) ends all as well: the same check.
  const click = await bot.click('unsubscribe', {}, ALICE, 'a:c1');
  expect(click.value).toMatch(/^You may not change the notifications/);
  expect(await bot.services.actions!.state.subscriptions()).toHaveLength(2);
  // Someone the policy allows ends both.
  expect(texts(await bot.send({ text: 'unsubscribe' }, BOB, 'a:c1'))).toEqual([t('en', 'watch.unsubscribed', { count: 2 })]);
  expect(bot.audit.records.filter((r) => r.action === 'unsubscribe').map((r) => r.result)).toEqual(['denied', 'denied', 'succeeded']);
});
