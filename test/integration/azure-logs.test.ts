import { readAll, rejection, startGatewaySandbox, type GatewaySandbox } from './helpers/azure-sandbox';
import { validationLogOf, type LogLocation } from '../../src/azure';

// The real BlobServiceClient and StorageManagementClient, through the BuildLogGateway, against Azurite and the emulator.

let env: GatewaySandbox;

beforeAll(async () => {
  env = await startGatewaySandbox();
});

afterAll(async () => {
  await env?.sb.stop();
});

afterEach(() => env.sb.faults.clear());

/** Every failed scenario's log location, found the way the bot finds it (template status first). */
async function locateAll(): Promise<{ name: string; location?: LogLocation; code?: string }[]> {
  const out: { name: string; location?: LogLocation; code?: string }[] = [];
  for (const s of env.sb.scenarios.filter((x) => x.state === 'Failed')) {
    const template = await env.gw.templates.get(s.resourceGroup, s.name);
    try {
      out.push({ name: s.name, location: await env.gw.logs.locate(template) });
    } catch (e) {
      out.push({ name: s.name, code: (e as { code?: string }).code });
    }
  }
  return out;
}

async function someLog(): Promise<{ location: LogLocation; content: Buffer }> {
  const found = (await locateAll()).find((x) => x.location)!;
  const full = await env.gw.logs.stream(found.location!, { maxBytes: 64 * 1024 * 1024 });
  return { location: found.location!, content: await readAll(full.chunks) };
}

describe('locate', () => {
  it('reads both status message formats across the seeded failures', async () => {
    const all = await locateAll();
    const sources = new Set(all.map((x) => x.location?.source).filter(Boolean));
    expect(sources).toContain('status-url');
    expect(sources).toContain('status-arm-path');
    // A failure before any build (submission errors) has no log to point at; nothing else may fail.
    for (const x of all.filter((y) => !y.location)) expect(['log-not-found', 'log-location-unknown']).toContain(x.code);
    for (const x of all.filter((y) => y.location)) {
      expect(x.location!.blobPath).toMatch(/^[A-Za-z0-9-]+\/customization\.log$/);
      expect(x.location!.stagingResourceGroup).toMatch(/^IT_/);
    }
  });

  it('finds the newest customization.log through the staging group when the status names none', async () => {
    const withLog = (await locateAll()).find((x) => x.location)!;
    const scenario = env.sb.scenarios.find((s) => s.name === withLog.name && s.state === 'Failed')!;
    const template = await env.gw.templates.get(scenario.resourceGroup, scenario.name);
    const located = await env.gw.logs.locate({ id: template.id, exactStagingResourceGroup: template.exactStagingResourceGroup });
    expect(located).toMatchObject({
      source: 'staging-group',
      account: withLog.location!.account,
      container: 'packerlogs',
      blobPath: withLog.location!.blobPath,
    });
  });

  it('a log found by listing the staging group is read without a properties request, its validation.log with one', async () => {
    const withLog = (await locateAll()).find((x) => x.location)!;
    const location = withLog.location!;
    const content = await readAll((await env.gw.logs.stream(location, { maxBytes: 64 * 1024 * 1024 })).chunks);
    const scenario = env.sb.scenarios.find((s) => s.name === withLog.name && s.state === 'Failed')!;
    const template = await env.gw.templates.get(scenario.resourceGroup, scenario.name);
    const listed = await env.gw.logs.locate({ id: template.id, exactStagingResourceGroup: template.exactStagingResourceGroup });
    expect(listed.listedSize).toBe(content.length);
    // Any HEAD now fails: the tail and the whole read still work, so neither asked for the properties.
    env.sb.faults.add({ target: 'blob', method: 'HEAD', status: 500 });
    const tail = await env.gw.logs.tail(listed, 100);
    expect(tail).toMatchObject({ size: content.length, offset: content.length - 100 });
    expect((await readAll(tail.chunks)).equals(content.subarray(content.length - 100))).toBe(true);
    expect((await env.gw.logs.stream(listed, { maxBytes: 64 * 1024 * 1024 })).size).toBe(content.length);
    // A located-by-status log has no listed size, so its tail asks (and meets the fault).
    expect(location.listedSize).toBeUndefined();
    await expect(env.gw.logs.tail(location, 100)).rejects.toBeDefined();
    expect(validationLogOf(listed).listedSize).toBeUndefined();
  });

  it('says log-location-unknown when there is neither a message nor a staging group', async () => {
    expect(await rejection(env.gw.logs.locate({ lastRunStatus: { message: 'Running' } }))).toMatchObject({ code: 'log-location-unknown' });
  });
});

describe('reads', () => {
  it('streams the whole log and reports its size', async () => {
    const { location, content } = await someLog();
    expect(content.length).toBeGreaterThan(0);
    expect(await env.gw.logs.size(location)).toBe(content.length);
    expect(content.toString('utf8')).toMatch(/PACKER|telemetry/);
  });

  it('tails the last bytes with one ranged read, equal to the end of the full read', async () => {
    const { location, content } = await someLog();
    const n = Math.min(1000, content.length - 1);
    const tail = await env.gw.logs.tail(location, n);
    expect(tail).toMatchObject({ size: content.length, offset: content.length - n, partial: true });
    expect((await readAll(tail.chunks)).equals(content.subarray(content.length - n))).toBe(true);

    const whole = await env.gw.logs.tail(location, content.length + 10);
    expect(whole).toMatchObject({ offset: 0, partial: false });
    expect((await readAll(whole.chunks)).equals(content)).toBe(true);
  });

  it('stops at maxBytes and marks the result partial', async () => {
    const { location, content } = await someLog();
    const capped = await env.gw.logs.stream(location, { maxBytes: 100 });
    expect(capped).toMatchObject({ size: content.length, bytes: 100, partial: true });
    expect((await readAll(capped.chunks)).equals(content.subarray(0, 100))).toBe(true);
    const exact = await env.gw.logs.stream(location, { maxBytes: content.length });
    expect(exact.partial).toBe(false);
  });

  it('reads the size a tail read just reported instead of asking for the properties again', async () => {
    const { location, content } = await someLog();
    const tail = await env.gw.logs.tail(location, 10);
    // A size smaller than the blob's shows that the given one was used: a properties read would say the real one.
    const known = await env.gw.logs.stream(location, { maxBytes: 64 * 1024 * 1024, size: tail.size - 5 });
    expect(known).toMatchObject({ size: content.length - 5, bytes: content.length - 5, partial: false });
    expect((await readAll(known.chunks)).equals(content.subarray(0, content.length - 5))).toBe(true);
  });

  it('answers log-not-found for a log that does not exist', async () => {
    const { location } = await someLog();
    const missing = { ...location, blobPath: '00000000-0000-0000-0000-000000000000/customization.log' };
    expect(await rejection(env.gw.logs.tail(missing, 100))).toMatchObject({ code: 'log-not-found', status: 404 });
  });
});
