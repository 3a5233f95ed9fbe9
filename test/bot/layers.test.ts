import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// The layers the router redesign relies on: cards render view models and import no gateway or use case; the model
// imports nothing outside itself; botbuilder stays in src/bot (and server.ts); bot/actions.ts stays gone.

const SRC = join(__dirname, '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]);
}

const offenders = (dir: string, bad: (spec: string) => boolean) =>
  files(join(SRC, dir)).flatMap((f) => imports(f).filter(bad).map((spec) => `${relative(SRC, f)} → ${spec}`));

test('cards import nothing from the gateways, the use cases or the bot', () => {
  expect(offenders('cards', (s) => /\.\.\/(azure|usecases|bot)(\/|$)/.test(s))).toEqual([]);
});

test('the model imports nothing outside itself', () => {
  expect(offenders('model', (s) => !s.startsWith('./'))).toEqual([]);
});

test('botbuilder is imported only in src/bot and src/server.ts', () => {
  const all = files(SRC).filter((f) => !relative(SRC, f).startsWith('bot/') && relative(SRC, f) !== 'server.ts');
  expect(all.flatMap((f) => imports(f).filter((s) => s.startsWith('botbuilder')).map((s) => `${relative(SRC, f)} → ${s}`))).toEqual([]);
});

test('bot/actions.ts, conversation.ts and support-actions.ts are gone; one handler per file', () => {
  const bot = files(join(SRC, 'bot')).map((f) => relative(SRC, f));
  expect(bot).not.toContain('bot/actions.ts');
  expect(bot).not.toContain('bot/conversation.ts');
  expect(bot).not.toContain('bot/support-actions.ts');
  expect(bot.filter((f) => f.startsWith('bot/handlers/')).length).toBeGreaterThanOrEqual(12);
});

