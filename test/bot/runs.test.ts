import { catalogText, t } from '../../src/i18n';
import { button, cardActions, cardText } from './helpers/card-reading';
import { ALICE, BOB, fakeBot } from './helpers/fake-bot';
import { id } from './helpers/seeded-azure';
import { seededBotSuite } from './helpers/seeded-bot-suite';

// Rerun and cancel on the fake channel (moved from test/conversation/runs.test.ts, which keeps one rerun followed
// on the sandbox's clock). Here a build moves one sub-state per read, so the card's progress is deterministic.

const { azure, bot } = seededBotSuite();
let conversation = 0;

async function cardOf(question: string) {
  const conversationId = `a:runs-${++conversation}`;
  const [card] = await bot.say(question, ALICE, conversationId);
  return { conversationId, card };
}

const click = async (verb: string, data: unknown, at: { conversationId: string }, user = ALICE) => (await bot.click(verb, data, user, at.conversationId)).value;
const updates = () => bot.updates.map((u) => cardText(u.attachments![0].content));
/** The card a rerun answers with: its own reply (the clicked card, `card-1`, is acknowledged and left alone). */
async function rerunReply(data: unknown, at: { conversationId: string }, user = ALICE) {
  const { body, sent } = await bot.press('rerun', data, user, at.conversationId);
  const reply = sent.find((a) => a.type === 'message' && a.attachments?.length);
  return { body, reply, card: reply?.attachments![0].content };
}

