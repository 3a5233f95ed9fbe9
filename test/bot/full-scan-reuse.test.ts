import type { AzureGateways } from '../../src/azure';
import { fakeBot } from './helpers/fake-bot';
import { seededAzure } from './helpers/seeded-azure';

// Issue 15: the full scan after a tail answer used to start from scratch (a second logs.locate, which on Azure is
// ARM and blob listings, and a second properties read of the blob). It now reuses what the tail answer found.

/** The same gateways, each call of a template or log method written down as `templates.get`, `logs.locate`… */
function counted(gateways: AzureGateways, calls: string[]): AzureGateways {
  const wrap = <T extends object>(name: string, target: T): T =>
    new Proxy(target, {
      get(obj, key, receiver) {
        const value = Reflect.get(obj, key, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(`${name}.${String(key)}`);
          return (value as (...a: unknown[]) => unknown).apply(obj, args);
        };
      },
    });
  return { ...gateways, templates: wrap('templates', gateways.templates), logs: wrap('logs', gateways.logs) };
}

const count = (calls: string[], name: string) => calls.filter((c) => c === name).length;

test('the card updated from the whole log costs one more read of the log and nothing else', async () => {
  const azure = await seededAzure();
  const calls: string[] = [];
  // A tail of 1 kB: every seeded log is longer, so the first answer is partial and the full scan follows.
  const bot = fakeBot({ gateways: counted(azure.gateways, calls), tailBytes: 1024, maxBytes: 512 * 1024 * 1024 });
  const cards = await bot.say('why did template win2019-minimal fail?');
  await bot.idle();
  expect(cards).toHaveLength(1);
  expect(bot.updates).toHaveLength(1);

  const quickOnly: string[] = [];
  const lone = fakeBot({ gateways: counted(azure.gateways, quickOnly), tailBytes: 512 * 1024 * 1024, maxBytes: 512 * 1024 * 1024 });
  await lone.say('why did template win2019-minimal fail?');
  await lone.idle();
  expect(lone.updates).toHaveLength(0);

  // The whole-log answer adds exactly one stream of the log to what the tail answer alone makes.
  expect(count(calls, 'logs.locate')).toBe(1);
  expect(count(calls, 'logs.locateValidation')).toBe(count(quickOnly, 'logs.locateValidation'));
  expect(count(calls, 'logs.stream')).toBe(1);
  expect(calls.filter((c) => c !== 'logs.stream')).toEqual(quickOnly);
});
