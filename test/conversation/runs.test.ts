import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLog, recordStoreTarget, type AuditRecord } from '../../src/azure/records';
import { t } from '../../src/i18n';
import { ALICE, BOB, cardActions, cardText, startHarness, type Harness } from './helpers/bot-harness';

// Rerun and cancel over /api/messages: the same card follows the build through its sub-states. The sandbox runs
// slower here (400 ms per sub-state) so a person — and this test — can see each step.

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ stepMs: 400 });
});
afterAll(async () => {
  await h?.stop();
});

const SUB = '00000000-0000-4000-8000-00000000a1b0';
const id = (name: string, rg = 'aib-sandbox') => `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.VirtualMachineImages/imageTemplates/${name}`;

/** Asks for a diagnosis and returns the card's activity id and conversation, as a person clicking on it would have. */
async function diagnosisCardOf(name: string, user = ALICE) {
  const r = await h.ask(`why did template ${name} fail?`, { user });
  return { conversationId: r.conversationId, cardId: r.replies[0].assignedId, card: r.cards[0] };
}

function button(card: any, verb: string) {
  const b = cardActions(card).find((a) => a.type === 'Action.Execute' && a.verb === verb);
  if (!b) throw new Error(`no ${verb} button on the card: ${cardText(card)}`);
  return b;
}

async function click(verb: string, data: Record<string, unknown>, at: { conversationId: string; cardId: string }, user = ALICE) {
  const r = await h.invoke(verb, data, { conversationId: at.conversationId, replyToId: at.cardId, user });
  expect(r.status).toBe(200);
  expect(r.body.statusCode).toBe(200);
  return r.body.value;
}

async function armGet(name: string, rg = 'aib-sandbox') {
  return fetch(`${h.app.sandbox!.armEndpoint}${id(name, rg)}?api-version=2025-10-01`);
}

async function auditFor(target: string): Promise<AuditRecord[]> {
  const sb = h.app.sandbox!;
  const log = createAuditLog(recordStoreTarget({ kind: 'sandbox', url: sb.stateStorage.url, account: sb.stateStorage.account, key: sb.stateStorage.key }, 'audit'));
  const out: AuditRecord[] = [];
  for await (const r of log.list()) if (r.target === target) out.push(r);
  return out;
}

function allInputs(card: any): Array<{ id: string; value?: string }> {
  const out: Array<{ id: string; value?: string }> = [];
  const walk = (n: any) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      if (typeof n.type === 'string' && n.type.startsWith('Input.')) out.push(n);
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return out;
}

/** The card updates (PUT) the capture server received for one card. */
function updatesOf(cardId: string) {
  return h.capture.received.filter((c) => c.method === 'PUT' && c.activityId === cardId).map((c) => c.activity.attachments[0].content);
}

describe('rerun', () => {
  test('starts a run and updates the same card through the sub-states to a fresh diagnosis', async () => {
    const at = await diagnosisCardOf('win2019-wu-d1');
    const progress = await click('rerun', { templateId: id('win2019-wu-d1'), diagnosisId: 'low-resources' }, at);
    expect(cardText(progress)).toContain(t('en', 'actions.progress.run.heading', { name: 'win2019-wu-d1', state: t('en', 'actions.subState.Queued') }));
    expect(cardActions(progress).some((a) => a.verb === 'cancel-run')).toBe(true);
    await h.app.idle();
    const updates = updatesOf(at.cardId).map(cardText);
    const seen = ['Building', 'Customizing'].filter((s) => updates.some((u) => u.includes(t('en', 'actions.progress.run.heading', { name: 'win2019-wu-d1', state: t('en', `actions.subState.${s}`) }))));
    expect(seen).toEqual(['Building', 'Customizing']);
    // The scenario fails again the same way: the card ends as its diagnosis.
    expect(updates.at(-1)).toContain(t('en', 'card.diagnosis.heading', { name: 'win2019-wu-d1' }));
    expect((await auditFor(id('win2019-wu-d1'))).map((a) => a.result)).toEqual(['succeeded']);
  });

  test('a double click starts one build', async () => {
    const at = await diagnosisCardOf('ubuntu2204-nightly-01');
    const data = button(at.card, 'rerun').data;
    const [a, b] = await Promise.all([click('rerun', data, at), click('rerun', data, at, BOB)]);
    const texts = [cardText(a), cardText(b)];
    expect(texts.filter((x) => x.includes(t('en', 'actions.outcome.duplicate.heading')) || x.includes(t('en', 'actions.outcome.already-running.heading', { name: 'ubuntu2204-nightly-01' })))).toHaveLength(1);
    await h.app.idle();
  });

  test('while a build runs, rerun says so and offers cancel', async () => {
    const answer = await h.invoke('rerun', { templateId: id('win2022-running') });
    expect(cardText(answer.body.value)).toContain(t('en', 'actions.outcome.already-running.heading', { name: 'win2022-running' }));
    expect(cardActions(answer.body.value).some((a) => a.verb === 'cancel-run')).toBe(true);
  });

  test('succeeds with run outputs for a template that builds fine', async () => {
    const r = await h.ask('status of ubuntu2204-ok');
    const at = { conversationId: r.conversationId, cardId: r.replies[0].assignedId };
    await click('rerun', { templateId: id('ubuntu2204-ok') }, at);
    await h.app.idle();
    const last = cardText(updatesOf(at.cardId).at(-1));
    expect(last).toContain(t('en', 'actions.outcome.run-succeeded.heading', { name: 'ubuntu2204-ok' }));
    expect(last).toMatch(/Microsoft\.Compute/);
  });
});

describe('cancel-run', () => {
  test('with confirmation; the card follows the run to Canceled', async () => {
    const r = await h.ask('status of win2022-running');
    const at = { conversationId: r.conversationId, cardId: r.replies[0].assignedId };
    const confirmation = await click('cancel-run', { templateId: id('win2022-running') }, at);
    expect(cardText(confirmation)).toContain(t('en', 'actions.confirm.cancel-run.heading', { name: 'win2022-running' }));
    await click('confirm-cancel-run', button(confirmation, 'confirm-cancel-run').data, at);
    await h.app.idle();
    expect(cardText(updatesOf(at.cardId).at(-1))).toContain(t('en', 'actions.outcome.run-canceled.heading', { name: 'win2022-running' }));
    const status: any = await (await armGet('win2022-running')).json();
    expect(status.properties.lastRunStatus.runState).toBe('Canceled');
  });

  test('with no build running there is nothing to cancel', async () => {
    const answer = await h.invoke('cancel-run', { templateId: id('ubuntu2204-ok') });
    expect(cardText(answer.body.value)).toContain(t('en', 'actions.outcome.not-running.heading', { name: 'ubuntu2204-ok' }));
  });
});

