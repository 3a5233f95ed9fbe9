import { t } from '../../src/i18n';
import { ALICE, BOB, cardActions, cardText, startHarness, type Harness } from '../conversation/helpers/bot-harness';
import { allInputs, id, SUB } from '../conversation/helpers/card-clicks';
import { policyFile } from './policy-file';

// Finding 4 (SUPPORT_MODE=api): `confirm-open-support-case` without a templateId skipped the policy and opened a
// ticket of any severity, named from client data. Now the grant is needed on every path, the policy caps the
// severity, and the ticket's name comes from server-side data only.

let h: Harness;
beforeAll(async () => {
  const ACTION_POLICY = policyFile({
    version: 1,
    default: 'read-only',
    rules: [{ users: [ALICE.aadObjectId], resourceGroups: ['aib-sandbox'], actions: ['open-support-case'], maxSeverity: 'moderate' }],
  });
  h = await startHarness({ env: { ACTION_POLICY, SUPPORT_MODE: 'api' } });
});
afterAll(async () => {
  await h?.stop();
});

const contact = {
  supportProduct: 'windows',
  supportTitle: 'Build failed',
  supportDescription: 'Please help',
  supportFirstName: 'Eve',
  supportLastName: 'Mallory',
  supportEmail: 'eve@contoso.example',
  supportContactMethod: 'email',
  supportTimeZone: 'UTC',
  supportCountry: 'USA',
  supportLanguage: 'en-US',
};

async function tickets(): Promise<Array<{ name: string; properties: { severity: string } }>> {
  const r = await fetch(`${h.app.sandbox!.armEndpoint}/subscriptions/${SUB}/providers/Microsoft.Support/supportTickets?api-version=2020-04-01`);
  return ((await r.json()) as { value: Array<{ name: string; properties: { severity: string } }> }).value;
}

test('no templateId: the grant is still required, and no ticket is opened', async () => {
  const r = await h.invoke('confirm-open-support-case', { diagnosisId: 'attacker-chosen', ...contact, supportSeverity: 'highestcriticalimpact' }, { user: BOB });
  expect(cardText(r.body.value)).toContain(t('en', 'actions.outcome.denied.heading'));
  expect(await tickets()).toEqual([]);
});

test('a severity above the policy cap is refused with the cap named', async () => {
  const r = await h.invoke('confirm-open-support-case', { templateId: id('win2019-minimal'), ...contact, supportSeverity: 'critical' }, { user: ALICE });
  const text = cardText(r.body.value);
  expect(text).toContain(t('en', 'actions.outcome.denied.heading'));
  expect(text).toContain(t('en', 'actions.policy.severityCap', { max: t('en', 'support.severity.moderate'), asked: 'critical' }));
  expect(await tickets()).toEqual([]);
});

test('the ticket is named from the server-side diagnosis, never from the card data', async () => {
  const opened = await h.answer('open-support-case', { templateId: id('win2019-minimal') }, { user: ALICE });
  const form = opened.value;
  const submit = cardActions(form).find((a) => a.verb === 'confirm-open-support-case')!;
  const inputs = Object.fromEntries(allInputs(form).map((i) => [i.id, i.value ?? '']));
  const data = { ...submit.data, ...inputs, ...contact, supportSeverity: 'moderate', diagnosisId: 'evil-injected-name', ticketName: 'evil' };
  const r = await h.invoke('confirm-open-support-case', data, { user: ALICE });
  expect(JSON.stringify(r.body.value)).not.toContain(t('en', 'actions.outcome.denied.heading'));
  const names = (await tickets()).map((x) => x.name);
  expect(names).toHaveLength(1);
  expect(names[0]).toMatch(/^aib-win2019-minimal-/);
  expect(names[0]).not.toMatch(/evil/);
});
