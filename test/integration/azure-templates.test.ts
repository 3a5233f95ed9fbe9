import { followRun, rejection, RUN_SUB_STATES, startGatewaySandbox, type GatewaySandbox } from './helpers/azure-sandbox';
import type { ScenarioInfo } from '../../src/sandbox';
import { CUSTOMIZATION_IDS } from '../helpers/catalog-ids';

// The real ImageBuilderClient, through the TemplateGateway, against the sandbox's ARM emulator.

let env: GatewaySandbox;
const MAIN = 'aib-sandbox';
const DEV = 'aib-sandbox-dev';

beforeAll(async () => {
  env = await startGatewaySandbox();
});

afterAll(async () => {
  await env?.sb.stop();
});

afterEach(() => env.sb.faults.clear());

/** Scenarios are shared by the tests of this file; each test takes its own so none sees another's run. */
const taken = new Set<string>();
function takeScenario(pred: (s: ScenarioInfo) => boolean, what: string): ScenarioInfo {
  const names = new Map<string, number>();
  for (const s of env.sb.scenarios) names.set(s.name.toLowerCase(), (names.get(s.name.toLowerCase()) ?? 0) + 1);
  const found = env.sb.scenarios.find(
    (s) => s.resourceGroup === MAIN && names.get(s.name.toLowerCase()) === 1 && !taken.has(s.name) && pred(s),
  );
  if (!found) throw new Error(`the sandbox has no free scenario that is ${what}`);
  taken.add(found.name);
  return found;
}

/** Failures of the customization phase: the build really ran, left a log, and a rerun fails the same way. */
const CUSTOMIZATION_FAILURES = new Set<string>(CUSTOMIZATION_IDS);
const isFailedBuild = (s: ScenarioInfo) => s.state === 'Failed' && s.expectedId !== null && CUSTOMIZATION_FAILURES.has(s.expectedId);
const isFinished = (s: ScenarioInfo) => s.state === 'Succeeded' || isFailedBuild(s);

describe('get', () => {
  it('returns the flattened template with its status', async () => {
    const s = env.sb.scenarios.find((x) => x.resourceGroup === MAIN && isFailedBuild(x))!;
    const t = await env.gw.templates.get(s.resourceGroup, s.name);
    expect(t.name).toBe(s.name);
    expect(t.id).toBe(`/subscriptions/${env.sb.subscriptionId}/resourceGroups/${MAIN}/providers/Microsoft.VirtualMachineImages/imageTemplates/${s.name}`);
    expect(t.location).toBe('westeurope');
    expect(t.lastRunStatus?.runState ?? t.provisioningState).toBeDefined();
  });

  it('reports an unknown template and an unknown resource group as not-found', async () => {
    const missing = await rejection(env.gw.templates.get(MAIN, 'no-such-template'));
    expect(missing).toMatchObject({ code: 'not-found', status: 404, serviceCode: 'ResourceNotFound' });
    expect(String(missing.serviceMessage)).toContain('no-such-template');
    const noGroup = await rejection(env.gw.templates.get('no-such-group', 'x'));
    expect(noGroup).toMatchObject({ code: 'not-found', serviceCode: 'ResourceGroupNotFound' });
  });

  it('refuses an invalid name before any request is sent', async () => {
    env.sb.faults.add({ target: 'arm', status: 500 });
    for (const name of ['bad name', '../run', 'x'.repeat(65)]) {
      expect(await rejection(env.gw.templates.get(MAIN, name))).toMatchObject({ code: 'invalid-name' });
    }
    expect(await rejection(env.gw.templates.run(MAIN, 'a/b'))).toMatchObject({ code: 'invalid-name' });
    expect(env.sb.faults.hits()).toBe(0);
  });
});

describe('list', () => {
  it('follows nextLink over several pages of the subscription', async () => {
    const pages: number[] = [];
    const ids = new Set<string>();
    for await (const page of env.gw.templates.pages()) {
      pages.push(page.length);
      for (const t of page) ids.add(t.id ?? '');
    }
    expect(env.sb.scenarios.length).toBeGreaterThan(10);
    expect(pages.length).toBeGreaterThan(1);
    expect(Math.max(...pages)).toBeLessThanOrEqual(10);
    expect(ids.size).toBe(env.sb.scenarios.length);
  });

  it('lists one resource group, and stops at max', async () => {
    const dev = await env.gw.templates.list({ resourceGroup: DEV });
    expect(dev.truncated).toBe(false);
    expect(dev.templates.map((t) => t.name).sort()).toEqual(env.sb.scenarios.filter((s) => s.resourceGroup === DEV).map((s) => s.name).sort());
    const capped = await env.gw.templates.list({ max: 12 });
    expect(capped).toMatchObject({ truncated: true });
    expect(capped.templates).toHaveLength(12);
  });
});

