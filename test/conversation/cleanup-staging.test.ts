import { t } from '../../src/i18n';
import { cardText, startHarness, type Harness } from './helpers/bot-harness';
import { button, cardClicks, id, SUB } from './helpers/card-clicks';

// Issue 13: a build that failed with errorHandling `abort` kept its build VM in the staging resource group. Over
// /api/messages with the sandbox as Azure (real SDKs, the emulator's DELETEs): the diagnosis card says so and names
// the group, the cleanup is confirmed, the list of what it deletes is audited before the first delete, it deletes
// only those resources (never the log storage account, never what forged card data names), and a second try
// deletes nothing.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const { diagnosisCardOf, click, armGet, auditFor, updatesOf } = cardClicks(() => h);
const name = 'win2022-abort-debug';

async function groupResources(group: string): Promise<Array<{ id: string; type: string }>> {
  const r = await fetch(`${h.app.sandbox!.armEndpoint}/subscriptions/${SUB}/resourceGroups/${group}/resources?api-version=2021-04-01`);
  expect(r.status).toBe(200);
  return ((await r.json()) as { value: Array<{ id: string; type: string }> }).value;
}

test('cleanup of kept resources: confirmed, listed in the audit first, only the staging group, once', async () => {
  const template: any = await (await armGet(name)).json();
  const staging = template.properties.exactStagingResourceGroup.split('/').pop();
  const before = await groupResources(staging);
  expect(before.map((r) => r.type)).toEqual(expect.arrayContaining(['Microsoft.Compute/virtualMachines', 'Microsoft.Storage/storageAccounts']));
  const mainBefore = await groupResources('aib-sandbox');

  const at = await diagnosisCardOf(name);
  expect(cardText(at.card)).toContain(t('en', 'card.status.api.kept', { group: staging }));
  // Forged card data: another group and resource ids. The server rebuilds both from the template.
  const forged = { ...button(at.card, 'cleanup-staging').data, stagingResourceGroup: 'aib-sandbox', resources: mainBefore.map((r) => r.id) };
  const confirmation = await click('cleanup-staging', forged, at);
  expect(cardText(confirmation)).toContain(t('en', 'actions.confirm.cleanup-staging.heading', { name }));
  expect(cardText(confirmation)).toContain(staging);
  const confirm = { ...button(confirmation, 'confirm-cleanup-staging').data, stagingResourceGroup: 'aib-sandbox' };
  const working = await click('confirm-cleanup-staging', confirm, at);
  expect(cardText(working)).toContain(t('en', 'actions.working.cleanup-staging', { name }));
  await h.app.idle();

  const after = await groupResources(staging);
  expect(after.map((r) => r.type)).toEqual(['Microsoft.Storage/storageAccounts']);
  expect((await groupResources('aib-sandbox')).length).toBe(mainBefore.length);
  expect((await armGet(name)).status).toBe(200);
  expect(cardText(updatesOf(at.cardId).at(-1))).toContain(t('en', 'actions.outcome.cleaned-up.heading', { name }));

  const audit = await auditFor(id(name));
  expect(audit.map((a) => a.result)).toEqual(['requested', 'confirmed', 'confirmed', 'succeeded']);
  const list = audit[2].parameters as { stagingResourceGroup: string; resources: Array<{ id: string }> };
  expect(list.stagingResourceGroup).toBe(staging);
  // What was saved is exactly what went: every deletable resource before, none of the main group's.
  const deletedIds = before.filter((r) => r.type !== 'Microsoft.Storage/storageAccounts').map((r) => r.id.toLowerCase()).sort();
  expect(list.resources.map((r) => r.id.toLowerCase()).sort()).toEqual(deletedIds);
  expect(audit[3].detail).toContain('virtualMachines/');

  // Again: nothing more is deleted, and the answer says the cleanup was already done.
  const again = await diagnosisCardOf(name);
  const second = await click('cleanup-staging', button(again.card, 'cleanup-staging').data, again);
  const answer = await click('confirm-cleanup-staging', button(second, 'confirm-cleanup-staging').data, again);
  await h.app.idle();
  expect(cardText(answer)).toContain(t('en', 'actions.outcome.duplicate.heading'));
  expect((await groupResources(staging)).map((r) => r.type)).toEqual(['Microsoft.Storage/storageAccounts']);
});

test('a template whose failed build cleaned up offers no cleanup, and a forged click is refused without deleting', async () => {
  const other = 'ubuntu2204-nightly';
  const at = await diagnosisCardOf(other);
  expect(() => button(at.card, 'cleanup-staging')).toThrow();
  const template: any = await (await armGet(other)).json();
  const staging = template.properties.exactStagingResourceGroup.split('/').pop();
  const before = await groupResources(staging);
  const refused = await click('cleanup-staging', { templateId: id(other) }, at);
  expect(cardText(refused)).toContain(t('en', 'actions.outcome.nothing-kept.heading', { name: other }));
  expect(await groupResources(staging)).toEqual(before);
});
