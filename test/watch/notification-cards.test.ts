import { cardBytes } from '../../src/cards/bind';
import { digestCard, MAX_DIGEST_ROWS } from '../../src/cards/digest-card';
import { CARD_BYTE_BUDGET } from '../../src/cards/render';
import { subscriptionsCard } from '../../src/cards/subscriptions-card';
import { LOCALES, t } from '../../src/i18n';
import { cardActions, cardText } from '../bot/helpers/card-reading';

// The digest and subscriptions cards: every row actionable, every locale, and within Teams' size limit however many
// failures or subscriptions there are and however long their names.

const id = (name: string) => `/subscriptions/s/resourceGroups/rg-images/providers/Microsoft.VirtualMachineImages/imageTemplates/${name}`;
const items = (n: number, nameLength = 12) =>
  Array.from({ length: n }, (_, i) => ({ templateId: id(`t${i}`), name: `t${i}`.padEnd(nameLength, 'x'), resourceGroup: 'rg-images', outcome: 'Failed', runStart: '2026-12-02T10:00:00Z' }));

test.each(LOCALES)('the digest card in %s: the count in the heading, one Diagnose per failure', (locale) => {
  const card = digestCard(items(7), 10 * 60_000, locale);
  expect(cardText(card.content)).toContain(t(locale, 'watch.digestHeading', { count: 7, minutes: 10 }));
  const buttons = cardActions(card.content).filter((a) => a.verb === 'diagnose');
  expect(buttons.map((b) => b.data.templateId)).toEqual(items(7).map((i) => i.templateId));
});

test('a digest of 500 failures with 200-character names: capped rows, says so, stays within the budget', () => {
  const card = digestCard(items(500, 200), 10 * 60_000, 'en');
  const shown = cardActions(card.content).filter((a) => a.verb === 'diagnose').length;
  expect(shown).toBeGreaterThan(0);
  expect(shown).toBeLessThanOrEqual(MAX_DIGEST_ROWS);
  expect(cardText(card.content)).toContain(t('en', 'watch.digestTruncated', { count: shown }));
  expect(cardText(card.content)).toContain(t('en', 'watch.digestHeading', { count: 500, minutes: 10 }));
  expect(cardBytes(card)).toBeLessThan(CARD_BYTE_BUDGET);
});

test('attack: a subscription whose glob and author are long or hold card markup renders as text, within the budget', () => {
  const rows = Array.from({ length: 100 }, (_, i) => ({
    id: `${i}`.padStart(16, '0'),
    templateGlob: '${heading}*'.repeat(50),
    resourceGroup: 'rg-' + 'y'.repeat(300),
    outcomes: 'all' as const,
    by: '<at>everyone</at> ${summary}'.repeat(20),
    at: '2026-12-02T10:00:00Z',
  }));
  const card = subscriptionsCard(rows, 'en');
  expect(cardBytes(card)).toBeLessThan(CARD_BYTE_BUDGET);
  const shown = cardActions(card.content).filter((a) => a.verb === 'unsubscribe').length;
  expect(shown).toBeGreaterThan(0);
  expect(shown).toBeLessThanOrEqual(25);
  expect(cardText(card.content)).toContain(t('en', 'watch.listTruncated', { count: shown }));
  // The markup is shown as typed: bound as data, never expanded as template fields.
  expect(cardText(card.content)).toContain('${heading}*');
  expect(JSON.stringify(card.content)).not.toContain(t('en', 'watch.listHeading').repeat(2));
});
