import type { Activity } from 'botbuilder';
import { t } from '../../src/i18n';
import { button, cardActions, cardText } from './helpers/card-reading';
import { fakeBot, failedTemplate, idOf, type FakeBot } from './helpers/fake-bot';
import type { ImageTemplate } from '../../src/azure';

// Issue 16, the status card: a running build shows how long it has run against its timeout, its last message and
// Cancel; Refresh re-reads the template and replaces the card in place instead of posting another one.

// Times as ISO strings: a Date cloned by the fake gateway comes from another realm than jest's, and the facts
// reader (rightly) only takes this realm's Dates or strings.
function withRun(name: string, lastRunStatus: Record<string, unknown>): ImageTemplate {
  const t = failedTemplate(name) as unknown as { lastRunStatus: unknown; buildTimeoutInMinutes: number };
  t.buildTimeoutInMinutes = 240;
  t.lastRunStatus = lastRunStatus;
  return t as unknown as ImageTemplate;
}

const runningTemplate = (name: string, minutesAgo: number) =>
  withRun(name, { runState: 'Running', runSubState: 'Customizing', message: 'Customizing: windows-update (2 of 3)', startTime: new Date(Date.now() - minutesAgo * 60_000 - 5_000).toISOString() });
const failedRun = (name: string) =>
  withRun(name, { runState: 'Failed', runSubState: 'Customizing', message: 'Build failed: customizer exited with 1', startTime: '2026-11-20T10:00:00Z', endTime: '2026-11-20T10:30:00Z' });

let bot: FakeBot;
beforeEach(() => {
  bot = fakeBot({ templates: [runningTemplate('win2022-running', 14), failedRun('win2022-base')] });
});

const fact = (card: unknown, label: string) => {
  const facts: Array<{ title: string; value: string }> = [];
  const walk = (n: any) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      if (n.type === 'FactSet') facts.push(...n.facts);
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return facts.find((f) => f.title === label)?.value;
};

test('a running build: elapsed against the timeout, the last message, Cancel and Refresh', async () => {
  const [card] = await bot.say('status of win2022-running');
  expect(fact(card, t('en', 'card.common.elapsed'))).toBe(t('en', 'card.common.elapsedOf', { minutes: '14', timeout: '240' }));
  expect(cardText(card)).toContain(t('en', 'card.common.lastMessage'));
  expect(cardText(card)).toContain('Customizing: windows-update (2 of 3)');
  expect(button(card, 'cancel-run').data.templateId).toBe(idOf('win2022-running'));
  expect(button(card, 'refresh').data.templateId).toBe(idOf('win2022-running'));
});

test('in Japanese the elapsed time and the states read in Japanese', async () => {
  const [card] = await bot.say('win2022-running のステータス');
  expect(fact(card, t('ja-JP', 'card.common.elapsed'))).toBe(t('ja-JP', 'card.common.elapsedOf', { minutes: '14', timeout: '240' }));
  expect(fact(card, t('ja-JP', 'card.common.runState'))).toBe(t('ja-JP', 'card.state.Running'));
  expect(button(card, 'cancel-run').title).toBe(t('ja-JP', 'action.cancel-run'));
});

test('a finished build has no Cancel and no elapsed time (its duration is shown instead)', async () => {
  const [card] = await bot.say('status of win2022-base');
  expect(cardActions(card).map((a) => a.verb)).not.toContain('cancel-run');
  expect(fact(card, t('en', 'card.common.elapsed'))).toBeUndefined();
  expect(fact(card, t('en', 'card.common.duration'))).toBeDefined();
  expect(button(card, 'diagnose')).toBeDefined();
});

test('Refresh answers with the re-read card, which replaces the clicked one; nothing new is posted', async () => {
  const [card] = await bot.say('status of win2022-running');
  // The build finishes before the click: the refreshed card must show what Azure says now.
  const stored = bot.templates.store.get(idOf('win2022-running').toLowerCase()) as unknown as { lastRunStatus: Record<string, unknown> };
  stored.lastRunStatus = { ...stored.lastRunStatus, runState: 'Succeeded', runSubState: undefined, endTime: new Date().toISOString() };
  const sent = await bot.send({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'refresh', data: button(card, 'refresh').data }, trigger: 'manual' }, replyToId: 'status-card-1' } as Partial<Activity>);
  const response = (sent.find((a) => a.type === 'invokeResponse')?.value as { body: any }).body;
  expect(response.type).toBe('application/vnd.microsoft.card.adaptive');
  expect(cardText(response.value)).toContain(t('en', 'card.status.heading', { name: 'win2022-running' }));
  expect(cardText(response.value)).toContain(t('en', 'card.status.stateSucceeded'));
  expect(cardActions(response.value).map((a) => a.verb)).not.toContain('cancel-run');
  expect(sent.filter((a) => a.type === 'message')).toEqual([]);
});

test('older clients (Action.Submit): the refreshed card updates the clicked activity instead of a new message', async () => {
  const [card] = await bot.say('status of win2022-base');
  const sent = await bot.send({ type: 'message', value: { ...button(card, 'refresh').data, verb: 'refresh' }, replyToId: 'status-card-2' } as Partial<Activity>);
  expect(sent.filter((a) => a.type === 'message')).toEqual([]);
  const updated = bot.updates.find((u) => u.id === 'status-card-2');
  expect(cardText(updated?.attachments?.[0].content)).toContain(t('en', 'card.status.heading', { name: 'win2022-base' }));
});

test('Refresh of a template that is gone answers with the not-found card, not a stale status', async () => {
  const [card] = await bot.say('status of win2022-base');
  bot.templates.store.clear();
  const body = await bot.click('refresh', button(card, 'refresh').data);
  expect(body.type).toBe('application/vnd.microsoft.activity.message');
});
