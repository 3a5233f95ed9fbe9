import { helpCard, welcomeCard } from '../../src/cards/render';
import { EXAMPLE_KEYS, exampleQuestion } from '../../src/cards';
import { parseIntent } from '../../src/bot/intents';
import { LOCALES, t } from '../../src/i18n';
import { TemplateLocator } from '../../src/usecases/resolve-template';
import { cardText } from './helpers/card-reading';
import { fakeBot } from './helpers/fake-bot';
import { seededAzure, type SeededAzure } from './helpers/seeded-azure';

// Issue 16: the questions the welcome and help cards suggest must work when a new user copies them into the
// sandbox — each names a template that exists there, exactly once (an ambiguous name would answer with a choice
// card, a missing one with "not found").

let azure: SeededAzure;
beforeAll(async () => {
  azure = await seededAzure();
});

const cases = LOCALES.flatMap((locale) => EXAMPLE_KEYS.map((key) => [locale, key, exampleQuestion(locale, key)] as const));

test.each(cases)('%s %s: "%s" names one seeded template, or lists', async (_locale, key, question) => {
  const intent = parseIntent(question);
  if (key === 'list' || key === 'listFailed') {
    expect(intent.kind).toBe('list');
    return;
  }
  expect(['diagnose', 'status', 'show-log']).toContain(intent.kind);
  const target = (intent as { target: { name: string; resourceGroup?: string } }).target;
  const resolved = await new TemplateLocator(azure.gateways).resolve(target.name, target.resourceGroup);
  expect([target.name, resolved.kind]).toEqual([target.name, 'found']);
});

test.each(LOCALES)('%s: asked as written, every template example gets its own card, never a choice or not-found', async (locale) => {
  const bot = fakeBot({ gateways: azure.gateways, tailBytes: 256 * 1024, maxBytes: 512 * 1024 * 1024 });
  for (const key of ['why', 'wrong', 'status', 'log'] as const) {
    const question = exampleQuestion(locale, key);
    const name = (parseIntent(question) as { target: { name: string } }).target.name;
    const sent = await bot.send({ type: 'message', text: question, locale });
    const text = cardText(sent.find((a) => a.attachments?.length)?.attachments?.[0].content);
    expect(text).toContain(name);
    expect(text).not.toContain(t(locale, 'card.error.template-not-found.title'));
    expect(text).not.toContain(t(locale, 'card.choice.heading', { name }));
  }
  await bot.idle();
});

test.each(LOCALES)('%s: the welcome and help cards show only these examples', (locale) => {
  const shown = `${cardText(welcomeCard(locale).content)}\n${cardText(helpCard(locale).content)}`;
  for (const name of ['win2022-base', 'ubuntu-golden']) expect(shown).not.toContain(name);
  expect(shown).toContain(exampleQuestion(locale, 'why'));
});
