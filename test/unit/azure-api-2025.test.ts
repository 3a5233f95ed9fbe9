import { parseGalleryVersionId, validationLogOf, type LogLocation } from '../../src/azure';
import { createAzureClients } from '../../src/azure/clients';

// Pure helpers of the issue-13 gateways: gallery version ids, the validation.log location, and the plain ARM
// requester's refusal to follow links off the configured endpoint.

const SUB = '00000000-0000-4000-8000-00000000a1b0';
const VERSION = `/subscriptions/${SUB}/resourceGroups/aib-sandbox/providers/Microsoft.Compute/galleries/contosoImages/images/win2022/versions/1.0.4207`;

describe('parseGalleryVersionId', () => {
  it('splits a run output artifact id into its parts', () => {
    expect(parseGalleryVersionId(VERSION)).toEqual({ subscriptionId: SUB, resourceGroup: 'aib-sandbox', gallery: 'contosoImages', image: 'win2022', version: '1.0.4207' });
  });

  it.each([
    ['a managed image', `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/images/img`],
    ['a version that is not major.minor.patch', VERSION.replace('1.0.4207', 'latest')],
    ['a path with extra segments', `${VERSION}/../../x`],
    ['a query string', `${VERSION}?api-version=1`],
  ])('refuses %s as invalid-name', (_what, id) => {
    expect(() => parseGalleryVersionId(id)).toThrow(expect.objectContaining({ code: 'invalid-name' }));
  });
});

describe('validationLogOf', () => {
  it('is validation.log in the same packerlogs folder and account', () => {
    const c: LogLocation = { account: 'abc123', container: 'packerlogs', blobPath: 'f00d-1234/customization.log', source: 'status-url', stagingResourceGroup: 'IT_x' };
    expect(validationLogOf(c)).toEqual({ ...c, blobPath: 'f00d-1234/validation.log' });
  });
});

describe('armRequest', () => {
  const clients = createAzureClients({
    kind: 'sandbox',
    origin: 'embedded',
    armEndpoint: 'http://127.0.0.1:9',
    blobEndpoint: 'http://127.0.0.1:9',
    storageKey: 'a2V5',
    subscriptionId: SUB,
    resourceGroups: [],
  });

  it.each(['https://evil.example/subscriptions/x', 'http://127.0.0.1:10/subscriptions/x', 'https://127.0.0.1:9/subscriptions/x'])(
    'refuses to send a request to %s, off the configured endpoint',
    async (url) => {
      await expect(clients.armRequest('GET', url)).rejects.toMatchObject({ code: 'unexpected', message: expect.stringContaining('another host') });
    },
  );
});
