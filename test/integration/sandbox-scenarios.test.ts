import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { CATALOG, classify, scanText, templateFacts } from '../../src/diagnosis';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { PASTED_TEXT_TAG } from '../../src/sandbox/scenarios/scenario-types';
import { API, arm, getTemplate, sandboxLogUrl, templatePath } from './helpers/sandbox-http';

// The seeded world: every scenario has the status its kind promises, a log wherever its message names one,
// and the diagnosis core reaches the catalog id the scenario was written for.

let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ stepMs: 50, bigLog: false });
});

afterAll(async () => {
  await sb?.stop();
});

async function readBlob(url: string): Promise<string | undefined> {
  const u = new URL(url);
  const [, account, container, ...rest] = u.pathname.split('/');
  const blob = new BlobServiceClient(`${sb.blobEndpoint}/${account}`, new StorageSharedKeyCredential(account, sb.storageKey))
    .getContainerClient(container)
    .getBlobClient(rest.join('/'));
  if (!(await blob.exists())) return undefined;
  return (await blob.downloadToBuffer()).toString('utf8');
}

/** The newest log in the staging account, the way the locator falls back when the message names none. */
async function newestLog(template: any): Promise<string | undefined> {
  const staging = template.properties.exactStagingResourceGroup.split('/').pop();
  const accounts = await arm(sb, 'GET', `/subscriptions/${sb.subscriptionId}/resourceGroups/${staging}/providers/Microsoft.Storage/storageAccounts?api-version=2025-06-01`);
  const account = accounts.body.value[0].name as string;
  const container = new BlobServiceClient(`${sb.blobEndpoint}/${account}`, new StorageSharedKeyCredential(account, sb.storageKey)).getContainerClient('packerlogs');
  let newest: { name: string; at: number } | undefined;
  for await (const b of container.listBlobsFlat()) {
    const at = b.properties.lastModified?.getTime() ?? 0;
    if (!newest || at >= newest.at) newest = { name: b.name, at };
  }
  return newest ? (await container.getBlobClient(newest.name).downloadToBuffer()).toString('utf8') : undefined;
}

test('the world has both groups, the duplicate name, and the fixed ids of the contract', () => {
  expect(sb.subscriptionId).toBe('00000000-0000-4000-8000-00000000a1b0');
  expect(sb.resourceGroup).toBe('aib-sandbox');
  const base = sb.scenarios.filter((s) => s.name === 'win2022-base').map((s) => s.resourceGroup).sort();
  expect(base).toEqual(['aib-sandbox', 'aib-sandbox-dev']);
  for (const name of ['ubuntu2204-ok', 'win2022-running', 'ubuntu2204-biglog']) expect(sb.scenarios.map((s) => s.name)).toContain(name);
  expect(sb.scenarios.filter((s) => s.expectedId === 'unknown')).toHaveLength(1);
  expect(Object.keys(sb.env).sort()).toEqual([
    'AIB_SANDBOX_ARM_ENDPOINT',
    'AIB_SANDBOX_BLOB_ENDPOINT',
    'AIB_SANDBOX_RESOURCE_GROUP',
    'AIB_SANDBOX_STATE_URL',
    'AIB_SANDBOX_STEP_MS',
    'AIB_SANDBOX_STORAGE_KEY',
    'AIB_SANDBOX_SUBSCRIPTION_ID',
  ]);
});

test('every catalog id except unknown and the benign ones has a scenario written for it', () => {
  const expected = new Set(sb.scenarios.map((s) => s.expectedId));
  for (const entry of CATALOG) {
    // `no-failure` is the answer for the succeeded scenarios, checked below.
    if (entry.id === 'unknown' || entry.benign || entry.id === 'no-failure') continue;
    expect({ id: entry.id, seeded: expected.has(entry.id) }).toEqual({ id: entry.id, seeded: true });
  }
});

