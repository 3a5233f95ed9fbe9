import { t } from '../../src/i18n';
import { claimKey } from '../../src/bot/guards/claim-once';
import { createRecordStore, recordStoreTarget } from '../../src/azure/records';
import { ALICE, BOB, cardActions, cardText, startHarness, type Harness } from './helpers/bot-harness';
import { allInputs, button, cardClicks, id } from './helpers/card-clicks';

// Card actions over /api/messages with real invoke activities: confirm, cancel, policy, double clicks, stale cards,
// targets changing underneath, Azure errors. The sandbox is Azure; the capture server is Teams.

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

  test('Cancel restores the diagnosis card and deletes nothing', async () => {
    const at = await diagnosisCardOf('ubuntu2204-web');
    const confirmation = await click('delete-template', button(at.card, 'delete-template').data, at);
    const restored = await click('dismiss-delete-template', button(confirmation, 'dismiss-delete-template').data, at);
    expect(cardText(restored)).toContain(t('en', 'card.diagnosis.heading', { name: 'ubuntu2204-web' }));
    expect((await armGet('ubuntu2204-web')).status).toBe(200);
    expect((await auditFor(id('ubuntu2204-web'))).map((a) => a.result)).toEqual(['requested', 'dismissed']);
  });

  test('a double click on Confirm deletes once; the second click is told it was already handled', async () => {
    const at = await diagnosisCardOf('win2019-iis');
    const confirmation = await click('delete-template', button(at.card, 'delete-template').data, at);
    const data = button(confirmation, 'confirm-delete-template').data;
    const [a, b] = await Promise.all([click('confirm-delete-template', data, at), click('confirm-delete-template', data, at)]);
    const texts = [cardText(a), cardText(b)];
    expect(texts.filter((x) => x.includes(t('en', 'actions.working.delete-template', { name: 'win2019-iis' })))).toHaveLength(1);
    await h.app.idle();
    const results = (await auditFor(id('win2019-iis'))).map((r) => r.result);
    expect(results.filter((r) => r === 'succeeded')).toHaveLength(1);
    expect(results.filter((r) => r === 'confirmed')).toHaveLength(1);
  });

  test('two people confirming at once: exactly one deletion, the other is told who did it', async () => {
    const at = await diagnosisCardOf('win2019-sql');
    const alice = await click('delete-template', button(at.card, 'delete-template').data, at, ALICE);
    const bob = await click('delete-template', button(at.card, 'delete-template').data, at, BOB);
    const [ra, rb] = await Promise.all([
      click('confirm-delete-template', button(alice, 'confirm-delete-template').data, at, ALICE),
      click('confirm-delete-template', button(bob, 'confirm-delete-template').data, at, BOB),
    ]);
    const loser = [ra, rb].map(cardText).find((x) => x.includes(t('en', 'actions.outcome.duplicate.heading')));
    expect(loser).toBeDefined();
    expect(loser).toMatch(/Alice Example|Bob Example/);
    await h.app.idle();
    const results = (await auditFor(id('win2019-sql'))).map((r) => r.result);
    expect(results.filter((r) => r === 'succeeded')).toHaveLength(1);
    expect(results.filter((r) => r === 'duplicate')).toHaveLength(1);
  });

  test('a stale card: the template changed since the confirmation was shown → nothing is deleted', async () => {
    const at = await diagnosisCardOf('ubuntu2204-gpu');
    const confirmation = await click('delete-template', button(at.card, 'delete-template').data, at);
    // Someone starts a build from elsewhere (the portal) after the card was shown.
    const run = await fetch(`${h.app.sandbox!.armEndpoint}${id('ubuntu2204-gpu')}/run?api-version=2025-10-01`, { method: 'POST' });
    expect(run.status).toBe(202);
    const answer = await click('confirm-delete-template', button(confirmation, 'confirm-delete-template').data, at);
    expect(cardText(answer)).toContain(t('en', 'actions.outcome.stale.heading'));
    expect((await armGet('ubuntu2204-gpu')).status).toBe(200);
    expect((await auditFor(id('ubuntu2204-gpu'))).map((a) => a.result)).toContain('stale');
  });

  test('a confirmation clicked after the template is gone says so', async () => {
    const at = await diagnosisCardOf('ubuntu2204-smoke');
    const confirmation = await click('delete-template', button(at.card, 'delete-template').data, at);
    await fetch(`${h.app.sandbox!.armEndpoint}${id('ubuntu2204-smoke')}?api-version=2025-10-01`, { method: 'DELETE' });
    for (let i = 0; i < 50 && (await armGet('ubuntu2204-smoke')).status !== 404; i++) await new Promise((r) => setTimeout(r, 50));
    const answer = await click('confirm-delete-template', button(confirmation, 'confirm-delete-template').data, at);
    expect(cardText(answer)).toContain(t('en', 'actions.outcome.gone.heading', { name: 'ubuntu2204-smoke' }));
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

  test('Azure throttling (429) or down (503) when asking → an actionable card, nothing pending', async () => {
    const at = await diagnosisCardOf('win2022-vnet');
    for (const [status, title] of [[429, 'card.error.throttled.title'], [503, 'card.error.service-unavailable.title']] as const) {
      h.app.sandbox!.faults.add({ target: 'arm', method: 'GET', pathIncludes: '/imageTemplates/win2022-vnet', status, retryAfterSeconds: 90, times: 20 });
      try {
        const answer = await click('delete-template', button(at.card, 'delete-template').data, at);
        expect(cardText(answer)).toContain(t('en', title));
      } finally {
        h.app.sandbox!.faults.clear();
      }
    }
  });

  test('a conflict (409) from Azure is reported, not retried blindly', async () => {
    const at = await diagnosisCardOf('win2022-isolated');
    const confirmation = await click('delete-template', button(at.card, 'delete-template').data, at);
    h.app.sandbox!.faults.add({ target: 'arm', method: 'DELETE', pathIncludes: '/imageTemplates/win2022-isolated', status: 409, code: 'OperationNotAllowed', times: 5 });
    try {
      await click('confirm-delete-template', button(confirmation, 'confirm-delete-template').data, at);
      await h.app.idle();
    } finally {
      h.app.sandbox!.faults.clear();
    }
    expect(cardText(updatesOf(at.cardId).at(-1))).toMatch(/OperationNotAllowed|operation-not-allowed|conflict/i);
  });

  test('Action.Submit from older clients works too (a message carrying the verb)', async () => {
    const at = await diagnosisCardOf('win2022-global');
    const act = { type: 'message', value: { ...button(at.card, 'delete-template').data, verb: 'delete-template' } };
    const res = await h.post({ ...(await import('./helpers/bot-harness')).activity(undefined, h.capture, { conversationId: at.conversationId }), ...act });
    expect(res.status).toBeLessThan(300);
    const sent = await h.capture.waitFor((c) => c.conversationId === at.conversationId && cardText(c.activity.attachments?.[0]?.content ?? {}).includes(t('en', 'actions.confirm.delete-template.heading', { name: 'win2022-global' })));
    expect(sent).toHaveLength(1);
  });
});

