import { t } from '../../src/i18n';
import { cardText, startHarness, type Harness } from '../conversation/helpers/bot-harness';

// Finding 11: client-chosen strings (the verb of an unknown action, names) were rendered in markdown TextBlocks, so
// `[x](https://…)` became a bot-authored link. They are escaped now: the text reads the same and links nothing.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const LINK = '[Reset your password](https://evil.example/login)';

/** True when a markdown renderer would turn the text into a link (an unescaped `](` or a bare URL). */
function linksSomewhere(text: string): boolean {
  return /(^|[^\\])\]\(/.test(text) || /https?:\/\//.test(text);
}

test('an unknown verb carrying a markdown link is shown escaped', async () => {
  const r = await h.invoke(LINK, { templateId: 'x' });
  const text = cardText(r.body.value);
  expect(text).toContain(t('en', 'card.error.unknown-action.title'));
  expect(text).toContain('Reset your password');
  expect(linksSomewhere(text)).toBe(false);
});

test('a forged name on a diagnose click is shown escaped in the invalid-name card', async () => {
  const r = await h.invoke('diagnose', { name: LINK });
  // A refused click is answered on the click itself.
  const text = cardText(r.body.value);
  expect(text).toContain(t('en', 'card.error.invalid-name.title'));
  expect(linksSomewhere(text)).toBe(false);
});

test('a typed name with markdown in quotes gets no link either', async () => {
  const r = await h.ask(`why did template "${LINK}" fail?`);
  expect(linksSomewhere(cardText(r.cards[0]))).toBe(false);
});