test('every failed scenario has a status, and a log wherever its message names one', async () => {
  for (const s of sb.scenarios) {
    const t = await getTemplate(sb, s.name, s.resourceGroup);
    const p = t.properties;
    switch (s.state) {
      case 'ProvisioningFailed':
        expect({ name: s.name, state: p.provisioningState, hasError: !!p.provisioningError?.message, run: p.lastRunStatus }).toEqual({
          name: s.name,
          state: 'Failed',
          hasError: true,
          run: undefined,
        });
        break;
      case 'Failed': {
        expect({ name: s.name, runState: p.lastRunStatus?.runState, message: typeof p.lastRunStatus?.message }).toEqual({
          name: s.name,
          runState: 'Failed',
          message: 'string',
        });
        const message: string = p.lastRunStatus.message;
        if (/packerlogs\//.test(message)) {
          const log = await readBlob(sandboxLogUrl(sb, message));
          expect({ name: s.name, hasLog: log !== undefined }).toEqual({ name: s.name, hasLog: true });
          expect(log!.split('\n').length).toBeGreaterThan(20);
        }
        break;
      }
      case 'Succeeded':
        expect({ name: s.name, runState: p.lastRunStatus?.runState }).toEqual({ name: s.name, runState: 'Succeeded' });
        expect(await newestLog(t)).toContain('(telemetry) Finalizing.');
        break;
      case 'Running':
        expect({ name: s.name, runState: p.lastRunStatus?.runState }).toEqual({ name: s.name, runState: 'Running' });
        break;
      case 'PartiallySucceeded':
        expect({ name: s.name, runState: p.lastRunStatus?.runState, names: /Failed in distributing/.test(p.lastRunStatus?.message) }).toEqual({
          name: s.name,
          runState: 'PartiallySucceeded',
          names: true,
        });
        break;
      default:
        throw new Error(`unexpected scenario state ${s.state} for ${s.name}`);
    }
  }
});

test('both log-location formats appear across the seeded messages', async () => {
  const messages = await Promise.all(
    sb.scenarios.filter((s) => s.state === 'Failed').map(async (s) => (await getTemplate(sb, s.name, s.resourceGroup)).properties.lastRunStatus.message as string),
  );
  expect(messages.filter((m) => /Image Build log location: https:\/\/[a-z0-9]{24}\.blob\.core\.windows\.net\/packerlogs\//.test(m)).length).toBeGreaterThan(3);
  expect(messages.filter((m) => /\/providers\/Microsoft\.Storage\/storageAccounts\/[a-z0-9]{24}\/blobServices\/default\/containers\/packerlogs\//.test(m)).length).toBeGreaterThan(3);
});

test('the diagnosis core reaches each scenario expected id from its live status, pasted text and log', async () => {
  const results: Array<{ name: string; expected: string | null; got: string; benign: boolean }> = [];
  const warned = new Set<string>();
  for (const s of sb.scenarios) {
    const t = await getTemplate(sb, s.name, s.resourceGroup);
    const log = await newestLog(t);
    const pasted = t.tags[PASTED_TEXT_TAG] as string | undefined;
    // The triggers, as the diagnose use case reads them (a disabled one is a finding of its own).
    const listed = await arm(sb, 'GET', `${templatePath(sb, s.name, s.resourceGroup)}/triggers?${API}`);
    const triggers = ((listed.body as { value?: any[] }).value ?? []).map((tr) => ({ name: tr.name, statusCode: tr.properties?.status?.code, statusMessage: tr.properties?.status?.message }));
    const d = classify({ template: templateFacts(t), triggers, texts: pasted ? [pasted] : [], log: log ? scanText(log, 'log') : undefined });
    results.push({ name: `${s.resourceGroup}/${s.name}`, expected: s.expectedId, got: d.diagnosis.id, benign: d.diagnosis.benign });
    for (const w of d.warnings ?? []) warned.add(w.id);
  }
  for (const r of results) {
    if (r.expected !== null) expect(r).toEqual({ ...r, got: r.expected });
    // Nothing to diagnose: a success (with at most benign warnings) or, for a build still going, unknown.
    else expect({ name: r.name, got: r.benign || r.got === 'unknown' || r.got === 'no-failure' }).toEqual({ name: r.name, got: true });
  }
  expect(results.filter((r) => r.expected === null && r.got === 'no-failure').length).toBeGreaterThan(0);
  // A benign warning shows either as the answer or, since no-failure, in the warnings of a successful build.
  const benignShown = new Set([...results.filter((r) => r.benign).map((r) => r.got), ...warned]);
  for (const entry of CATALOG.filter((e) => e.benign)) expect({ id: entry.id, shown: benignShown.has(entry.id) }).toEqual({ id: entry.id, shown: true });
});