describe('recreate with a larger timeout / VM', () => {
  test('shows exactly what changes, then deletes and creates the template with it', async () => {
    const name = 'ubuntu2204-devtools';
    const before: any = await (await armGet(name)).json();
    const at = await diagnosisCardOf(name);
    const confirmation = await click('recreate-larger-timeout', { templateId: id(name), diagnosisId: 'build-timeout' }, at);
    const timeout = before.properties.buildTimeoutInMinutes ?? 0;
    const expected = String(Math.min(960, Math.max((timeout || 240) * 2, 60)));
    expect(cardText(confirmation)).toContain('buildTimeoutInMinutes');
    expect(cardText(confirmation)).toContain(`${timeout} → ${expected}`);
    await click('confirm-recreate-larger-timeout', button(confirmation, 'confirm-recreate-larger-timeout').data, at);
    await h.app.idle();
    expect(cardText(updatesOf(at.cardId).at(-1))).toContain(t('en', 'actions.outcome.recreated.heading', { name }));
    const after: any = await (await armGet(name)).json();
    expect(after.properties.buildTimeoutInMinutes).toBe(Number(expected));
    expect(after.properties.source).toEqual(before.properties.source);
  });

  test('a larger VM goes one size up', async () => {
    const at = await diagnosisCardOf('win2019-minimal');
    const confirmation = await click('recreate-larger-vm', button(at.card, 'recreate-larger-vm').data, at);
    expect(cardText(confirmation)).toMatch(/vmProfile\.vmSize\n.*→ Standard_D\d+ds_v4/);
  });
});

