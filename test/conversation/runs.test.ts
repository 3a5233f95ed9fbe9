import { t } from '../../src/i18n';
import { BOB, cardActions, cardText, startHarness, type Harness } from './helpers/bot-harness';
import { button, cardClicks, id } from './helpers/card-clicks';

// Rerun and cancel over /api/messages: the same card follows the build through its sub-states. The sandbox runs
// slower here (400 ms per sub-state) so a person — and this test — can see each step.

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ stepMs: 400 });
});
afterAll(async () => {
  await h?.stop();
});

const { diagnosisCardOf, click, armGet, auditFor, updatesOf } = cardClicks(() => h);

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
    expect((await auditFor(id('win2019-wu-d1'))).map((a) => a.result)).toEqual(['requested', 'succeeded']);
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

