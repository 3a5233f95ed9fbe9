import { parsePolicy } from '../../src/bot/policy';
import { t } from '../../src/i18n';
import { button, cardText } from './helpers/card-reading';
import { ALICE, fakeBot, idOf } from './helpers/fake-bot';

// Issue 16, "nothing erased": every button of the diagnosis card answers in a new reply in the same conversation —
// a confirmation, a refusal, the commands to copy — and the click on the diagnosis card is only acknowledged, so
// in a group chat the diagnosis stays for everyone. Confirm and Cancel then answer on that confirmation.

const DIAGNOSIS_CARD_ACTIONS = ['delete-template', 'resize-vm', 'recreate-larger-vm', 'recreate-larger-timeout', 'cleanup-staging', 'grant-permissions', 'rerun', 'open-support-case'];
const ACK = { type: 'application/vnd.microsoft.activity.message', value: t('en', 'actions.answeredBelow') };

async function pressOnDiagnosis(bot: ReturnType<typeof fakeBot>, verb: string, conversationId: string) {
  const { body, sent } = await bot.press(verb, { templateId: idOf('win2022-base') }, ALICE, conversationId);
  const replies = sent.filter((a) => a.type === 'message' && a.attachments?.length);
  return { body, replies };
}

test.each(DIAGNOSIS_CARD_ACTIONS)('%s answers in a new reply in the same conversation; the clicked card is only acknowledged', async (verb) => {
  const bot = fakeBot();
  const { body, replies } = await pressOnDiagnosis(bot, verb, 'a:erase-1');
  expect(body).toMatchObject(ACK);
  expect(replies).toHaveLength(1);
  expect(replies[0].conversation!.id).toBe('a:erase-1');
  await bot.idle();
  // Later progress (a rerun, a followed build) never updates the card the button was on.
  expect(bot.updates.filter((u) => u.id === 'card-1')).toEqual([]);
});

test.each(DIAGNOSIS_CARD_ACTIONS)('a refusal of %s (the policy denies it) is a new reply too', async (verb) => {
  const bot = fakeBot({ policy: parsePolicy({ version: 1, default: 'read-only', rules: [] }, 'p.json') });
  const { body, replies } = await pressOnDiagnosis(bot, verb, 'a:erase-2');
  expect(body).toMatchObject(ACK);
  expect(cardText(replies[0].attachments![0].content)).toContain(t('en', 'actions.outcome.denied.heading'));
});

test('Confirm answers on the confirmation itself, not in yet another reply', async () => {
  const bot = fakeBot();
  const { replies } = await pressOnDiagnosis(bot, 'delete-template', 'a:erase-3');
  const confirmation = replies[0].attachments![0].content;
  const { body, sent } = await bot.press('confirm-delete-template', button(confirmation, 'confirm-delete-template').data, ALICE, 'a:erase-3');
  expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
  expect(cardText(body.value)).toContain(t('en', 'actions.working.delete-template', { name: 'win2022-base' }));
  expect(sent.filter((a) => a.type === 'message' && a.attachments?.length)).toEqual([]);
});

test.each(DIAGNOSIS_CARD_ACTIONS)('without an audit trail, the refusal of %s is a new reply too', async (verb) => {
  const bot = fakeBot({ actionsEnabled: false });
  const { body, replies } = await pressOnDiagnosis(bot, verb, 'a:erase-4');
  expect(body).toMatchObject(ACK);
  expect(cardText(replies[0].attachments![0].content)).toContain(t('en', 'actions.outcome.disabled.heading'));
});

test('Show log answers in a new reply too; the clicked card is not replaced', async () => {
  const bot = fakeBot();
  const { body, replies } = await pressOnDiagnosis(bot, 'show-log', 'a:erase-5');
  expect(body.type).toBe('application/vnd.microsoft.activity.message');
  expect(replies).toHaveLength(1);
});
