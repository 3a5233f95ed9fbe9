import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { auditBlobName } from '../../src/azure/records';
import { t } from '../../src/i18n';
import { cardText, startHarness, type Harness } from '../conversation/helpers/bot-harness';
import { button, cardClicks, id } from '../conversation/helpers/card-clicks';

// Finding 8 (the bot's side): failed audit appends were swallowed and a rerun called ARM before any record. Now the
// intent record is written first and an action whose record cannot be written is refused, with a card saying so.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const { diagnosisCardOf, click, armGet } = cardClicks(() => h);

/** Holds an infinite lease on today's audit blob: every append without the lease id fails, as a broken store would. */
async function breakTheAuditTrail(): Promise<() => Promise<void>> {
  const sb = h.app.sandbox!;
  const service = new BlobServiceClient(sb.stateStorage.url, new StorageSharedKeyCredential(sb.stateStorage.account, sb.stateStorage.key));
  const container = service.getContainerClient('audit');
  await container.createIfNotExists();
  const blob = container.getAppendBlobClient(auditBlobName(new Date().toISOString().slice(0, 10), 0));
  await blob.createIfNotExists();
  const lease = blob.getBlobLeaseClient();
  await lease.acquireLease(-1);
  return async () => {
    await lease.releaseLease();
  };
}

const refused = t('en', 'card.error.audit-unavailable.title');

test('rerun: refused before ARM is called when the intent cannot be recorded', async () => {
  const name = 'win2019-wu-d1';
  const before: any = await (await armGet(name)).json();
  const repair = await breakTheAuditTrail();
  try {
    const r = await h.answer('rerun', { templateId: id(name) });
    expect(cardText(r.value)).toContain(refused);
    expect(cardText(r.value)).toContain(t('en', 'card.error.audit-unavailable.text'));
  } finally {
    await repair();
  }
  const after: any = await (await armGet(name)).json();
  expect(after.properties.lastRunStatus).toEqual(before.properties.lastRunStatus);
});

test('confirming a delete: refused, the template stays, and a later click works again', async () => {
  const name = 'ubuntu2204-web';
  const at = await diagnosisCardOf(name);
  const confirmation = await click('delete-template', button(at.card, 'delete-template').data, at);
  const repair = await breakTheAuditTrail();
  try {
    expect(cardText(await click('confirm-delete-template', button(confirmation, 'confirm-delete-template').data, at))).toContain(refused);
  } finally {
    await repair();
  }
  await h.app.idle();
  expect((await armGet(name)).status).toBe(200);
  // The refused claim does not block the retry.
  const again = await click('delete-template', button(at.card, 'delete-template').data, at);
  const working = await click('confirm-delete-template', button(again, 'confirm-delete-template').data, at);
  expect(cardText(working)).toContain(t('en', 'actions.working.delete-template', { name }));
  await h.app.idle();
});

test('asking for a confirmation, and opening a support case, are refused too', async () => {
  const repair = await breakTheAuditTrail();
  try {
    for (const verb of ['delete-template', 'open-support-case']) {
      const r = await h.answer(verb, { templateId: id('win2022-core') });
      expect(cardText(r.value)).toContain(refused);
    }
  } finally {
    await repair();
  }
});
