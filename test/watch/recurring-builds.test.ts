import { createAzureGateways } from '../../src/azure';
import { loadConfig } from '../../src/config';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { detectOutcomes, type ScopeCursor } from '../../src/watch/outcomes';
import { snapshotOf } from '../../src/watch/snapshot';

// Recurring builds on the sandbox clock: with them on, a watcher sees new failures and successes arrive; with them
// off (the default), seeded templates keep their seeded status.

let sandboxes: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(sandboxes.map((s) => s.stop()));
  sandboxes = [];
});

test('seeded templates fail and succeed again over time, each as a new run', async () => {
  const probe = await startSandbox({ stepMs: 20, bigLog: false });
  const main = probe.scenarios.filter((s) => s.resourceGroup === probe.resourceGroup);
  await probe.stop();
  const failing = main.find((s) => s.state === 'Failed')!.name;
  const healthy = main.find((s) => s.state === 'Succeeded')!.name;
  const sb = await startSandbox({ stepMs: 20, bigLog: false, recurringBuilds: { everySteps: 2, names: [failing, healthy] } });
  sandboxes.push(sb);
  const gw = createAzureGateways(loadConfig(sb.env).azure);
  const seen = [
    [failing, 'Failed'],
    [healthy, 'Succeeded'],
  ];

  let cursor: ScopeCursor | undefined;
  const outcomes: string[] = [];
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { templates } = await gw.templates.list({ resourceGroup: sb.resourceGroup });
    const watched = templates.filter((t) => t.name === failing || t.name === healthy);
    const found = detectOutcomes(cursor, watched.map(snapshotOf), { now: new Date() });
    if (cursor) outcomes.push(...found.events.map((e) => `${e.templateName}:${e.outcome}`));
    cursor = found.cursor;
    if (new Set(outcomes).size >= 2 && outcomes.length >= 3) break;
    await new Promise((r) => setTimeout(r, 30));
  }
  expect(new Set(outcomes)).toEqual(new Set(seen.map(([name, outcome]) => `${name}:${outcome}`)));
  expect(outcomes.length).toBeGreaterThanOrEqual(3);
});

test('off by default: no template starts a build by itself', async () => {
  const sb = await startSandbox({ stepMs: 20, bigLog: false });
  sandboxes.push(sb);
  const gw = createAzureGateways(loadConfig(sb.env).azure);
  // Long enough for the seeded running builds to finish and for many recurring ticks, had they been on.
  await new Promise((r) => setTimeout(r, 1500));
  const before = (await gw.templates.list({ resourceGroup: sb.resourceGroup })).templates.map(snapshotOf);
  await new Promise((r) => setTimeout(r, 500));
  const after = (await gw.templates.list({ resourceGroup: sb.resourceGroup })).templates.map(snapshotOf);
  expect(after.map((t) => t.lastRun?.startTime)).toEqual(before.map((t) => t.lastRun?.startTime));
});
