import { t } from '../../src/i18n';
import { cardActions, cardText, startHarness, type Harness } from './helpers/bot-harness';
import { cardClicks, id } from './helpers/card-clicks';

// A rerun over /api/messages, end to end: the same card follows the sandbox's build through its sub-states. The
// sandbox runs slower here (400 ms per sub-state) so a person — and this test — can see each step. Double clicks,
// already-running, run outputs and cancel run on the fake channel: test/bot/runs.test.ts.

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ stepMs: 400 });
});
afterAll(async () => {
  await h?.stop();
});

const { diagnosisCardOf, click, auditFor, updatesOf } = cardClicks(() => h);

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
});
