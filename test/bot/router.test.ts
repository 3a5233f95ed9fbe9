import { t } from '../../src/i18n';
import { cardActions, cardText } from './helpers/card-reading';
import { ALICE, BOB, fakeBot, idOf } from './helpers/fake-bot';
import { parsePolicy } from '../../src/bot/policy';

// The router on the fake channel: every verb the design lists is registered, and the guards hold without a
// sandbox — confirmation, claims, policy, audit-first, expiry, rate limit.

const DESIGN_VERBS = [
  'delete-template', 'rerun', 'cancel-run', 'recreate-larger-timeout', 'resize-vm', 'recreate-larger-vm', 'grant-permissions',
  'show-log', 'open-support-case', 'unsubscribe', 'diagnose', 'refresh', 'status',
];

test('every verb of the design is registered, with confirm-/dismiss- for the confirmable ones', () => {
  const verbs = fakeBot().router.registeredVerbs();
  for (const v of DESIGN_VERBS) expect(verbs).toContain(v);
  for (const v of ['delete-template', 'cancel-run', 'recreate-larger-timeout', 'resize-vm', 'recreate-larger-vm', 'open-support-case']) {
    expect(verbs).toContain(`confirm-${v}`);
    expect(verbs).toContain(`dismiss-${v}`);
  }
  expect(fakeBot().router.registeredIntents().sort()).toEqual(['diagnose', 'diagnose-text', 'empty', 'help', 'list', 'show-log', 'status', 'subscription', 'unrecognized']);
});

test('delete: ask, confirm, done — audited intent first, one delete for two clicks', async () => {
  const bot = fakeBot();
  const ask = await bot.answer('delete-template', { templateId: idOf('win2022-base') }, ALICE, 'a:c1');
  const confirm = cardActions(ask.value).find((a) => a.verb === 'confirm-delete-template')!;
  const [a, b] = await Promise.all([bot.click('confirm-delete-template', confirm.data, ALICE, 'a:c1'), bot.click('confirm-delete-template', confirm.data, ALICE, 'a:c1')]);
  expect([a, b].map((x) => cardText(x.value)).filter((x) => x.includes(t('en', 'actions.working.delete-template', { name: 'win2022-base' })))).toHaveLength(1);
  await bot.idle();
  expect(bot.templates.calls.filter((c) => c.startsWith('delete'))).toEqual(['delete win2022-base']);
  const results = bot.audit.records.map((r) => r.result);
  // The intent record comes before the outcome; the second click is recorded as a duplicate.
  expect(results.filter((r) => r !== 'duplicate')).toEqual(['requested', 'confirmed', 'succeeded']);
  expect(results.filter((r) => r === 'duplicate')).toHaveLength(1);
  expect(cardText(bot.updates.at(-1)!.attachments![0].content)).toContain(t('en', 'actions.outcome.deleted.heading', { name: 'win2022-base' }));
});

test('resize-vm and the old recreate-larger-vm verb do the same resize in place (PATCH, nothing deleted)', async () => {
  for (const verb of ['resize-vm', 'recreate-larger-vm']) {
    const bot = fakeBot();
    const ask = await bot.answer(verb, { templateId: idOf('ubuntu2204-api') }, ALICE, 'a:c1');
    expect(cardText(ask.value)).toContain('Standard_D2ds_v4 → Standard_D4ds_v4');
    const confirm = cardActions(ask.value).find((a) => a.verb === 'confirm-recreate-larger-vm')!;
    await bot.click('confirm-recreate-larger-vm', confirm.data, ALICE, 'a:c1');
    await bot.idle();
    expect(bot.templates.calls).toEqual(['update ubuntu2204-api']);
    expect((bot.templates.store.get(idOf('ubuntu2204-api').toLowerCase()) as any).vmProfile.vmSize).toBe('Standard_D4ds_v4');
  }
});

test('the recreate card shows its two steps in the reader’s language', async () => {
  const bot = fakeBot();
  const ask = await bot.answer('recreate-larger-timeout', { templateId: idOf('win2022-base') }, ALICE, 'a:c1');
  await bot.click('confirm-recreate-larger-timeout', cardActions(ask.value).find((a) => a.verb === 'confirm-recreate-larger-timeout')!.data, ALICE, 'a:c1');
  await bot.idle();
  const steps = bot.updates.map((u) => cardText(u.attachments![0].content));
  expect(steps.some((s) => s.includes(t('en', 'actions.step.delete', { n: 1, total: 2, name: 'win2022-base' })))).toBe(true);
  expect(steps.some((s) => s.includes(t('en', 'actions.step.create', { n: 2, total: 2, name: 'win2022-base' })))).toBe(true);
});

test('rerun is refused, and ARM never called, when the audit trail cannot be written', async () => {
  const bot = fakeBot();
  bot.audit.broken = true;
  const r = await bot.answer('rerun', { templateId: idOf('win2022-base') });
  expect(cardText(r.value)).toContain(t('en', 'card.error.audit-unavailable.title'));
  expect(bot.templates.calls).toEqual([]);
});

test('an unknown verb and a thrown error each become one card', async () => {
  const bot = fakeBot();
  expect(cardText((await bot.click('launch-rockets', {})).value)).toContain(t('en', 'card.error.unknown-action.title'));
  bot.templates.get = async () => {
    throw new Error('boom');
  };
  const r = await bot.answer('rerun', { templateId: idOf('win2022-base') });
  expect(cardText(r.value)).toContain(t('en', 'card.error.internal.title'));
  expect(cardText(r.value)).not.toContain('boom');
});

test('reads are authorized against the template’s resource group', async () => {
  const policy = parsePolicy({ version: 1, default: 'deny', rules: [{ users: [ALICE.aadObjectId], resourceGroups: ['rg-images'], actions: ['read'] }] }, 'p.json');
  const bot = fakeBot({ policy });
  expect(cardText((await bot.say('why did template win2022-base fail?', BOB))[0])).toContain(t('en', 'card.error.not-allowed.title'));
  expect(cardText((await bot.say('why did template win2022-base fail?', ALICE))[0])).toContain(t('en', 'card.diagnosis.heading', { name: 'win2022-base' }));
});

test('a conversation over its rate gets the friendly card', async () => {
  const bot = fakeBot({ perMinute: 2 });
  await bot.say('help', ALICE, 'a:same');
  await bot.say('help', ALICE, 'a:same');
  expect(cardText((await bot.say('help', ALICE, 'a:same'))[0])).toContain(t('en', 'card.error.rate-limited.title'));
});
