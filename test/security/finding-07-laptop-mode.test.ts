import { spawnSync } from 'node:child_process';
import { createServer as createHttpServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startApp } from '../../src/app';
import { ConfigError, checkServeConfig, loadConfig } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { isLoopbackHost, listenHost } from '../../src/server';
import { startCaptureServer, type CaptureServer } from '../conversation/helpers/capture-server';
import { messageActivity, startSecurityBot, type SecurityBot } from './helpers/bot';

// Finding 7: with Azure configured and token checks off, the bot listened on 0.0.0.0, accepted anyone, and POSTed its
// replies to whatever serviceUrl the caller named, all while acting with the developer's `az login`. The attack: a
// second machine (here: this machine's non-loopback address) sends an activity naming its own serviceUrl.

const ROOT = join(__dirname, '..', '..');
const AZURE = { AZURE_SUBSCRIPTION_ID: '11111111-2222-4333-8444-555555555555' };
const OPT_IN = 'AIB_ALLOW_AZURE_WITHOUT_TOKEN_CHECKS';

/** This machine's address on its network, if it has one (CI containers do); loopback-only machines have none. */
const external = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

/** An "attacker" connector on every interface that records whether the bot ever called it. */
async function attackerConnector(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createHttpServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"x"}');
  });
  await new Promise<void>((r) => server.listen(0, '0.0.0.0', () => r()));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://${external ?? '192.0.2.1'}:${port}/`, hits, close: () => new Promise((r) => server.close(() => r())) };
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function postActivity(url: string, act: Record<string, unknown>) {
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(act) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('finding 7: laptop mode no longer lends out the developer’s Azure login', () => {
  test('`npm start` on real Azure without token checks stops at start-up and names the opt-in variable', () => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '1', ...AZURE };
    const run = spawnSync(process.execPath, [join(ROOT, 'dist', 'src', 'index.js')], { env, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${OPT_IN}=true`);
    expect(run.stderr).toMatch(/MicrosoftAppId/);
  });

  test('startApp refuses the same configuration, and accepts it with the opt-in or with token checks', () => {
    expect(() => checkServeConfig(loadConfig(AZURE))).toThrow(ConfigError);
    expect(() => checkServeConfig(loadConfig({ ...AZURE, [OPT_IN]: 'true' }))).not.toThrow();
    expect(() => checkServeConfig(loadConfig({ ...AZURE, MicrosoftAppId: '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f' }))).not.toThrow();
    expect(() => checkServeConfig(loadConfig({}))).not.toThrow(); // the sandbox needs nothing
    expect(() => loadConfig({ [OPT_IN]: 'maybe' })).toThrow(new RegExp(`${OPT_IN}: expected true or false`));
    return expect(startApp({ ...loadConfig(AZURE), port: 0 }, { logger: silentLogger })).rejects.toThrow(OPT_IN);
  });

  test('without token checks, asking to listen on every interface is a start-up error', async () => {
    expect(listenHost(false)).toBe('127.0.0.1');
    expect(listenHost(true)).toBe('0.0.0.0');
    expect(() => listenHost(false, '0.0.0.0')).toThrow(/listens on 127\.0\.0\.1 only/);
    await expect(startApp({ ...loadConfig({ ...AZURE, [OPT_IN]: 'true' }), port: 0 }, { logger: silentLogger, host: '0.0.0.0' })).rejects.toThrow(ConfigError);
  });

  test('loopback means loopback', () => {
    for (const h of ['localhost', '127.0.0.1', '127.8.9.10', '[::1]', '::ffff:127.0.0.1']) expect({ h, local: isLoopbackHost(h) }).toEqual({ h, local: true });
    for (const h of ['0.0.0.0', '192.0.2.2', 'localhost.evil.example', 'smba.trafficmanager.net', '::', 'fd00::2']) expect({ h, local: isLoopbackHost(h) }).toEqual({ h, local: false });
  });

  describe('opted in on real Azure, no token checks', () => {
    let bot: SecurityBot;
    let capture: CaptureServer;
    let attacker: Awaited<ReturnType<typeof attackerConnector>>;
    beforeAll(async () => {
      bot = await startSecurityBot({ ...AZURE, [OPT_IN]: 'true' });
      capture = await startCaptureServer();
      attacker = await attackerConnector();
    });
    afterAll(async () => {
      await bot?.stop();
      await capture?.close();
      await attacker?.close();
    });

    test('the bot is not reachable from the network, only on 127.0.0.1', async () => {
      expect(await canConnect('127.0.0.1', bot.app.port)).toBe(true);
      // On a machine with no network address there is no other interface to try.
      if (external) expect(await canConnect(external, bot.app.port)).toBe(false);
    });

    test('an activity naming a remote serviceUrl is refused before the adapter, and nothing is sent there', async () => {
      const res = await postActivity(bot.app.url, messageActivity(attacker.url, 'help'));
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('service-url-not-local');
      expect(res.body.error.message).toMatch(/MicrosoftAppId/);
      expect(res.body.error.message).toMatch(/localhost or 127\.0\.0\.1/);
      const hosted = await postActivity(bot.app.url, messageActivity('https://smba.trafficmanager.net/emea/', 'help'));
      expect(hosted.status).toBe(403);
      await bot.app.idle();
      expect(attacker.hits).toEqual([]);
    });

    test('a local connector (the Agents Playground’s kind of serviceUrl) still gets its answer', async () => {
      const act = messageActivity(capture.serviceUrl.replace('127.0.0.1', 'localhost'), 'help');
      const res = await postActivity(bot.app.url, act);
      expect(res.status).toBeLessThan(300);
      const replies = await capture.waitFor((c) => c.conversationId === (act.conversation as { id: string }).id && c.method === 'POST');
      expect(replies.length).toBeGreaterThan(0);
    });
  });

  describe('the sandbox stays two commands', () => {
    let bot: SecurityBot;
    let capture: CaptureServer;
    beforeAll(async () => {
      bot = await startSecurityBot();
      capture = await startCaptureServer();
    });
    afterAll(async () => {
      await bot?.stop();
      await capture?.close();
    });

    test('nothing configured: the bot answers a local connector and refuses a remote one', async () => {
      const act = messageActivity(capture.serviceUrl, 'help');
      expect((await postActivity(bot.app.url, act)).status).toBeLessThan(300);
      await capture.waitFor((c) => c.conversationId === (act.conversation as { id: string }).id);
      expect((await postActivity(bot.app.url, messageActivity('https://evil.example/', 'help'))).status).toBe(403);
    });
  });
});
