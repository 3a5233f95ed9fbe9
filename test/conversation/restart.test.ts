import { startSandbox, type Sandbox } from '../../src/sandbox';
import { t } from '../../src/i18n';
import { startCaptureServer, type CaptureServer } from './helpers/capture-server';
import { activity, cardActions, cardText } from './helpers/bot-harness';
import { freePort, startBotProcess, type BotProcess } from './helpers/bot-process';

// A rerun survives the bot: start it, kill the bot process mid-build, start a new one, and the card still reaches
// the build's end. The sandbox runs outside the bot here (as `aib-chatops sandbox` would), so only the bot restarts.

let sb: Sandbox;
let capture: CaptureServer;
let bot: BotProcess | undefined;
let port: number;

const startBot = () => startBotProcess(sb.env, { port });
const post = (body: Record<string, unknown>) => bot!.post(body);

beforeAll(async () => {
  sb = await startSandbox({ stepMs: 700, bigLog: false });
  capture = await startCaptureServer();
  port = await freePort();
});

afterAll(async () => {
  await bot?.kill();
  await capture?.close();
  await sb?.stop();
});

test('a rerun started before a restart still ends on its reply', async () => {
  bot = await startBot();
  const ask = activity('why did template win2019-wu-d1 fail?', capture);
  const conversationId = (ask.conversation as { id: string }).id;
  expect((await post(ask)).status).toBeLessThan(300);
  const [diagnosis] = await capture.waitFor((c) => c.conversationId === conversationId && !!c.activity.attachments?.length);
  const cardId = diagnosis.assignedId;

  const click = { ...activity(undefined, capture, { conversationId, replyToId: cardId }), type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'rerun', data: { templateId: cardActions(diagnosis.activity.attachments[0].content).find((a) => a.data?.templateId)!.data.templateId } }, trigger: 'manual' } };
  const started = await post(click);
  expect(started.body.value).toBe(t('en', 'actions.answeredBelow'));
  // The build is followed on its own reply; the diagnosis card stays.
  const queued = t('en', 'actions.progress.run.heading', { name: 'win2019-wu-d1', state: t('en', 'actions.subState.Queued') });
  const [progress] = await capture.waitFor((c) => c.conversationId === conversationId && c.method === 'POST' && cardText(c.activity.attachments?.[0]?.content ?? {}).includes(queued));
  const replyId = progress.assignedId;

  // The old process dies mid-build without a chance to clean up.
  await bot.kill('SIGKILL');
  const killedAt = Date.now();

  bot = await startBot();
  const [final] = await capture.waitFor(
    (c) => c.method === 'PUT' && c.activityId === replyId && c.at > killedAt && cardText(c.activity.attachments[0].content).includes(t('en', 'card.diagnosis.headingAgain', { name: 'win2019-wu-d1' })),
    1,
    30000,
  );
  expect(cardText(final.activity.attachments[0].content)).toContain('win2019-wu-d1');
});

test('with MicrosoftAppId set, an unauthenticated POST to /api/messages gets 401', async () => {
  const secure = await startBotProcess({ MicrosoftAppId: '11111111-2222-4333-8444-555555555555', MicrosoftAppPassword: 'not-a-real-secret', ...sb.env }, { logLevel: 'error' });
  const securePort = secure.port;
  try {
    const res = await fetch(`http://127.0.0.1:${securePort}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity('help', capture)) });
    expect(res.status).toBe(401);
    const forged = await fetch(`http://127.0.0.1:${securePort}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiIxMTExIn0.' }, body: JSON.stringify(activity('help', capture)) });
    expect(forged.status).toBe(401);
  } finally {
    await secure.kill();
  }
});
