import { createAzureGateways, type AzureGateways } from '../../src/azure';
import { loadConfig } from '../../src/config';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { diagnoseFetchedTemplate } from '../../src/usecases/diagnose-template';
import { passScope, type TemplateLister } from '../../src/watch/pass';
import { memoryWatchState } from './helpers/memory-watch-state';

// A trigger that Image Builder disabled after repeated failures, read for real from the sandbox (the seeded
// ubuntu2204-nightly has one): the watcher reads the triggers of templates whose last run failed, posts the
// disablement once, and its card is the trigger-disabled diagnosis.

jest.setTimeout(60_000);

let sb: Sandbox;
let gw: AzureGateways;
beforeAll(async () => {
  sb = await startSandbox({ stepMs: 60_000, bigLog: false });
  gw = createAzureGateways(loadConfig(sb.env).azure);
});
afterAll(async () => {
  await sb?.stop();
});

const NIGHTLY = 'ubuntu2204-nightly';
const TAIL = { read: 'tail' as const, tailBytes: 64 * 1024, maxBytes: 16 * 1024 * 1024 };

function pass(templates: TemplateLister, state = memoryWatchState()) {
  return passScope({ templates, cursors: state.cursors, subscriptionId: gw.subscriptionId }, sb.resourceGroup);
}

test('a fresh watcher: the nightly failure is one event, its card the trigger-disabled diagnosis, no second event for the trigger', async () => {
  const first = await pass(gw.templates);
  const nightly = first.events.filter((e) => e.event.templateName === NIGHTLY);
  expect(nightly.map((e) => e.event.outcome)).toEqual(['Failed']);
  const card = await diagnoseFetchedTemplate(gw, nightly[0].template, TAIL);
  expect(card.diagnosis.diagnosis.id).toBe('trigger-disabled');
});

test('a watcher that had seen the failed run but not the trigger (triggers unreadable then) posts the disablement exactly once', async () => {
  const state = memoryWatchState();
  // No triggers read (the gateway without them, as a watcher lacking triggers/read sees it): the run is handled.
  const blind = await pass({ pages: (o) => gw.templates.pages(o) }, state);
  expect(blind.events.some((e) => e.event.outcome === 'TriggerDisabled')).toBe(false);
  await blind.commit();

  const reads: string[] = [];
  const counting: TemplateLister = { pages: (o) => gw.templates.pages(o), triggers: (rg, name) => (reads.push(name), gw.templates.triggers(rg, name)) };
  const next = await pass(counting, state);
  expect(next.events.map((e) => [e.event.outcome, e.event.templateName])).toEqual([['TriggerDisabled', NIGHTLY]]);
  expect(next.events[0].event.runKey).toMatch(/^trigger:source-image-updates:/);
  const card = await diagnoseFetchedTemplate(gw, next.events[0].template, TAIL);
  expect(card.diagnosis.diagnosis.id).toBe('trigger-disabled');
  // Cheap: triggers are read only for the templates whose last run failed.
  const failed = sb.scenarios.filter((s) => s.resourceGroup === sb.resourceGroup && s.state === 'Failed').map((s) => s.name);
  expect(reads.length).toBeGreaterThan(0);
  expect(reads.every((n) => failed.includes(n))).toBe(true);
  await next.commit();

  expect((await pass(counting, state)).events).toEqual([]);
});
