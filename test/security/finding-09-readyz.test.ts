import type { AddressInfo } from 'node:net';
import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import { silentLogger } from '../../src/logger';
import { createServer } from '../../src/server';
import { startSecurityBot, type SecurityBot } from './helpers/bot';

// Finding 9, the /readyz part: every hit called ARM (a free amplifier for anyone who can reach the probe) and a
// failure returned ARM's raw message, object ids and scopes included. The attack: hammer /readyz while ARM refuses.

const TEMPLATE_LISTS = { target: 'arm' as const, method: 'GET', pathIncludes: '/providers/Microsoft.VirtualMachineImages/imageTemplates' };
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describe('finding 9: /readyz is cached and generic', () => {
  let bot: SecurityBot;
  beforeAll(async () => {
    bot = await startSecurityBot();
  });
  afterAll(async () => {
    bot?.app.sandbox?.faults.clear();
    await bot?.stop();
  });

  test('fifty hits while ARM refuses: one ARM call, a 503 that names nothing, the reason in the server log', async () => {
    const faults = bot.app.sandbox!.faults;
    faults.clear();
    faults.add({ ...TEMPLATE_LISTS, status: 403 });
    const answers = await Promise.all(Array.from({ length: 50 }, () => fetch(`${bot.app.url}/readyz`).then(async (r) => ({ status: r.status, text: await r.text() }))));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([503]));
    for (const a of answers) {
      expect(JSON.parse(a.text)).toEqual({ status: 'not-ready', mode: 'sandbox' });
      expect(a.text).not.toMatch(GUID);
    }
    expect(faults.hits()).toBe(1);
    const logged = bot.lines.filter((l) => l.msg === 'not ready');
    expect(logged).toHaveLength(1);
    expect(String(logged[0].fields?.detail)).toMatch(/authorization/i);
  });

  test('later hits within the cache window reuse the answer: still one ARM call', async () => {
    const faults = bot.app.sandbox!.faults;
    for (let i = 0; i < 10; i++) expect((await fetch(`${bot.app.url}/readyz`)).status).toBe(503);
    expect(faults.hits()).toBe(1);
  });
});

test('after the cache window one new check runs, and a recovered backend reads ready', async () => {
  let calls = 0;
  let ok = false;
  const server = createServer({
    adapter: {} as CloudAdapter,
    bot: {} as ActivityHandler,
    logger: silentLogger,
    mode: 'azure',
    readyCacheMs: 40,
    ready: async () => {
      calls++;
      if (!ok) throw new Error("The client 'x' with object id '3f2c8a61-0d4e-4b7a-9c15-7e6d5b4a3c21' does not have authorization");
      return { ok: true, detail: '3 template(s)' };
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`;
  try {
    const first = await fetch(url);
    expect(first.status).toBe(503);
    expect(await first.text()).not.toMatch(GUID);
    ok = true;
    expect((await fetch(url)).status).toBe(503);
    expect(calls).toBe(1);
    await new Promise((r) => setTimeout(r, 60));
    const later = await fetch(url);
    expect({ status: later.status, body: await later.json(), calls }).toEqual({ status: 200, body: { status: 'ready', mode: 'azure' }, calls: 2 });
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});
