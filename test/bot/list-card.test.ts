import { catalogText, t } from '../../src/i18n';
import { parsePolicy } from '../../src/bot/policy';
import { allInputs, cardActions, cardText } from './helpers/card-reading';
import { ALICE, fakeBot } from './helpers/fake-bot';
import { seededBotSuite } from './helpers/seeded-bot-suite';

// Issue 16, the list card over the seeded sandbox: ten rows with what broke on each, the total, Show more paging
// in place, and narrowing by name or resource group from the card; the card data is a stranger's and fails safe.

const { azure, bot } = seededBotSuite();

const rowsOf = (card: unknown) => cardActions(card).filter((a) => a.type === 'Action.Execute' && a.verb === 'diagnose');
const moreOf = (card: unknown) => cardActions(card).find((a) => a.type === 'Action.Execute' && a.title === t('en', 'card.list.showMore'));
const totalOf = (card: unknown) => Number(/of (\d+)/.exec(cardText(card))?.[1]);

test('list failed templates: 10 rows, each with its failure title, and "1–10 of N"', async () => {
  const [card] = await bot.say('list failed templates');
  expect(rowsOf(card)).toHaveLength(10);
  const total = totalOf(card);
  expect(total).toBeGreaterThan(30);
  expect(cardText(card)).toContain(t('en', 'card.list.range', { from: 1, to: 10, total }));
  // A seeded failure whose status names its class: its title is on its row.
  expect(cardText(card)).toMatch(new RegExp(catalogText('en', 'customizer-failed').title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
});

test('Show more pages on in place, and the last page has no Show more', async () => {
  const [first] = await bot.say('list failed templates');
  const total = totalOf(first);
  const seen = new Set(rowsOf(first).map((r) => r.data.templateId));
  let card: any = first;
  for (let page = 1; moreOf(card); page++) {
    const body = await bot.click('list', moreOf(card)!.data);
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    card = body.value;
    for (const r of rowsOf(card)) seen.add(r.data.templateId);
    expect(page).toBeLessThan(10);
  }
  expect(seen.size).toBe(total);
  expect(cardText(card)).toContain(t('en', 'card.list.range', { from: Math.floor((total - 1) / 10) * 10 + 1, to: total, total }));
});

test('narrowing by name and by resource group from the card', async () => {
  const [card] = await bot.say('list templates');
  const narrow = cardActions(card).find((a) => a.type === 'Action.Execute' && a.title === t('en', 'card.list.narrow'))!;
  const byName = await bot.click('list', { ...narrow.data, listName: 'WIN2022', listGroup: '' });
  expect(rowsOf(byName.value).length).toBeGreaterThan(0);
  expect(cardText(byName.value)).toContain(t('en', 'card.list.filteredName', { text: 'WIN2022' }));
  for (const r of rowsOf(byName.value)) expect(r.data.templateId).toMatch(/\/imageTemplates\/[^/]*win2022/i);
  const byGroup = await bot.click('list', { ...narrow.data, listName: '', listGroup: 'aib-sandbox-dev' });
  expect(cardText(byGroup.value)).toContain(t('en', 'card.list.headingGroup', { group: 'aib-sandbox-dev' }));
  for (const r of rowsOf(byGroup.value)) expect(r.data.templateId).toContain('/resourceGroups/aib-sandbox-dev/');
});

test('narrowing by resource group in the question, as before', async () => {
  const [card] = await bot.say('list failed templates in resource group aib-sandbox-dev');
  expect(cardText(card)).toContain(t('en', 'card.list.headingFailedGroup', { group: 'aib-sandbox-dev' }));
  for (const r of rowsOf(card)) expect(r.data.templateId).toContain('/resourceGroups/aib-sandbox-dev/');
});

describe('forged list data fails safe', () => {
  test.each([
    ['a negative offset', { offset: -5 }],
    ['a fractional offset', { offset: 2.5 }],
    ['a string offset', { offset: '10' }],
    ['a huge offset', { offset: 1e12 }],
    ['a group with a path in it', { resourceGroup: '../../subscriptions/other' }],
    ['an oversized name filter', { narrow: true, listName: 'x'.repeat(100_000) }],
    ['filters of the wrong type', { narrow: true, listName: { $ne: 1 }, listGroup: ['aib-sandbox'] }],
    ['failedOnly as a string', { failedOnly: 'true' }],
  ])('%s → a list card, never an error or a foreign scope', async (_what, data) => {
    const body = await bot.click('list', data);
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(body.value)).toContain(t('en', 'card.list.heading').split(' ')[0]);
    expect(JSON.stringify(body.value)).not.toContain('subscriptions/other');
  });
});

test('the resource-group choice offers only groups of rows the caller may read', async () => {
  const policy = parsePolicy({ version: 1, default: 'deny', rules: [{ description: 'alice reads the dev group', users: [ALICE.aadObjectId], resourceGroups: ['aib-sandbox-dev'], actions: ['read'] }] }, 'test policy');
  const restricted = fakeBot({ gateways: azure.gateways, policy });
  // Named in the question, so the card offers narrowing (back to all groups, or another one).
  const [card] = await restricted.say('list templates in resource group aib-sandbox-dev', ALICE);
  const groups = allInputs(card).find((i) => i.id === 'listGroup') as unknown as { choices: Array<{ value: string }> };
  expect(rowsOf(card).length).toBeGreaterThan(0);
  for (const r of rowsOf(card)) expect(r.data.templateId).toContain('/resourceGroups/aib-sandbox-dev/');
  expect(groups.choices.map((c) => c.value)).toEqual(['', 'aib-sandbox-dev']);
  // "All resource groups" from there still lists only what she may read.
  const all = await restricted.click('list', { narrow: true, listGroup: '', listName: '' }, ALICE);
  for (const r of rowsOf(all.value)) expect(r.data.templateId).toContain('/resourceGroups/aib-sandbox-dev/');
  expect(cardText(card)).not.toMatch(/aib-sandbox(?!-dev)/);
});

test('narrowing by name in the question: "list failed templates named win2022"', async () => {
  const [card] = await bot.say('list failed templates named win2022');
  expect(cardText(card)).toContain(t('en', 'card.list.filteredName', { text: 'win2022' }));
  expect(rowsOf(card).length).toBeGreaterThan(0);
  for (const r of rowsOf(card)) expect(r.data.templateId).toMatch(/\/imageTemplates\/[^/]*win2022/i);
  // Show more (when there is more) keeps the filter.
  const more = moreOf(card);
  if (more) expect(more.data.nameContains).toBe('win2022');
});