describe('findByName', () => {
  it('finds a unique name whatever its case', async () => {
    const s = env.sb.scenarios.find((x) => x.resourceGroup === MAIN && env.sb.scenarios.filter((y) => y.name === x.name).length === 1)!;
    const result = await env.gw.templates.findByName(s.name.toUpperCase());
    expect(result).toMatchObject({ kind: 'found', resourceGroup: MAIN });
    expect(result.kind === 'found' && result.template.name).toBe(s.name);
  });

  it('reports the same name in two resource groups as ambiguous, unless the scope picks one', async () => {
    const result = await env.gw.templates.findByName('win2022-base');
    expect(result.kind).toBe('ambiguous');
    const groups = result.kind === 'ambiguous' ? result.candidates.map((t) => t.id?.split('/')[4]).sort() : [];
    expect(groups).toEqual([MAIN, DEV]);
    expect(await env.gw.templates.findByName('win2022-base', { resourceGroups: [DEV] })).toMatchObject({ kind: 'found', resourceGroup: DEV });
  });

  it('offers near misses for a typo', async () => {
    const result = await env.gw.templates.findByName('win2022-bsae');
    expect(result.kind).toBe('not-found');
    expect(result.kind === 'not-found' && result.nearMisses[0]).toBe('win2022-base');
  });
});

describe('run and cancel', () => {
  it('returns once ARM accepted the run, then moves through the sub-states in order to Succeeded', async () => {
    const s = takeScenario((x) => x.state === 'Succeeded', 'a succeeded build');
    const accepted = await env.gw.templates.run(MAIN, s.name);
    expect(accepted).toMatchObject({ resourceGroup: MAIN, name: s.name, status: 'running' });
    const trace = await followRun(env.gw, MAIN, s.name);
    expect(trace.final.lastRunStatus?.runState).toBe('Succeeded');
    const order = trace.subStates.map((x) => RUN_SUB_STATES.indexOf(x as (typeof RUN_SUB_STATES)[number]));
    expect(order).not.toContain(-1);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(trace.subStates).toEqual(expect.arrayContaining(['Building', 'Customizing', 'Distributing']));
    const outputs = await env.gw.templates.runOutputs(MAIN, s.name);
    expect(outputs.length).toBeGreaterThan(0);
    expect(outputs[0].artifactId ?? outputs[0].artifactUri).toBeTruthy();
  });

  it('reruns a failed scenario into the same failure', async () => {
    const s = takeScenario(isFailedBuild, 'a customization failure');
    const before = await env.gw.templates.get(MAIN, s.name);
    await env.gw.templates.run(MAIN, s.name);
    const trace = await followRun(env.gw, MAIN, s.name);
    expect(trace.final.lastRunStatus?.runState).toBe('Failed');
    expect(trace.subStates.length).toBeGreaterThan(0);
    expect((trace.final.lastRunStatus?.startTime?.getTime() ?? 0) > (before.lastRunStatus?.startTime?.getTime() ?? 0)).toBe(true);
  });

  it('cancels a running build', async () => {
    const s = takeScenario(isFinished, 'a finished build');
    await env.gw.templates.run(MAIN, s.name);
    const cancel = await env.gw.templates.cancel(MAIN, s.name);
    expect(cancel.name).toBe(s.name);
    const trace = await followRun(env.gw, MAIN, s.name);
    expect(trace.final.lastRunStatus?.runState).toBe('Canceled');
  });

  it('refuses to delete while a build runs (operation-not-allowed)', async () => {
    const s = takeScenario(isFinished, 'a finished build');
    await env.gw.templates.run(MAIN, s.name);
    const err = await rejection(env.gw.templates.delete(MAIN, s.name));
    expect(err).toMatchObject({ code: 'operation-not-allowed', status: 409, serviceCode: 'OperationNotAllowed' });
    await followRun(env.gw, MAIN, s.name);
    expect((await env.gw.templates.get(MAIN, s.name)).name).toBe(s.name);
  });
});

describe('create and delete', () => {
  it('answers conflict to a PUT on an existing template', async () => {
    const s = env.sb.scenarios.find((x) => x.resourceGroup === MAIN)!;
    const existing = await env.gw.templates.get(MAIN, s.name);
    const err = await rejection(env.gw.templates.create(MAIN, s.name, existing));
    expect(err).toMatchObject({ code: 'conflict', status: 409 });
    expect(String(err.serviceMessage)).toContain('Update/Upgrade of image templates is currently not supported');
  });

  it('deletes through the LRO, reporting progress, and takes the log with it', async () => {
    const s = takeScenario(isFailedBuild, 'a failed build');
    const template = await env.gw.templates.get(MAIN, s.name);
    const location = await env.gw.logs.locate(template);
    expect(await env.gw.logs.size(location)).toBeGreaterThan(0);

    const progress: string[] = [];
    await env.gw.templates.delete(MAIN, s.name, { onProgress: (p) => progress.push(p.status) });
    expect(progress[progress.length - 1]).toBe('succeeded');

    expect(await rejection(env.gw.templates.get(MAIN, s.name))).toMatchObject({ code: 'not-found' });
    expect(await rejection(env.gw.logs.size(location))).toMatchObject({ code: 'log-not-found' });
    expect(await rejection(env.gw.logs.locate({ id: template.id, exactStagingResourceGroup: template.exactStagingResourceGroup }))).toMatchObject({
      code: 'log-not-found',
    });
    // Deleting what is already gone is not an error: ARM answers 204.
    await env.gw.templates.delete(MAIN, s.name);
  });
});
