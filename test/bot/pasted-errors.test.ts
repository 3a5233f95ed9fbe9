import type { Activity } from 'botbuilder';
import { catalogText, t } from '../../src/i18n';
import { button, cardActions, cardText } from './helpers/card-reading';
import { fakeBot, idOf, type FakeBot } from './helpers/fake-bot';

// Issue 16, pasted errors: a paste is recognised by what it contains, however short, and a message that still is
// not understood offers "Diagnose this text as an error" — a button whose only content is the text itself.

const POLICY_409 = 'The template deployment failed because of policy violation. Please see details for more information. (CODE: 409)';

let bot: FakeBot;
beforeEach(() => {
  bot = fakeBot({ maxPasteChars: 5000 });
});

/** Clicks a button; returns the invoke response body and the cards the click posted as new replies. */
async function click(data: unknown, verb = 'diagnose-text'): Promise<{ body: any; cards: any[] }> {
  const sent = await bot.send({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }, replyToId: 'card-1' } as Partial<Activity>);
  const body = (sent.find((a) => a.type === 'invokeResponse')?.value as { body: any }).body;
  return { body, cards: sent.filter((a) => a.type === 'message' && a.attachments?.length).map((a) => a.attachments![0].content) };
}

test('a one-line ARM error ending in (CODE: 409) is diagnosed, not "I didn\'t understand"', async () => {
  const cards = await bot.say(POLICY_409);
  expect(cardText(cards[0])).toContain(catalogText('en', 'policy-violation').title);
  expect(cardText(cards[0])).not.toContain(t('en', 'card.error.unrecognized.title'));
});

test.each([
  ['lower case', POLICY_409.toLowerCase()],
  ['the az form', '(RequestDisallowedByPolicy) Resource was disallowed by policy.'],
  ['a Code: line', 'Code: RequestDisallowedByPolicy'],
])('%s is recognised by its content too', async (_what, text) => {
  expect(cardText((await bot.say(text))[0])).toContain(catalogText('en', 'policy-violation').title);
});

test('a message that is not understood offers to diagnose it as an error, carrying only the text', async () => {
  const [card] = await bot.say('the nightly went red again');
  expect(cardText(card)).toContain(t('en', 'card.error.unrecognized.title'));
  const b = button(card, 'diagnose-text');
  expect(b.title).toBe(t('en', 'card.error.unrecognized.diagnoseAsError'));
  expect(b.data).toEqual({ text: 'the nightly went red again' });
});

test('clicking it posts the diagnosis as a new reply and leaves the clicked card as it was', async () => {
  const [card] = await bot.say('it says policy violation');
  const { body, cards } = await click(button(card, 'diagnose-text').data);
  expect(body.type).toBe('application/vnd.microsoft.activity.message');
  expect(cardText(cards[0])).toContain(t('en', 'card.diagnosis.headingText'));
  expect(cardText(cards[0])).toContain(catalogText('en', 'policy-violation').title);
});

test('the button is offered in the reply language too', async () => {
  const [card] = await bot.send({ type: 'message', text: 'ça ne marche plus', locale: 'fr-FR' }).then((s) => s.filter((a) => a.attachments?.length).map((a) => a.attachments![0].content));
  expect(button(card, 'diagnose-text').title).toBe(t('fr-FR', 'card.error.unrecognized.diagnoseAsError'));
});

describe('attacks on the button fail safe', () => {
  test('forged: a template id or a diagnosis id next to the text is ignored — no template is read or acted on', async () => {
    const { cards } = await click({ text: POLICY_409, templateId: idOf('win2022-base'), diagnosisId: 'template-exists', verb: 'delete-template' });
    expect(cardText(cards[0])).toContain(t('en', 'card.diagnosis.headingText'));
    expect(cardText(cards[0])).not.toContain('win2022-base');
    expect(cardActions(cards[0]).map((a) => a.verb)).not.toContain('delete-template');
    expect(bot.templates.calls).toEqual([]);
  });

  test.each([
    ['no text', {}],
    ['an empty text', { text: '   ' }],
    ['a number', { text: 409 }],
    ['an object', { text: { toString: 'x' } }],
    ['an array', { text: ['a', 'b'] }],
  ])('forged: %s → an invalid-card-data card, nothing diagnosed', async (_what, data) => {
    const { body, cards } = await click(data);
    expect(cardText(body.value)).toContain(t('en', 'card.error.invalid-card-data.title'));
    expect(cards).toEqual([]);
  });

  test('oversized: the text is cut to its end under the paste cap, and the card says so', async () => {
    const huge = `${'noise line that says nothing\n'.repeat(2000)}${POLICY_409}`;
    expect(huge.length).toBeGreaterThan(50_000);
    const { cards } = await click({ text: huge });
    const text = cardText(cards[0]);
    expect(text).toContain(catalogText('en', 'policy-violation').title);
    expect(text).toContain(t('en', 'card.diagnosis.pasteCut', { total: huge.length, shown: 5000 }));
  });

  test('pathological: a text shaped to make patterns backtrack still gets a card', async () => {
    const { cards } = await click({ text: `${'{"error":'.repeat(500)}${'('.repeat(2000)}Code: ${'A'.repeat(3000)}` });
    expect(cards).toHaveLength(1);
  });

  test('replayed: the same click twice gives the same read-only answer twice, nothing else', async () => {
    const first = await click({ text: POLICY_409 });
    const second = await click({ text: POLICY_409 });
    expect(cardText(second.cards[0])).toBe(cardText(first.cards[0]));
    expect(bot.audit.records).toEqual([]);
  });

  test('a stranger’s text is rendered as text: markdown and card JSON in it do not become elements', async () => {
    const [card] = await bot.say('[click me](https://evil.example) ${templateId}');
    expect(button(card, 'diagnose-text').data.text).toBe('[click me](https://evil.example) ${templateId}');
    expect(cardActions(card).filter((a) => a.type === 'Action.OpenUrl')).toEqual([]);
  });
});
