import { createBotStorage, BotState } from '../../src/bot/state';
import { recordStoreTarget } from '../../src/azure/records';
import { t } from '../../src/i18n';
import { ALICE, BOB, cardText, startHarness, type Harness } from '../conversation/helpers/bot-harness';
import { button, cardClicks, id } from '../conversation/helpers/card-clicks';
import { policyFile } from './policy-file';

// Finding 10: anyone could dismiss someone else's pending confirmation, and confirmations never expired. Now only
// the requester, or someone the policy allows the same action, may dismiss; and a confirmation expires (15 minutes
// by default) with a card that says so.

const CAROL = { id: '29:carol-mri', name: 'Carol Example', aadObjectId: '0c0c0c0c-1b2d-4c5e-8f90-a1b2c3d4e5f6' };

let h: Harness;
beforeAll(async () => {
  const ACTION_POLICY = policyFile({ version: 1, default: 'read-only', rules: [{ users: [ALICE.aadObjectId, CAROL.aadObjectId], actions: '*' }] });
  h = await startHarness({ env: { ACTION_POLICY } });
});
afterAll(async () => {
  await h?.stop();
});

const { diagnosisCardOf, click, armGet, auditFor } = cardClicks(() => h);

test("someone the policy does not allow to delete cannot dismiss Alice's confirmation; Alice still can confirm", async () => {
  const name = 'win2019-iis';
  const at = await diagnosisCardOf(name);
  const confirmation = await click('delete-template', button(at.card, 'delete-template').data, at, ALICE);
  const dismissed = await click('dismiss-delete-template', button(confirmation, 'dismiss-delete-template').data, at, BOB);
  const text = cardText(dismissed);
  expect(text).toContain(t('en', 'actions.outcome.denied.heading'));
  expect(text).toContain(t('en', 'actions.dismissNotYours', { user: ALICE.name }));
  const confirmed = await click('confirm-delete-template', button(confirmation, 'confirm-delete-template').data, at, ALICE);
  expect(cardText(confirmed)).toContain(t('en', 'actions.working.delete-template', { name }));
  await h.app.idle();
  expect((await armGet(name)).status).toBe(404);
  expect((await auditFor(id(name))).map((r) => r.result)).toEqual(['requested', 'denied', 'confirmed', 'succeeded']);
});

test('someone allowed the same action may dismiss it', async () => {
  const at = await diagnosisCardOf('win2019-sql');
  const confirmation = await click('delete-template', button(at.card, 'delete-template').data, at, ALICE);
  const dismissed = await click('dismiss-delete-template', button(confirmation, 'dismiss-delete-template').data, at, CAROL);
  // The confirmation says it was canceled; the diagnosis above it was never replaced.
  expect(cardText(dismissed)).toContain(t('en', 'actions.outcome.dismissed.heading', { name: 'win2019-sql', action: t('en', 'action.delete-template') }));
});

test('the confirmation card says until when it can be answered', async () => {
  const at = await diagnosisCardOf('win2022-vnet');
  const confirmation = await click('delete-template', button(at.card, 'delete-template').data, at, ALICE);
  expect(cardText(confirmation)).toMatch(/This confirmation can be answered until \d{4}-\d\d-\d\d \d\d:\d\d UTC\./);
});

test('a confirmation older than 15 minutes does nothing and says it expired', async () => {
  const name = 'win2022-global';
  const at = await diagnosisCardOf(name);
  const confirmation = await click('delete-template', button(at.card, 'delete-template').data, at, ALICE);
  const data = button(confirmation, 'confirm-delete-template').data;
  // Age the stored confirmation, as if the card had been left open for 20 minutes.
  const sb = h.app.sandbox!;
  const state = new BotState(await createBotStorage(recordStoreTarget({ kind: 'sandbox', url: sb.stateStorage.url, account: sb.stateStorage.account, key: sb.stateStorage.key }, 'bot-state')));
  const pending = (await state.getPending(at.conversationId, data.pendingId))!;
  await state.savePending({ ...pending, requestedAt: new Date(Date.now() - 20 * 60_000).toISOString() });
  const answer = await click('confirm-delete-template', data, at, ALICE);
  expect(cardText(answer)).toContain(t('en', 'actions.outcome.timed-out.heading'));
  expect(cardText(answer)).toContain(t('en', 'actions.outcome.timed-out.text', { minutes: 15 }));
  await h.app.idle();
  expect((await armGet(name)).status).toBe(200);
});
