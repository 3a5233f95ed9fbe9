import { catalogText, t } from '../../src/i18n';
import { ALICE, cardActions, cardText, startHarness, type Harness } from './helpers/bot-harness';
import { button, cardClicks, id } from './helpers/card-clicks';

// The bot as users run it — startApp with its embedded sandbox (ARM emulator + Azurite), driven over HTTP with real
// Activity JSON, replies caught by the capture server — in one file so the suite starts that world once. What is
// kept here is what only the real processes show: a question answered end to end, Azure's 429/503 as HTTP answers
// through the SDK's retry policy, the server's probes, a delete through ARM's long-running operation with its audit
// trail in Azurite, and a rerun followed on the sandbox's clock (400 ms per sub-state, so each step can be seen).
// Everything else runs on the fake channel over the same scenarios in memory: test/bot/ask.test.ts,
// test/bot/actions.test.ts, test/bot/runs.test.ts, test/bot/policy-actions.test.ts.

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ stepMs: 400 });
});
afterAll(async () => {
  await h?.stop();
});

const { diagnosisCardOf, click, armGet, auditFor, updatesOf } = cardClicks(() => h);

test('why did X fail → the diagnosis card, with the catalog’s buttons', async () => {
  const { conversationId, cards } = await h.ask('why did template win2019-minimal fail?');
  const text = cardText(cards[0]);
  expect(text).toContain(catalogText('en', 'sysprep-timing').title);
  expect(text).toContain("Cannot find any service with service name 'WindowsAzureGuestAgent'");
  expect(cardActions(cards[0]).map((a) => a.verb)).toEqual(expect.arrayContaining(['recreate-larger-vm', 'show-log']));
  // Sooner than the typing delay: no indicator before the card, nor after it.
  const mine = h.capture.received.filter((c) => c.conversationId === conversationId);
  expect(mine.map((c) => c.activity.type)).not.toContain('typing');
});

test('an answer held up by a slow Azure shows the typing indicator over HTTP first', async () => {
  h.app.sandbox!.faults.add({ target: 'arm', method: 'GET', pathIncludes: '/imageTemplates/win2019-minimal', latencyMs: 1500, times: 1 });
  try {
    const { conversationId, cards } = await h.ask('why did template win2019-minimal fail?');
    expect(cardText(cards[0])).toContain(catalogText('en', 'sysprep-timing').title);
    const mine = h.capture.received.filter((c) => c.conversationId === conversationId);
    expect(mine[0].activity.type).toBe('typing');
  } finally {
    h.app.sandbox!.faults.clear();
  }
});

describe('Azure faults over HTTP', () => {
  test('Azure answering 429 → a throttling card saying when to retry, nothing lost', async () => {
    h.app.sandbox!.faults.add({ target: 'arm', status: 429, retryAfterSeconds: 120, times: 50 });
    try {
      const { cards } = await h.ask('status of win2019-minimal');
      const text = cardText(cards[0]);
      expect(text).toContain(t('en', 'card.error.throttled.title'));
      expect(text).toContain('120');
    } finally {
      h.app.sandbox!.faults.clear();
    }
    const { cards } = await h.ask('status of win2019-minimal');
    expect(cardText(cards[0])).toContain(t('en', 'card.status.heading', { name: 'win2019-minimal' }));
  });

  test('Azure answering 503 → a service-unavailable card', async () => {
    h.app.sandbox!.faults.add({ target: 'arm', status: 503, times: 50 });
    try {
      const { cards } = await h.ask('status of win2019-minimal');
      expect(cardText(cards[0])).toContain(t('en', 'card.error.service-unavailable.title'));
    } finally {
      h.app.sandbox!.faults.clear();
    }
  });
});

describe('server', () => {
  test('/healthz and /readyz', async () => {
    expect((await fetch(`${h.app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${h.app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', mode: 'sandbox' });
  });

  test('/readyz says not ready when Azure is down', async () => {
    h.app.sandbox!.faults.add({ target: 'arm', status: 503, times: 50 });
    try {
      expect((await fetch(`${h.app.url}/readyz`)).status).toBe(503);
    } finally {
      h.app.sandbox!.faults.clear();
    }
  });
});

describe('delete-template', () => {
  test('asks for confirmation naming the template, its group and what goes with it; Confirm deletes; the card says who and when', async () => {
    const at = await diagnosisCardOf('ubuntu2204-api');
    const del = button(at.card, 'delete-template');
    const diagnosisCardId = at.cardId;
    const confirmation = await click('delete-template', del.data, at);
    // The confirmation is a new reply in the conversation; Confirm and the outcome then land on it.
    expect(at.cardId).not.toBe(diagnosisCardId);
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
    // Nothing erased: the diagnosis card everyone read was never updated.
    expect(updatesOf(diagnosisCardId)).toEqual([]);

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

describe('rerun', () => {
  test('starts a run in a new reply, which follows the sub-states to "failed again"; the diagnosis card is never touched', async () => {
    const at = await diagnosisCardOf('win2019-wu-d1');
    // The raw invoke answer (click() would read the reply): only an acknowledgement, the diagnosis card untouched.
    const ack = (await h.invoke('rerun', { templateId: id('win2019-wu-d1'), diagnosisId: 'low-resources' }, { conversationId: at.conversationId, replyToId: at.cardId })).body.value;
    expect(ack).toBe(t('en', 'actions.answeredBelow'));
    const progressHeading = t('en', 'actions.progress.run.heading', { name: 'win2019-wu-d1', state: t('en', 'actions.subState.Queued') });
    // The reply goes to the diagnosis card's conversation (in a channel, its thread: the conversation id carries it).
    const [progress] = await h.capture.waitFor((c) => c.conversationId === at.conversationId && c.method === 'POST' && cardText(c.activity.attachments?.[0]?.content ?? {}).includes(progressHeading));
    expect(progress.assignedId).not.toBe(at.cardId);
    expect(cardActions(progress.activity.attachments[0].content).some((a) => a.verb === 'cancel-run')).toBe(true);
    await h.app.idle();
    const updates = updatesOf(progress.assignedId).map(cardText);
    const seen = ['Building', 'Customizing'].filter((s) => updates.some((u) => u.includes(t('en', 'actions.progress.run.heading', { name: 'win2019-wu-d1', state: t('en', `actions.subState.${s}`) }))));
    expect(seen).toEqual(['Building', 'Customizing']);
    // The scenario fails again the same way: the reply ends as its diagnosis, saying so.
    expect(updates.at(-1)).toContain(t('en', 'card.diagnosis.headingAgainSame', { name: 'win2019-wu-d1' }));
    expect(updatesOf(at.cardId)).toEqual([]);
    expect((await auditFor(id('win2019-wu-d1'))).map((a) => a.result)).toEqual(['requested', 'succeeded']);
  });
});
