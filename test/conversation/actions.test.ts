import { t } from '../../src/i18n';
import { ALICE, cardText, startHarness, type Harness } from './helpers/bot-harness';
import { button, cardClicks, id } from './helpers/card-clicks';

// Card actions over /api/messages with real invoke activities, end to end: one delete → confirm → deleted with its
// audit trail in Azurite, and Azure refusing a delete through the SDK's long-running operation. The sandbox is
// Azure; the capture server is Teams. Cancel, double clicks, stale cards, targets changing underneath, the other
// Azure errors, recreate, Action.Submit and the support case run on the fake channel: test/bot/actions.test.ts.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const { diagnosisCardOf, click, armGet, auditFor, updatesOf } = cardClicks(() => h);

describe('delete-template', () => {
  test('asks for confirmation naming the template, its group and what goes with it; Confirm deletes; the card says who and when', async () => {
    const at = await diagnosisCardOf('ubuntu2204-api');
    const del = button(at.card, 'delete-template');
    const confirmation = await click('delete-template', del.data, at);
    const text = cardText(confirmation);
    expect(text).toContain(t('en', 'actions.confirm.delete-template.heading', { name: 'ubuntu2204-api' }));
    expect(text).toContain('aib-sandbox');
    expect(text).toMatch(/IT_aib-sandbox_ubuntu2204-api/);
    expect((await armGet('ubuntu2204-api')).status).toBe(200); // nothing done yet

    const working = await click('confirm-delete-template', button(confirmation, 'confirm-delete-template').data, at);
    expect(cardText(working)).toContain(t('en', 'actions.working.delete-template', { name: 'ubuntu2204-api' }));
    await h.app.idle();
    const final = updatesOf(at.cardId).at(-1);
    expect(cardText(final)).toContain(t('en', 'actions.outcome.deleted.heading', { name: 'ubuntu2204-api' }));
    expect(cardText(final)).toContain('Alice Example');
    expect((await armGet('ubuntu2204-api')).status).toBe(404);

    const audit = await auditFor(id('ubuntu2204-api'));
    expect(audit.map((a) => a.result)).toEqual(['requested', 'confirmed', 'succeeded']);
    expect(audit.every((a) => a.user.aadObjectId === ALICE.aadObjectId && a.conversationId === at.conversationId && a.action === 'delete-template')).toBe(true);
  });

  test('Azure refusing the delete (403) → the card says so; the template stays', async () => {
    const at = await diagnosisCardOf('win2022-cis-policy');
    const confirmation = await click('delete-template', button(at.card, 'delete-template').data, at);
    h.app.sandbox!.faults.add({ target: 'arm', method: 'DELETE', pathIncludes: '/imageTemplates/win2022-cis-policy', status: 403, times: 5 });
    try {
      await click('confirm-delete-template', button(confirmation, 'confirm-delete-template').data, at);
      await h.app.idle();
    } finally {
      h.app.sandbox!.faults.clear();
    }
    const final = updatesOf(at.cardId).at(-1);
    expect(cardText(final)).toContain(t('en', 'actions.outcome.failed.heading', { action: t('en', 'action.delete-template'), name: 'win2022-cis-policy' }));
    expect(cardText(final)).toMatch(/forbidden|Authorization/i);
    expect((await armGet('win2022-cis-policy')).status).toBe(200);
    expect((await auditFor(id('win2022-cis-policy'))).map((a) => a.result)).toContain('failed');
  });
});

// The action policy's denials are tested on the fake channel: test/bot/policy-actions.test.ts.
