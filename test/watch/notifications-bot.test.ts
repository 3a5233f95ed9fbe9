import { createAzureGateways, type AzureGateways } from '../../src/azure';
import { loadConfig } from '../../src/config';
import { activity, cardActions, cardText, startHarness, type Harness } from '../conversation/helpers/bot-harness';
import { t } from '../../src/i18n';

// The notifier beside the bot, over HTTP as Teams drives it: a channel subscribes, a build fails, the diagnosis card
// arrives as a new thread (from the log's tail, then updated after the full scan); the next failure of that template
// replies in the thread; a rerun clicked on the card leaves it as it is and follows the build on a new reply in the
// thread; after unsubscribe, nothing.

jest.setTimeout(120_000);

let h: Harness;
let gw: AzureGateways;
beforeAll(async () => {
  // A small tail, so the seeded logs are read in two steps: the card from the tail, then updated after the full scan.
  h = await startHarness({ env: { AIB_WATCH_INTERVAL_MS: '200', AIB_WATCH_CATCH_UP_MINUTES: '5', AIB_LOG_TAIL_BYTES: '1024' } });
  gw = createAzureGateways(loadConfig(h.app.sandbox!.env).azure);
});
afterAll(async () => {
  await h?.stop();
});

async function failAgain(name: string): Promise<string> {
  const rg = h.app.sandbox!.resourceGroup;
  const before = (await gw.templates.get(rg, name)).lastRunStatus?.startTime?.toISOString();
  await gw.templates.run(rg, name);
  for (;;) {
    const s = (await gw.templates.get(rg, name)).lastRunStatus;
    if (s?.runState === 'Failed' && s.startTime?.toISOString() !== before) return s.startTime!.toISOString();
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('subscribe in a channel → a failed run arrives once as a thread; the next run replies in it; unsubscribe stops it', async () => {
  const channel = '19:watch-channel@thread.tacv2';
  const conversationId = `${channel};messageid=1`;
  const sb = h.app.sandbox!;
  const failing = sb.scenarios.find((s) => s.resourceGroup === sb.resourceGroup && s.state === 'Failed' && s.expectedId === 'customizer-failed')!.name;

  await h.post(activity('subscribe', h.capture, { conversationType: 'channel', conversationId }));
  const confirm = await h.capture.waitFor((c) => c.conversationId.startsWith(channel) && typeof c.activity.text === 'string');
  expect(confirm[0].activity.text).toBe(t('en', 'watch.subscribed', { outcomes: t('en', 'watch.outcomesFailures'), scope: t('en', 'watch.scopeAll') }));

  // Seeded failures are older than the 5-minute catch-up window: only new runs are posted.
  await failAgain(failing);
  const [root] = await h.capture.waitFor((c) => c.method === 'POST' && c.conversationId.startsWith(channel) && !!c.activity.attachments?.length);
  expect(JSON.stringify(root.activity.attachments[0].content)).toContain(failing);
  expect(cardText(root.activity.attachments[0].content)).toMatch(/reading the whole log/);
  const [full] = await h.capture.waitFor((c) => c.method === 'PUT' && c.assignedId === root.assignedId);
  expect(cardText(full.activity.attachments[0].content)).toMatch(/The whole log was read/);

  await failAgain(failing);
  const inThread = await h.capture.waitFor((c) => c.method === 'POST' && c.conversationId === `${channel};messageid=${root.assignedId}` && !!c.activity.attachments?.length);
  expect(inThread).toHaveLength(1);

  await new Promise((r) => setTimeout(r, 1000));
  const cards = h.capture.received.filter((c) => c.method === 'POST' && c.conversationId.startsWith(channel) && c.activity.attachments?.length);
  expect(cards).toHaveLength(2);

  // Rerun from the notification card: the card stays as it is (everyone in the channel keeps the evidence); the
  // click is acknowledged, the run's progress comes as a new reply in the thread and that reply follows the build to
  // its end (a diagnosis that says it failed again). The failed run itself is a later run of the template, so the
  // watcher also posts it in the thread.
  const rerun = cardActions(full.activity.attachments[0].content).find((a) => a.verb === 'rerun')!;
  const thread = `${channel};messageid=${root.assignedId}`;
  const click = await h.post({
    ...activity(undefined, h.capture, { conversationType: 'channel', conversationId: thread, replyToId: root.assignedId }),
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb: 'rerun', data: rerun.data }, trigger: 'manual' },
  });
  expect(click.status).toBe(200);
  expect(click.body?.value).toBe(t('en', 'actions.answeredBelow'));
  const [progress] = await h.capture.waitFor((c) => c.method === 'POST' && c.conversationId === thread && cardText(c.activity.attachments?.[0]?.content).includes(t('en', 'actions.progress.run.heading', { name: failing, state: t('en', 'actions.subState.Queued') })));
  await h.capture.waitFor((c) => c.method === 'PUT' && c.assignedId === progress.assignedId && /failed again/.test(cardText(c.activity.attachments?.[0]?.content)));
  // The rerun's failure, posted by the watcher: the thread now holds the first reply, the progress reply and this one.
  await h.capture.waitFor((c) => c.method === 'POST' && c.conversationId === thread && !!c.activity.attachments?.length, 3);
  expect(h.capture.received.filter((c) => c.method === 'PUT' && c.assignedId === root.assignedId && c.at > full.at)).toHaveLength(0);
  const before = h.capture.received.filter((c) => c.method === 'POST' && c.conversationId.startsWith(channel) && c.activity.attachments?.length).length;

  await h.post(activity('unsubscribe', h.capture, { conversationType: 'channel', conversationId }));
  await h.capture.waitFor((c) => c.conversationId.startsWith(channel) && c.activity.text === t('en', 'watch.unsubscribed', { count: 1 }));
  await failAgain(failing);
  await new Promise((r) => setTimeout(r, 1500));
  expect(h.capture.received.filter((c) => c.method === 'POST' && c.conversationId.startsWith(channel) && c.activity.attachments?.length)).toHaveLength(before);
});
