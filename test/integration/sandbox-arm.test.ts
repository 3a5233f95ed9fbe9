import { startSandbox, type Sandbox } from '../../src/sandbox';
import { API, arm, getTemplate, templatePath } from './helpers/sandbox-http';

// The emulator's REST surface with plain fetch: paths, api-version handling, ARM error bodies, paging,
// PUT/PATCH rules and the staging storage account listing.

let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ stepMs: 50, bigLog: false });
});

afterAll(async () => {
  await sb?.stop();
});

const listPath = () => `/subscriptions/${sb.subscriptionId}/providers/Microsoft.VirtualMachineImages/imageTemplates`;

function newTemplateBody(): Record<string, unknown> {
  return {
    location: 'westeurope',
    tags: { owner: 'tests' },
    identity: { type: 'UserAssigned', userAssignedIdentities: { '/subscriptions/s/resourceGroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id': {} } },
    properties: {
      source: { type: 'PlatformImage', publisher: 'Canonical', offer: '0001-com-ubuntu-server-jammy', sku: '22_04-lts-gen2', version: 'latest' },
      customize: [{ type: 'Shell', name: 'hello', inline: ['echo hello'] }],
      distribute: [{ type: 'ManagedImage', imageId: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/images/i', location: 'westeurope', runOutputName: 'out1' }],
    },
  };
}

describe('api-version', () => {
  test('is required on every call', async () => {
    const r = await arm(sb, 'GET', templatePath(sb, 'win2022-base'));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('MissingApiVersionParameter');
  });

  test('older stable versions are accepted, unknown ones refused with the supported list', async () => {
    expect((await arm(sb, 'GET', `${templatePath(sb, 'win2022-base')}?api-version=2022-07-01`)).status).toBe(200);
    const r = await arm(sb, 'GET', `${templatePath(sb, 'win2022-base')}?api-version=2019-05-01-preview-x`);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('InvalidApiVersionParameter');
    expect(r.body.error.message).toContain('2025-10-01');
  });
});

describe('template GET', () => {
  test('has the ARM shape with properties nested and ISO dates', async () => {
    const t = await getTemplate(sb, 'win2022-base');
    expect(t.id).toBe(`/subscriptions/${sb.subscriptionId}/resourceGroups/aib-sandbox/providers/Microsoft.VirtualMachineImages/imageTemplates/win2022-base`);
    expect(t.type).toBe('Microsoft.VirtualMachineImages/imageTemplates');
    expect(t.location).toBe('westeurope');
    expect(t.source).toBeUndefined();
    expect(t.properties.source.type).toBe('PlatformImage');
    expect(t.properties.lastRunStatus.runState).toBe('Failed');
    expect(new Date(t.properties.lastRunStatus.startTime).toISOString()).toBe(t.properties.lastRunStatus.startTime);
    expect(t.properties.exactStagingResourceGroup).toMatch(/\/resourceGroups\/IT_aib-sandbox_win2022-base_[0-9a-f-]{36}$/);
    const identity = Object.values(t.identity.userAssignedIdentities)[0] as { principalId: string; clientId: string };
    expect(identity.principalId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('every answer carries ARM request ids and echoes the caller correlation id', async () => {
    const res = await fetch(`${sb.armEndpoint}${templatePath(sb, 'nope-missing')}?${API}`, { headers: { 'x-ms-correlation-request-id': 'corr-123' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-ms-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-ms-correlation-request-id')).toBe('corr-123');
  });

  test('unknown template, unknown group, bad name and bad subscription have their ARM codes', async () => {
    const missing = await arm(sb, 'GET', `${templatePath(sb, 'no-such-template')}?${API}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('ResourceNotFound');
    expect(missing.body.error.message).toContain("The Resource 'Microsoft.VirtualMachineImages/imageTemplates/no-such-template' under resource group 'aib-sandbox' was not found.");

    const group = await arm(sb, 'GET', `${templatePath(sb, 'win2022-base', 'no-such-group')}?${API}`);
    expect(group.status).toBe(404);
    expect(group.body.error.code).toBe('ResourceGroupNotFound');

    const name = await arm(sb, 'GET', `${templatePath(sb, 'bad%20name!')}?${API}`);
    expect(name.status).toBe(400);
    expect(name.body.error.code).toBe('InvalidResourceName');

    const sub = await arm(sb, 'GET', `/subscriptions/11111111-1111-4111-8111-111111111111/providers/Microsoft.VirtualMachineImages/imageTemplates?${API}`);
    expect(sub.status).toBe(404);
    expect(sub.body.error.code).toBe('SubscriptionNotFound');
  });

  test('names and provider segments match case-insensitively, as in ARM', async () => {
    const path = templatePath(sb, 'WIN2022-BASE').replace('Microsoft.VirtualMachineImages', 'microsoft.virtualmachineimages');
    const r = await arm(sb, 'GET', `${path}?${API}`);
    expect(r.status).toBe(200);
    expect(r.body.name).toBe('win2022-base');
  });
});

describe('list paging', () => {
  test('follows nextLink through every template of the subscription, 10 per page by default', async () => {
    const names: string[] = [];
    let url: string | undefined = `${listPath()}?${API}`;
    let pages = 0;
    while (url) {
      const r = await arm(sb, 'GET', url);
      expect(r.status).toBe(200);
      expect(r.body.value.length).toBeLessThanOrEqual(10);
      names.push(...r.body.value.map((t: { id: string }) => t.id));
      url = r.body.nextLink;
      if (url) expect(url).toContain('api-version=2025-10-01');
      pages++;
    }
    expect(new Set(names).size).toBe(sb.scenarios.length);
    expect(pages).toBe(Math.ceil(sb.scenarios.length / 10));
  });

  test('$top sets the page size and per-group listing stays in its group', async () => {
    const first = await arm(sb, 'GET', `${listPath()}?${API}&$top=3`);
    expect(first.body.value).toHaveLength(3);
    const second = await arm(sb, 'GET', first.body.nextLink);
    expect(second.body.value).toHaveLength(3);
    expect(second.body.value[0].id).not.toBe(first.body.value[0].id);

    const dev = await arm(sb, 'GET', `/subscriptions/${sb.subscriptionId}/resourceGroups/aib-sandbox-dev/providers/Microsoft.VirtualMachineImages/imageTemplates?${API}`);
    expect(dev.body.value.map((t: { name: string }) => t.name)).toEqual(['win2022-base']);
    expect(dev.body.nextLink).toBeUndefined();
  });

  test('a tampered $skiptoken is refused', async () => {
    const r = await arm(sb, 'GET', `${listPath()}?${API}&$skiptoken=not-a-token`);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('InvalidSkipToken');
  });
});

describe('PUT and PATCH', () => {
  test('PUT on an existing template is a 409 Conflict the guide quotes', async () => {
    const r = await arm(sb, 'PUT', `${templatePath(sb, 'win2022-base')}?${API}`, newTemplateBody());
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('Conflict');
    expect(r.body.error.message).toContain('Update/Upgrade of image templates is currently not supported');
  });

  test('PUT validates source, distribute and identity with the ValidationFailed shape', async () => {
    for (const drop of ['source', 'distribute'] as const) {
      const body = newTemplateBody();
      delete (body.properties as Record<string, unknown>)[drop];
      const r = await arm(sb, 'PUT', `${templatePath(sb, `tests-invalid-${drop}`)}?${API}`, body);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('ValidationFailed');
      expect(r.body.error.message).toContain(`Missing field ${drop}`);
    }
    const noIdentity = newTemplateBody();
    delete noIdentity.identity;
    const r = await arm(sb, 'PUT', `${templatePath(sb, 'tests-invalid-identity')}?${API}`, noIdentity);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('ValidationFailed');
    expect((await arm(sb, 'GET', `${templatePath(sb, 'tests-invalid-identity')}?${API}`)).status).toBe(404);
  });

  test('PUT creates through an async operation, then PATCH changes tags and vmProfile as a long-running operation', async () => {
    const created = await arm(sb, 'PUT', `${templatePath(sb, 'tests-created')}?${API}`, newTemplateBody());
    expect(created.status).toBe(201);
    expect(created.body.properties.provisioningState).toBe('Creating');
    const op = created.headers.get('azure-asyncoperation')!;
    expect(op).toContain('/providers/Microsoft.VirtualMachineImages/locations/westeurope/operations/');
    expect(created.headers.get('retry-after')).toBe('1');
    const done = await pollOperation(op);
    expect(done.status).toBe('Succeeded');
    expect((await getTemplate(sb, 'tests-created')).properties.provisioningState).toBe('Succeeded');

    const patched = await arm(sb, 'PATCH', `${templatePath(sb, 'tests-created')}?${API}`, { tags: { owner: 'patched' }, properties: { vmProfile: { vmSize: 'Standard_D4ds_v5' } } });
    // PATCH is an azure-async-operation LRO; the template stays readable (Updating) until it is applied.
    expect(patched.status).toBe(202);
    expect((await getTemplate(sb, 'tests-created')).properties.provisioningState).toBe('Updating');
    expect((await pollOperation(patched.headers.get('azure-asyncoperation')!)).status).toBe('Succeeded');
    const updated = await getTemplate(sb, 'tests-created');
    expect(updated.tags).toEqual({ owner: 'patched' });
    expect(updated.properties.vmProfile.vmSize).toBe('Standard_D4ds_v5');
    expect(updated.properties.provisioningState).toBe('Succeeded');

    const refused = await arm(sb, 'PATCH', `${templatePath(sb, 'tests-created')}?${API}`, { properties: { distribute: [] } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('ValidationFailed');
  });
});

describe('staging storage account', () => {
  test('listByResourceGroup on the staging group returns the one account on the sandbox blob endpoint', async () => {
    const t = await getTemplate(sb, 'win2022-base');
    const staging = t.properties.exactStagingResourceGroup.split('/').pop();
    const r = await arm(sb, 'GET', `/subscriptions/${sb.subscriptionId}/resourceGroups/${staging}/providers/Microsoft.Storage/storageAccounts?api-version=2025-06-01`);
    expect(r.status).toBe(200);
    expect(r.body.value).toHaveLength(1);
    const account = r.body.value[0];
    expect(account.name).toMatch(/^[a-z][a-z0-9]{23}$/);
    expect(account.type).toBe('Microsoft.Storage/storageAccounts');
    expect(account.properties.primaryEndpoints.blob).toBe(`${sb.blobEndpoint}/${account.name}/`);
    expect(t.properties.lastRunStatus.message).toContain(`https://${account.name}.blob.core.windows.net/packerlogs/`);
  });

  test('an unknown group is ResourceGroupNotFound, a user group lists no accounts', async () => {
    const missing = await arm(sb, 'GET', `/subscriptions/${sb.subscriptionId}/resourceGroups/IT_nowhere/providers/Microsoft.Storage/storageAccounts?api-version=2025-06-01`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('ResourceGroupNotFound');
    const main = await arm(sb, 'GET', `/subscriptions/${sb.subscriptionId}/resourceGroups/aib-sandbox/providers/Microsoft.Storage/storageAccounts?api-version=2025-06-01`);
    expect(main.body.value).toEqual([]);
  });
});

async function pollOperation(url: string): Promise<{ status: string; error?: { code: string; message: string } }> {
  for (;;) {
    const r = await arm(sb, 'GET', url);
    expect(r.status).toBe(200);
    if (r.body.status !== 'InProgress') return r.body;
    await new Promise((res) => setTimeout(res, 25));
  }
}
