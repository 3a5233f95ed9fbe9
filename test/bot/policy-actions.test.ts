import { parsePolicy } from '../../src/bot/policy';
import { t } from '../../src/i18n';
import { cardText } from './helpers/card-reading';
import { ALICE, BOB, fakeBot, idOf } from './helpers/fake-bot';

// The action policy on the fake channel (moved here from the HTTP suite, which needed a second sandbox for it):
// a denial is said plainly, nothing is done, and the attempt is audited.

const policy = parsePolicy({ version: 1, default: 'read-only', rules: [{ users: [BOB.aadObjectId], resourceGroups: ['rg-images'], actions: ['rerun'] }] }, 'p.json');
const denied = t('en', 'actions.outcome.denied.heading');

test('denied → a clear message, nothing done, and the attempt is audited', async () => {
  const bot = fakeBot({ policy });
  const r = await bot.answer('delete-template', { templateId: idOf('win2022-base') }, ALICE);
  expect(cardText(r.value)).toContain(denied);
  expect(cardText(r.value)).toContain(t('en', 'actions.policy.default', { fallback: 'read-only', source: 'p.json' }));
  expect(bot.templates.calls).toEqual([]);
  expect(bot.audit.records.map((a) => [a.action, a.result])).toEqual([['delete-template', 'denied']]);
});

test.each(['delete-template', 'rerun', 'cancel-run', 'recreate-larger-timeout', 'recreate-larger-vm', 'resize-vm', 'cleanup-staging', 'open-support-case', 'grant-permissions'])(
  '%s is denied to a user no rule names',
  async (verb) => {
    const bot = fakeBot({ policy });
    // Diagnosis-card buttons answer in a reply, cancel-run on its own card: the refusal is read either way.
    expect(cardText((await bot.answer(verb, { templateId: idOf('win2022-base') }, ALICE)).value)).toContain(denied);
    expect(bot.templates.calls).toEqual([]);
  },
);

test('a user the policy names may do what it grants, and nothing more', async () => {
  const bot = fakeBot({ policy });
  expect(cardText((await bot.answer('rerun', { templateId: idOf('ubuntu2204-api') }, BOB)).value)).not.toContain(denied);
  expect(cardText((await bot.answer('delete-template', { templateId: idOf('ubuntu2204-api') }, BOB)).value)).toContain(denied);
  await bot.idle();
  expect(bot.templates.calls).toEqual(['run ubuntu2204-api']);
});
