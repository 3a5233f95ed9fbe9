import { recreatedBody, resubmitProblems } from '../../src/usecases/template-edits';
import type { ImageTemplate } from '../../src/azure';

// A recreate deletes before it creates, and Image Builder offers no dry run of a template PUT: the body to send
// again is checked against what the service would refuse while the template still exists.

const ID = '/subscriptions/3f2b6a1e-9c41-4d7a-8e0b-5a6c7d8e9f01/resourceGroups/rg-images/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aib';
const good = (): ImageTemplate =>
  ({
    location: 'westeurope',
    identity: { type: 'UserAssigned', userAssignedIdentities: { [ID]: { principalId: 'p', clientId: 'c' } } },
    source: { type: 'PlatformImage', publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' },
    distribute: [{ type: 'ManagedImage', imageId: '/subscriptions/x/resourceGroups/y/providers/Microsoft.Compute/images/z', location: 'westeurope', runOutputName: 'z' }],
    buildTimeoutInMinutes: 120,
  }) as unknown as ImageTemplate;

test('a complete definition has nothing Image Builder would refuse', () => {
  expect(resubmitProblems(recreatedBody(good(), [{ field: 'buildTimeoutInMinutes', before: '120', after: '240' }]))).toEqual([]);
});

test.each([
  ['location', { location: '' }, 'location: missing'],
  ['identity', { identity: { type: 'None' } }, 'identity: exactly one user-assigned identity is required'],
  ['source', { source: { type: 'ISO' } }, 'source.type'],
  ['distribute', { distribute: [] }, 'distribute: at least one target is required'],
  ['runOutputName', { distribute: [{ type: 'SharedImage', galleryImageId: 'g' }] }, 'distribute[0].runOutputName: missing'],
  ['timeout', { buildTimeoutInMinutes: 1000 }, 'buildTimeoutInMinutes: expected 0 to 960'],
])('names the %s problem', (_what, patch, problem) => {
  const body = { ...good(), ...patch } as unknown as ImageTemplate;
  expect(resubmitProblems(body).join('; ')).toContain(problem);
});
