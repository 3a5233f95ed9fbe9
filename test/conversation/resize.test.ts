import { t } from '../../src/i18n';
import { cardText, startHarness, type Harness } from './helpers/bot-harness';
import { button, cardClicks, id } from './helpers/card-clicks';

// Issue 13: a larger build VM is a PATCH of vmProfile, not a delete and create. Over /api/messages with the sandbox
// as Azure: the template answers 200 on every poll while the action runs, its vmSize changes, and the audit names
// the old and the new size.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const { diagnosisCardOf, click, armGet, auditFor, updatesOf } = cardClicks(() => h);

test('resize-vm changes vmSize in place: 200 on every poll, same id and history, old and new size audited', async () => {
  const name = 'win2019-minimal';
  const before: any = await (await armGet(name)).json();
  const oldSize = before.properties.vmProfile?.vmSize || '(default)';
  const at = await diagnosisCardOf(name);
  const confirmation = await click('resize-vm', { ...button(at.card, 'recreate-larger-vm').data }, at);
  expect(cardText(confirmation)).toContain(t('en', 'actions.confirm.resize-vm.heading', { name }));
  expect(cardText(confirmation)).toMatch(/vmProfile\.vmSize\n.*→ Standard_D\d+ds_v4/);
  const newSize = /→ (Standard_D\d+ds_v4)/.exec(cardText(confirmation))![1];

  const statuses: number[] = [];
  const sizes = new Set<string>();
  let polling = true;
  const poll = (async () => {
    while (polling) {
      const r = await armGet(name);
      statuses.push(r.status);
      const body: any = await r.json();
      sizes.add(body.properties?.vmProfile?.vmSize ?? '');
      await new Promise((res) => setTimeout(res, 5));
    }
  })();
  const working = await click('confirm-recreate-larger-vm', button(confirmation, 'confirm-recreate-larger-vm').data, at);
  expect(cardText(working)).toContain(t('en', 'actions.working.resize-vm', { name }));
  await h.app.idle();
  polling = false;
  await poll;

  expect(statuses.length).toBeGreaterThan(0);
  expect(statuses.every((s) => s === 200)).toBe(true);
  const after: any = await (await armGet(name)).json();
  expect(after.id).toBe(before.id);
  expect(after.properties.vmProfile.vmSize).toBe(newSize);
  expect(after.properties.lastRunStatus).toEqual(before.properties.lastRunStatus);
  expect(after.properties.exactStagingResourceGroup).toBe(before.properties.exactStagingResourceGroup);
  for (const s of sizes) expect([before.properties.vmProfile?.vmSize ?? '', newSize]).toContain(s);

  expect(cardText(updatesOf(at.cardId).at(-1))).toContain(t('en', 'actions.outcome.resized.heading', { name }));
  const audit = await auditFor(id(name));
  expect(audit.map((a) => a.result)).toEqual(['requested', 'confirmed', 'succeeded']);
  const done = audit.find((a) => a.result === 'succeeded')!;
  expect(done.detail).toContain(oldSize);
  expect(done.detail).toContain(newSize);
});
