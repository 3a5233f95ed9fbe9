import { t } from '../../src/i18n';
import { ALICE, BOB, cardActions, cardText, startHarness, type Harness } from '../conversation/helpers/bot-harness';
import { id } from '../conversation/helpers/card-clicks';
import { policyFile } from './policy-file';

// Finding 2: under `default: "deny"` an unlisted user still got diagnosis cards, the failed-templates list and the
// identity's principal id. Now every read asks the policy for the template's real resource group.

let h: Harness;
beforeAll(async () => {
  const ACTION_POLICY = policyFile({ version: 1, default: 'deny', rules: [{ description: 'alice reads the sandbox', users: [ALICE.aadObjectId], resourceGroups: ['aib-sandbox'], actions: ['read'] }] });
  h = await startHarness({ env: { ACTION_POLICY } });
});
afterAll(async () => {
  await h?.stop();
});

const notAllowed = t('en', 'card.error.not-allowed.title');

test('an unlisted user asking why a template failed gets "not allowed", not the diagnosis', async () => {
  const r = await h.ask('why did template win2019-minimal fail?', { user: BOB });
  const text = cardText(r.cards[0]);
  expect(text).toContain(notAllowed);
  expect(text).toContain(t('en', 'card.error.not-allowed.hint'));
  expect(text).not.toContain(t('en', 'card.diagnosis.heading', { name: 'win2019-minimal' }));
});

test('the same question from the listed user is answered', async () => {
  const r = await h.ask('why did template win2019-minimal fail?', { user: ALICE });
  expect(cardText(r.cards[0])).toContain(t('en', 'card.diagnosis.heading', { name: 'win2019-minimal' }));
});

test.each(['status of win2019-minimal', 'show the log of win2019-minimal'])('%s: refused for the unlisted user', async (question) => {
  const r = await h.ask(question, { user: BOB });
  expect(cardText(r.cards[0])).toContain(notAllowed);
});

test('a list shows only the rows the caller may read', async () => {
  const bob = await h.ask('list failed templates', { user: BOB });
  expect(cardActions(bob.cards[0]).filter((a) => a.verb === 'diagnose')).toHaveLength(0);
  const alice = await h.ask('list failed templates', { user: ALICE });
  const rows = cardActions(alice.cards[0]).filter((a) => a.verb === 'diagnose');
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.every((a) => /\/resourceGroups\/aib-sandbox\//.test(a.data.templateId))).toBe(true);
});

test('a forged diagnose click for a template the caller may not read is refused', async () => {
  const r = await h.invoke('diagnose', { templateId: id('win2019-minimal') }, { user: BOB });
  expect(r.status).toBe(200);
  const sent = await h.capture.waitFor((c) => c.conversationId === r.conversationId && !!c.activity.attachments?.length);
  expect(cardText(sent[0].activity.attachments[0].content)).toContain(notAllowed);
});

test('grant-permissions is its own grant: reading is not enough to see the identity and the commands', async () => {
  const r = await h.answer('grant-permissions', { templateId: id('win2019-minimal') }, { user: ALICE });
  const text = cardText(r.value);
  expect(text).toContain(t('en', 'actions.outcome.denied.heading'));
  expect(text).not.toContain('az role assignment');
});
