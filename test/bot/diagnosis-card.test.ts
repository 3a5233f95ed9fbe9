import { catalogText, t, type Locale } from '../../src/i18n';
import { ALL_SCENARIOS } from '../../src/sandbox/scenarios';
import { MAIN_RESOURCE_GROUP } from '../../src/sandbox/constants';
import { atAGlance, cardActions, cardElements, cardText, teamsBytes, visibleElements, withoutHidden, type CardObject } from './helpers/card-reading';
import { ALICE, fakeBot, type FakeBot } from './helpers/fake-bot';
import { id, seededAzure, type SeededAzure } from './helpers/seeded-azure';

// The diagnosis card at a glance (issue 16), for every seeded failure: above the fold only the headline, the
// failing step, the decisive line, the first fix and the buttons; the rest behind Details; every line and id once;
// and the whole activity within 16 KB as Teams counts it (UTF-16).

const MAX_VISIBLE_TEXTS = 8;
const MAX_VISIBLE_ACTIONS = 6;
const MAX_TEAMS_BYTES = 16 * 1024;

let azure: SeededAzure;
let bot: FakeBot;
beforeAll(async () => {
  azure = await seededAzure();
  bot = fakeBot({ gateways: azure.gateways, tailBytes: 256 * 1024, maxBytes: 512 * 1024 * 1024 });
});
afterEach(() => bot.idle());

const diagnosed = ALL_SCENARIOS.filter((s) => s.expectedId !== null).map((s) => ({ name: s.name, rg: s.resourceGroup ?? MAIN_RESOURCE_GROUP, expected: s.expectedId! }));

/** The diagnosis card activity as the bot sends it for a Diagnose click, envelope included. */
async function diagnosisActivity(name: string, rg: string, locale: Locale) {
  const sent = await bot.send({ type: 'invoke', name: 'adaptiveCard/action', locale, value: { action: { type: 'Action.Execute', verb: 'diagnose', data: { templateId: id(name, rg) } } } }, ALICE, `a:glance-${locale}-${name}`);
  const activity = sent.find((a) => a.type === 'message' && a.attachments?.length);
  if (!activity) throw new Error(`no card for ${name}`);
  return { activity, card: activity.attachments![0].content as CardObject };
}

const diagnosedId = (card: CardObject): string | undefined => cardActions(card).find((a) => a.data?.diagnosisId)?.data.diagnosisId;
const details = (card: CardObject) => cardElements(card.body).find((e) => e.id === 'details')!;

test('the seeded world covers the catalog classes this suite checks', () => {
  expect(new Set(diagnosed.map((s) => s.expected)).size).toBeGreaterThanOrEqual(40);
});

describe.each(['en', 'ja-JP', 'fr-FR'] as Locale[])('%s', (locale) => {
  test.each(diagnosed)('$name ($expected): at a glance, Details holds the rest, ≤ 16 KB', async ({ name, rg, expected }) => {
    const { activity, card } = await diagnosisActivity(name, rg, locale);
    const glance = atAGlance(card);
    expect(glance.texts).toBeLessThanOrEqual(MAX_VISIBLE_TEXTS);
    expect(glance.actions).toBeLessThanOrEqual(MAX_VISIBLE_ACTIONS);
    expect(teamsBytes(activity)).toBeLessThanOrEqual(MAX_TEAMS_BYTES);

    // The class the card shows (a seeded paste-only class, e.g. a DevOps task's, diagnoses as its template's own).
    const shown = diagnosedId(card) ?? expected;
    const visible = cardText(withoutHidden(card.body));
    expect(visible).toContain(catalogText(locale, shown).title);
    expect(visible).toContain(name);
    // The cause and the identifiers wait behind the toggle, which targets the hidden container.
    expect(details(card).isVisible).toBe(false);
    expect(cardText(details(card))).toContain(catalogText(locale, shown).cause);
    const toggle = visibleElements(card.body).find((e) => e.type === 'Action.ToggleVisibility');
    expect(toggle).toMatchObject({ title: t(locale, 'card.diagnosis.details'), targetElements: ['details'] });

    // Every line of evidence once, across the fold and Details alike.
    const lines = cardElements(card.body)
      .filter((e) => e.type === 'RichTextBlock' && (e.inlines as CardObject[])[0]?.fontType === 'Monospace')
      .map((e) => String((e.inlines as CardObject[])[1].text).trim());
    expect(lines.length).toBe(new Set(lines).size);
    // Every identifier once.
    const ids = cardElements(details(card)).filter((e) => e.type === 'FactSet').flatMap((f) => (f.facts as Array<{ value: string }>).map((x) => x.value));
    expect(ids.length).toBe(new Set(ids).size);
  });
});

describe('the decisive line and the first fix', () => {
  test('a failed customizer: the step is named, its exit line once, the fix starts after "find the step"', async () => {
    const scenario = diagnosed.find((s) => s.expected === 'customizer-failed')!;
    const { card } = await diagnosisActivity(scenario.name, scenario.rg, 'en');
    const visible = cardText(withoutHidden(card.body));
    expect(visible).toContain(t('en', 'card.diagnosis.customizer'));
    const fix = catalogText('en', 'customizer-failed').fix;
    expect(visible).toContain(fix[1]);
    expect(cardText(card)).not.toContain(fix[0]);
    expect(cardText(details(card))).toContain(fix[2]);
  });

  test('the build log location wraps (break points) and the portal link is in Details', async () => {
    const scenario = diagnosed.find((s) => s.expected === 'customizer-failed')!;
    const { card } = await diagnosisActivity(scenario.name, scenario.rg, 'en');
    const facts = cardElements(details(card)).filter((e) => e.type === 'FactSet').flatMap((f) => f.facts as Array<{ title: string; value: string }>);
    const log = facts.find((f) => f.title === t('en', 'card.common.logLocation'));
    if (log) expect(log.value.split(/[\s\u200b]/).every((part) => part.length <= 24)).toBe(true);
    const portal = cardElements(details(card)).find((e) => e.type === 'Action.OpenUrl' && e.title === t('en', 'card.diagnosis.portal'));
    expect(String(portal?.url)).toMatch(/^https:\/\/portal\.azure\.com\/#resource\/subscriptions\/.+\/imageTemplates\/.+\/overview$/);
  });
});
