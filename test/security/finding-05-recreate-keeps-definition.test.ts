import { createBotStorage, BotState } from '../../src/bot/state';
import { recordStoreTarget } from '../../src/azure/records';
import { t } from '../../src/i18n';
import { allInputs, button, cardClicks, id } from '../conversation/helpers/card-clicks';
import { cardText, startHarness, type Harness } from '../conversation/helpers/bot-harness';

// Finding 5: a recreate deleted first and held the definition only in memory, so a failed create (or a process
// dying mid-way) lost the template for good. Now the full definition is saved in bot state before the delete,
// and a failed create shows it on the card, ready to copy, while the record waits for the next start-up.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const { diagnosisCardOf, click, armGet, updatesOf } = cardClicks(() => h);

test('the create failing after the delete: the card shows the saved definition and bot state keeps it', async () => {
  const name = 'ubuntu2204-devtools';
  const before: any = await (await armGet(name)).json();
  const at = await diagnosisCardOf(name);
  const confirmation = await click('recreate-larger-timeout', { templateId: id(name) }, at);
  h.app.sandbox!.faults.add({ target: 'arm', method: 'PUT', pathIncludes: `/imageTemplates/${name}`, status: 400, code: 'InvalidParameter', times: 20 });
  try {
    await click('confirm-recreate-larger-timeout', button(confirmation, 'confirm-recreate-larger-timeout').data, at);
    await h.app.idle();
  } finally {
    h.app.sandbox!.faults.clear();
  }
  expect((await armGet(name)).status).toBe(404);
  const final = updatesOf(at.cardId).at(-1);
  expect(cardText(final)).toContain(t('en', 'actions.savedDefinition'));
  const saved = JSON.parse(allInputs(final).find((i) => i.id === 'savedDefinition')!.value!);
  expect(saved.source).toEqual(before.properties.source);
  expect(saved.distribute).toEqual(before.properties.distribute);

  const sb = h.app.sandbox!;
  const state = new BotState(await createBotStorage(recordStoreTarget({ kind: 'sandbox', url: sb.stateStorage.url, account: sb.stateStorage.account, key: sb.stateStorage.key }, 'bot-state')));
  const records = await state.recreates();
  expect(records.map((r) => [r.templateId, r.stage])).toEqual([[id(name), 'deleted']]);
  expect((records[0].body as any).buildTimeoutInMinutes).toBeGreaterThan(before.properties.buildTimeoutInMinutes ?? 0);
});