describe('every confirmed action shares the same guards', () => {
  test.each(['recreate-larger-vm', 'recreate-larger-timeout'] as const)('%s: a stale confirmation does nothing', async (verb) => {
    const name = verb === 'recreate-larger-vm' ? 'win2022-appbundle' : 'ubuntu2204-nightly-07';
    const at = await diagnosisCardOf(name);
    const confirmation = await click(verb, { templateId: id(name) }, at);
    expect((await fetch(`${h.app.sandbox!.armEndpoint}${id(name)}/run?api-version=2025-10-01`, { method: 'POST' })).status).toBe(202);
    const answer = await click(`confirm-${verb}`, button(confirmation, `confirm-${verb}`).data, at);
    expect(cardText(answer)).toContain(t('en', 'actions.outcome.stale.heading'));
    expect((await auditFor(id(name))).map((a) => a.result)).toEqual(['requested', 'stale']);
    await h.app.idle();
  });

  test('recreate: a double click recreates once', async () => {
    const at = await diagnosisCardOf('win2019-from-managed');
    const confirmation = await click('recreate-larger-vm', { templateId: id('win2019-from-managed') }, at);
    const data = button(confirmation, 'confirm-recreate-larger-vm').data;
    await Promise.all([click('confirm-recreate-larger-vm', data, at), click('confirm-recreate-larger-vm', data, at)]);
    await h.app.idle();
    const results = (await auditFor(id('win2019-from-managed'))).map((r) => r.result);
    expect(results.filter((r) => r === 'succeeded')).toHaveLength(1);
    expect((await (await armGet('win2019-from-managed')).json() as any).properties.vmProfile.vmSize).toMatch(/^Standard_D\d+ds_v4$/);
  });

  test('rerun: Azure refusing the run (403) → an error card naming the missing permission, no build started', async () => {
    h.app.sandbox!.faults.add({ target: 'arm', method: 'POST', pathIncludes: '/imageTemplates/win2022-from-sig/run', status: 403, times: 5 });
    try {
      const answer = await h.invoke('rerun', { templateId: id('win2022-from-sig') });
      expect(cardText(answer.body.value)).toMatch(/run\/action|permission|not allowed/i);
    } finally {
      h.app.sandbox!.faults.clear();
    }
    const status: any = await (await armGet('win2022-from-sig')).json();
    expect(status.properties.lastRunStatus.runState).toBe('Failed');
  });

  test('rerun: throttled (429) → when to try again, no build started', async () => {
    h.app.sandbox!.faults.add({ target: 'arm', method: 'POST', pathIncludes: '/imageTemplates/win2022-from-sig/run', status: 429, retryAfterSeconds: 120, times: 5 });
    try {
      const answer = await h.invoke('rerun', { templateId: id('win2022-from-sig') });
      expect(cardText(answer.body.value)).toContain(t('en', 'card.error.throttled.title'));
    } finally {
      h.app.sandbox!.faults.clear();
    }
  });
});

describe('a crashed process', () => {
  test('a delete claimed hours ago by a process that died does not block a new confirmation', async () => {
    const sb = h.app.sandbox!;
    const name = 'win2022-cis-policy';
    const at = await diagnosisCardOf(name);
    const before: any = await (await armGet(name)).json();
    const snapshot = { provisioningState: before.properties.provisioningState, runStartTime: new Date(before.properties.lastRunStatus.startTime).toISOString() };
    const claims = createRecordStore(recordStoreTarget({ kind: 'sandbox', url: sb.stateStorage.url, account: sb.stateStorage.account, key: sb.stateStorage.key }, 'bot-state'));
    const stale = { key: claimKey('delete-template', id(name), snapshot), action: 'delete-template', templateId: id(name), by: { name: 'Carol (crashed)' }, at: new Date(Date.now() - 3 * 3600_000).toISOString(), status: 'running' as const };
    await claims.claim(stale);
    const confirmation = await click('delete-template', button(at.card, 'delete-template').data, at);
    const answer = await click('confirm-delete-template', button(confirmation, 'confirm-delete-template').data, at);
    expect(cardText(answer)).toContain(t('en', 'actions.working.delete-template', { name }));
    await h.app.idle();
    expect((await armGet(name)).status).toBe(404);
  });
});

describe('support case', () => {
  test('opens a prefilled form, and submitting it (portal mode) gives a link and a copy-ready text', async () => {
    const at = await diagnosisCardOf('ubuntu2204-cis');
    const form = await click('open-support-case', button(at.card, 'open-support-case').data, at);
    const text = JSON.stringify(form);
    expect(text).toContain(id('ubuntu2204-cis'));
    expect(text).toContain('Azure Image Builder');
    const submit = cardActions(form).find((a) => a.verb === 'confirm-open-support-case')!;
    // The client merges the form's inputs into the action's data.
    const inputs = Object.fromEntries(allInputs(form).map((i) => [i.id, i.value ?? '']));
    const result = await click('confirm-open-support-case', { ...submit.data, ...inputs, supportEmail: 'alice@contoso.example' }, at);
    expect(JSON.stringify(result)).toContain('portal.azure.com');
    expect(JSON.stringify(result)).not.toMatch(/sig=/);
  });

  test('dismissing the form of a pasted-text diagnosis says nothing was sent', async () => {
    const answer = await h.invoke('dismiss-open-support-case', { diagnosisId: 'devops-task-canceled' });
    expect(answer.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: t('en', 'actions.supportDismissed') });
  });
});

// The action policy's denials are tested on the fake channel: test/bot/policy-actions.test.ts.
