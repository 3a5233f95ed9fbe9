import { readAll, rejection, startGatewaySandbox, type GatewaySandbox } from './helpers/azure-sandbox';
import type { LogLocation } from '../../src/azure';
import type { ScenarioInfo } from '../../src/sandbox';

// Injected faults, one at a time, and the typed errors or recoveries they must produce. Nothing here asserts on
// speed; the one elapsed-time check verifies that Retry-After was actually waited for.

let env: GatewaySandbox;
let scenario: ScenarioInfo;
let location: LogLocation;
let content: Buffer;

beforeAll(async () => {
  env = await startGatewaySandbox();
  for (const s of env.sb.scenarios.filter((x) => x.state === 'Failed' && x.resourceGroup === 'aib-sandbox')) {
    try {
      location = await env.gw.logs.locate(await env.gw.templates.get(s.resourceGroup, s.name));
      scenario = s;
      break;
    } catch {
      // submission failures have no log; try the next
    }
  }
  content = await readAll((await env.gw.logs.stream(location, { maxBytes: 64 * 1024 * 1024 })).chunks);
});

afterAll(async () => {
  await env?.sb.stop();
});

afterEach(() => env.sb.faults.clear());

const templatePath = () => `/imageTemplates/${scenario.name}`;
const get = () => env.gw.templates.get(scenario.resourceGroup, scenario.name);

describe('ARM faults', () => {
  it('forbidden: keeps AuthorizationFailed and names the missing action', async () => {
    env.sb.faults.add({ target: 'arm', method: 'GET', pathIncludes: templatePath(), status: 403 });
    const err = await rejection(get());
    expect(err).toMatchObject({
      code: 'forbidden',
      status: 403,
      serviceCode: 'AuthorizationFailed',
      requiredAction: 'Microsoft.VirtualMachineImages/imageTemplates/read',
      missingAction: 'Microsoft.VirtualMachineImages/imageTemplates/read',
    });
  });

  it('forbidden on a list page keeps ARM message and code (the pager alone would drop them)', async () => {
    env.sb.faults.add({ target: 'arm', method: 'GET', pathIncludes: '/resourceGroups/aib-sandbox-dev/providers', status: 403 });
    const err = await rejection(env.gw.templates.list({ resourceGroup: 'aib-sandbox-dev' }));
    expect(err).toMatchObject({
      code: 'forbidden',
      serviceCode: 'AuthorizationFailed',
      missingAction: 'Microsoft.VirtualMachineImages/imageTemplates/read',
    });
  });

  it('forbidden on run names run/action', async () => {
    env.sb.faults.add({ target: 'arm', method: 'POST', pathIncludes: `${templatePath()}/run`, status: 403 });
    const err = await rejection(env.gw.templates.run(scenario.resourceGroup, scenario.name));
    expect(err).toMatchObject({
      code: 'forbidden',
      missingAction: 'Microsoft.VirtualMachineImages/imageTemplates/run/action',
      requiredAction: 'Microsoft.VirtualMachineImages/imageTemplates/run/action',
    });
    expect(String(err.scope)).toContain(templatePath());
  });

  it('429 with Retry-After: waits the full second, then succeeds', async () => {
    env.sb.faults.add({ target: 'arm', method: 'GET', pathIncludes: templatePath(), status: 429, retryAfterSeconds: 1, times: 1 });
    const started = Date.now();
    const t = await get();
    const elapsed = Date.now() - started;
    expect(t.name).toBe(scenario.name);
    expect(env.sb.faults.hits()).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(900);
  });

  it('throttled: a Retry-After beyond the cap is not slept on and comes back to the caller', async () => {
    env.sb.faults.add({ target: 'arm', method: 'GET', pathIncludes: templatePath(), status: 429, retryAfterSeconds: 120 });
    const err = await rejection(get());
    expect(err).toMatchObject({ code: 'throttled', status: 429, retryAfterSeconds: 120, serviceCode: 'TooManyRequests' });
    expect(env.sb.faults.hits()).toBe(1);
  });

  it('service-unavailable: a persisting 503 is retried a bounded number of times', async () => {
    env.sb.faults.add({ target: 'arm', method: 'GET', pathIncludes: templatePath(), status: 503 });
    const err = await rejection(get());
    expect(err).toMatchObject({ code: 'service-unavailable', status: 503 });
    expect(env.sb.faults.hits()).toBe(4);
  });

  it('a transient 500 is retried into success', async () => {
    env.sb.faults.add({ target: 'arm', method: 'GET', pathIncludes: templatePath(), status: 500, times: 2 });
    expect((await get()).name).toBe(scenario.name);
    expect(env.sb.faults.hits()).toBe(2);
  });

  it('a dropped connection is retried into success', async () => {
    env.sb.faults.add({ target: 'arm', method: 'GET', pathIncludes: templatePath(), drop: true, times: 1 });
    expect((await get()).name).toBe(scenario.name);
    expect(env.sb.faults.hits()).toBe(1);
  });

  it('connections that keep dropping end as service-unavailable', async () => {
    env.sb.faults.add({ target: 'arm', method: 'GET', pathIncludes: templatePath(), drop: true });
    expect(await rejection(get())).toMatchObject({ code: 'service-unavailable' });
    expect(env.sb.faults.hits()).toBe(4);
  });

  it('added latency only delays the answer', async () => {
    env.sb.faults.add({ target: 'arm', method: 'GET', pathIncludes: templatePath(), latencyMs: 100, times: 1 });
    expect((await get()).name).toBe(scenario.name);
    expect(env.sb.faults.hits()).toBe(1);
  });
});

describe('blob faults', () => {
  it('log-forbidden: a 403 on the blob names the role and the staging group', async () => {
    env.sb.faults.add({ target: 'blob', pathIncludes: location.blobPath, status: 403 });
    const err = await rejection(env.gw.logs.tail(location, 100));
    expect(err).toMatchObject({
      code: 'log-forbidden',
      status: 403,
      requiredRole: 'Storage Blob Data Reader',
      stagingResourceGroup: location.stagingResourceGroup,
    });
    expect(String((err as unknown as Error).message)).toContain('Storage Blob Data Reader');
    expect(String((err as unknown as Error).message)).toContain(String(location.stagingResourceGroup));
  });

  it('a dropped download connection is retried and the bytes are still right', async () => {
    env.sb.faults.add({ target: 'blob', method: 'GET', pathIncludes: location.blobPath, drop: true, times: 1 });
    const tail = await env.gw.logs.tail(location, 200);
    expect((await readAll(tail.chunks)).equals(content.subarray(content.length - 200))).toBe(true);
    expect(env.sb.faults.hits()).toBe(1);
  });

  it('a 503 from storage is retried into success', async () => {
    env.sb.faults.add({ target: 'blob', method: 'GET', pathIncludes: location.blobPath, status: 503, times: 1 });
    const full = await env.gw.logs.stream(location, { maxBytes: content.length });
    expect((await readAll(full.chunks)).equals(content)).toBe(true);
    expect(env.sb.faults.hits()).toBe(1);
  });
});