describe('rerun', () => {
  test('starts a run in a new reply, which follows the sub-states to "failed again, for the same reason"; the diagnosis card stays', async () => {
    const at = await cardOf('why did template win2019-wu-d1 fail?');
    const clicked = { templateId: id('win2019-wu-d1'), diagnosisId: 'low-resources' };
    const { body, reply, card: progress } = await rerunReply(clicked, at);
    // The click is acknowledged without a card: the diagnosis it was clicked on is not replaced.
    expect(body).toMatchObject({ type: 'application/vnd.microsoft.activity.message', value: t('en', 'actions.answeredBelow') });
    expect(reply!.conversation!.id).toBe(at.conversationId);
    expect(cardText(progress)).toContain(t('en', 'actions.progress.run.heading', { name: 'win2019-wu-d1', state: t('en', 'actions.subState.Queued') }));
    expect(cardActions(progress).some((a) => a.verb === 'cancel-run')).toBe(true);
    await bot.idle();
    // Every update went to the reply, none to the clicked diagnosis card.
    expect(new Set(bot.updates.map((u) => u.id))).toEqual(new Set([reply!.id]));
    const seen = ['Building', 'Customizing'].filter((s) => updates().some((u) => u.includes(t('en', 'actions.progress.run.heading', { name: 'win2019-wu-d1', state: t('en', `actions.subState.${s}`) }))));
    expect(seen).toEqual(['Building', 'Customizing']);
    // The scenario fails again the same way: the reply ends as its diagnosis, and its heading says so.
    expect(updates().at(-1)).toContain(t('en', 'card.diagnosis.headingAgainSame', { name: 'win2019-wu-d1' }));
    expect(bot.audit.records.filter((a) => a.target === id('win2019-wu-d1')).map((a) => a.result)).toEqual(['requested', 'succeeded']);
  });

  test('with Teams’ update interval, a fast build’s sub-states are coalesced: fewer updates, the final card last', async () => {
    // One sub-state per read, a read per millisecond: every sub-state lands inside one interval, so only the first
    // and the final card may go (newest wins); without the interval (the test above) Building, Customizing and the
    // final card are three updates.
    const coalesced = fakeBot({ gateways: azure.gateways, tailBytes: 256 * 1024, maxBytes: 512 * 1024 * 1024, cardUpdateMs: 1_000 });
    const [card] = await coalesced.say('why did template win2019-wu-d1 fail?', ALICE, 'a:runs-coalesced');
    expect(cardText(card)).toContain('win2019-wu-d1');
    await coalesced.click('rerun', { templateId: id('win2019-wu-d1'), diagnosisId: 'low-resources' }, ALICE, 'a:runs-coalesced');
    await coalesced.idle();
    const sent = coalesced.updates.map((u) => cardText(u.attachments![0].content));
    expect(sent.length).toBeLessThanOrEqual(2);
    expect(sent.at(-1)).toContain(t('en', 'card.diagnosis.headingAgainSame', { name: 'win2019-wu-d1' }));
  });

  test('a rerun clicked on a card that showed another cause says "for a different reason" and names the old one', async () => {
    const at = await cardOf('why did template win2019-wu-d1 fail?');
    await rerunReply({ templateId: id('win2019-wu-d1'), diagnosisId: 'quota-exceeded' }, at);
    await bot.idle();
    const heading = t('en', 'card.diagnosis.headingAgainOther', { name: 'win2019-wu-d1', previous: catalogText('en', 'quota-exceeded').title });
    expect(updates().at(-1)).toContain(heading);
  });

  test.each([
    ['not a catalog id', 'rm -rf /'],
    ['oversized', 'low-resources'.repeat(5000)],
    ['not a string', { id: 'low-resources' }],
    ['a prototype key', '__proto__'],
  ])('a forged diagnosisId (%s) is ignored: the heading says "failed again", nothing more', async (_what, diagnosisId) => {
    const at = await cardOf('why did template win2019-wu-d1 fail?');
    await rerunReply({ templateId: id('win2019-wu-d1'), diagnosisId }, at);
    await bot.idle();
    const last = updates().at(-1)!;
    expect(last).toContain(t('en', 'card.diagnosis.headingAgain', { name: 'win2019-wu-d1' }));
    expect(last).not.toContain('rm -rf');
    expect(last.length).toBeLessThan(20_000);
  });

  test('a double click starts one build', async () => {
    const at = await cardOf('why did template ubuntu2204-nightly-01 fail?');
    const data = button(at.card, 'rerun').data;
    const [a, b] = await Promise.all([rerunReply(data, at), rerunReply(data, at, BOB)]);
    // Both answers are replies; one is the build's progress, the other says it is already under way.
    const texts = [cardText(a.card), cardText(b.card)];
    expect(texts.filter((x) => x.includes(t('en', 'actions.outcome.duplicate.heading')) || x.includes(t('en', 'actions.outcome.already-running.heading', { name: 'ubuntu2204-nightly-01' })))).toHaveLength(1);
    await bot.idle();
    expect(azure.calls.filter((c) => c === 'run ubuntu2204-nightly-01')).toHaveLength(1);
  });

  test('while a build runs, rerun says so and offers cancel', async () => {
    const { body, card: answer } = await rerunReply({ templateId: id('win2022-running') }, { conversationId: 'a:runs-running' });
    expect(body.type).toBe('application/vnd.microsoft.activity.message');
    expect(cardText(answer)).toContain(t('en', 'actions.outcome.already-running.heading', { name: 'win2022-running' }));
    expect(cardActions(answer).some((a) => a.verb === 'cancel-run')).toBe(true);
    expect(azure.calls.filter((c) => c.endsWith('win2022-running'))).toEqual([]);
  });

  test('succeeds with run outputs for a template that builds fine', async () => {
    const at = await cardOf('status of ubuntu2204-ok');
    await rerunReply({ templateId: id('ubuntu2204-ok') }, at);
    await bot.idle();
    const last = updates().at(-1)!;
    expect(last).toContain(t('en', 'actions.outcome.run-succeeded.heading', { name: 'ubuntu2204-ok' }));
    expect(last).toMatch(/Microsoft\.Compute/);
  });
});

describe('cancel-run', () => {
  test('with confirmation; the card follows the run to Canceled', async () => {
    const at = await cardOf('status of win2022-running');
    const confirmation = await click('cancel-run', { templateId: id('win2022-running') }, at);
    expect(cardText(confirmation)).toContain(t('en', 'actions.confirm.cancel-run.heading', { name: 'win2022-running' }));
    await click('confirm-cancel-run', button(confirmation, 'confirm-cancel-run').data, at);
    await bot.idle();
    expect(updates().at(-1)).toContain(t('en', 'actions.outcome.run-canceled.heading', { name: 'win2022-running' }));
    expect((await azure.gateways.templates.get('aib-sandbox', 'win2022-running')).lastRunStatus!.runState).toBe('Canceled');
  });

  test('with no build running there is nothing to cancel', async () => {
    const answer = (await bot.click('cancel-run', { templateId: id('ubuntu2204-ok') })).value;
    expect(cardText(answer)).toContain(t('en', 'actions.outcome.not-running.heading', { name: 'ubuntu2204-ok' }));
  });
});
