import { createAzureGateways, type AzureGateways } from '../../src/azure';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { TemplateLocator } from '../../src/usecases/resolve-template';

// Name resolution against the sandbox: exact, any case, ambiguous, typo; and the one-minute index that turns the
// next question about the same name into a single GET — without ever answering from a stale index.

let sb: Sandbox;
let gw: AzureGateways;
beforeAll(async () => {
  sb = await startSandbox({ stepMs: 50, bigLog: false });
  gw = createAzureGateways({ kind: 'sandbox', origin: 'external', armEndpoint: sb.armEndpoint, blobEndpoint: sb.blobEndpoint, storageKey: sb.storageKey, subscriptionId: sb.subscriptionId, resourceGroups: [] });
});
afterAll(async () => {
  await sb?.stop();
});

/** Counts the ARM list calls the locator makes, through the sandbox's fault book (a 0 ms latency rule matches). */
function countLists(): () => number {
  sb.faults.clear();
  sb.faults.add({ target: 'arm', method: 'GET', pathIncludes: '/providers/Microsoft.VirtualMachineImages/imageTemplates', latencyMs: 0 });
  const start = sb.faults.hits();
  return () => sb.faults.hits() - start;
}

test('exact, case-insensitive, ambiguous and mistyped names', async () => {
  const l = new TemplateLocator(gw);
  expect(await l.resolve('WIN2019-minimal')).toMatchObject({ kind: 'found', name: 'win2019-minimal', resourceGroup: 'aib-sandbox' });
  const amb = await l.resolve('win2022-base');
  expect(amb.kind).toBe('ambiguous');
  expect(await l.resolve('win2022-base', 'aib-sandbox-dev')).toMatchObject({ kind: 'found', resourceGroup: 'aib-sandbox-dev' });
  const typo = await l.resolve('win2019-minmal');
  expect(typo).toMatchObject({ kind: 'not-found' });
  expect((typo as { suggestions: string[] }).suggestions[0]).toBe('win2019-minimal');
});

test('the second question about a name is one GET, not a listing', async () => {
  const l = new TemplateLocator(gw);
  await l.resolve('win2016-wu');
  const requests = countLists();
  const again = await l.resolve('win2016-wu');
  expect(again.kind).toBe('found');
  // One request matched the rule: the GET of the template itself (its path contains the list path as a prefix).
  expect(requests()).toBe(1);
  sb.faults.clear();
});

test('a template deleted since the index was built is looked up again, and reported as gone', async () => {
  const l = new TemplateLocator(gw);
  expect((await l.resolve('ubuntu2204-hardened-fw')).kind).toBe('found');
  await gw.templates.delete('aib-sandbox', 'ubuntu2204-hardened-fw');
  expect(await l.resolve('ubuntu2204-hardened-fw')).toMatchObject({ kind: 'not-found' });
});
