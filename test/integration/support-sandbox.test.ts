import { startSandbox, type Sandbox } from '../../src/sandbox';
import { arm, waitFor } from './helpers/sandbox-http';

// The sandbox's Microsoft.Support surface with plain fetch: REST shapes of api-version 2020-04-01, the name check,
// the asynchronous create and the errors a client can meet.

let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ stepMs: 50, bigLog: false });
});

afterAll(async () => {
  await sb?.stop();
});

const V = 'api-version=2020-04-01';
const WINDOWS = '6f16735c-b0ae-b275-ad3a-03479cfa1396';
const LINUX = 'cddd3eb5-1830-b494-44fd-782f691479dc';
const tickets = () => `/subscriptions/${sb.subscriptionId}/providers/Microsoft.Support/supportTickets`;

function ticketBody(overrides: Record<string, unknown> = {}) {
  return {
    properties: {
      title: 'Image build failed',
      description: 'Customizing failed.',
      serviceId: `/providers/Microsoft.Support/services/${WINDOWS}`,
      problemClassificationId: `/providers/Microsoft.Support/services/${WINDOWS}/problemClassifications/ef64d754-4abe-3465-b745-7e0fab9ea45e`,
      severity: 'minimal',
      contactDetails: {
        firstName: 'Ada',
        lastName: 'Lovelace',
        preferredContactMethod: 'email',
        primaryEmailAddress: 'ada@contoso.example',
        preferredTimeZone: 'GMT Standard Time',
        country: 'GBR',
        preferredSupportLanguage: 'en-US',
      },
      ...overrides,
    },
  };
}

describe('catalog', () => {
  test('services list both VM services in the ARM shape', async () => {
    const r = await arm(sb, 'GET', `/providers/Microsoft.Support/services?${V}`);
    expect(r.status).toBe(200);
    const byName = new Map((r.body.value as Array<{ name: string }>).map((s) => [s.name, s]));
    expect(byName.get(WINDOWS)).toEqual({
      id: `/providers/Microsoft.Support/services/${WINDOWS}`,
      name: WINDOWS,
      type: 'Microsoft.Support/services',
      properties: { displayName: 'Virtual Machine running Windows', resourceTypes: expect.arrayContaining(['MICROSOFT.COMPUTE/VIRTUALMACHINES']) },
    });
    expect(byName.get(LINUX)).toMatchObject({ properties: { displayName: 'Virtual Machine running Linux' } });
  });

  test.each([WINDOWS, LINUX])('service %s has an Azure Image Builder problem classification', async (service) => {
    const r = await arm(sb, 'GET', `/providers/Microsoft.Support/services/${service}/problemClassifications?${V}`);
    expect(r.status).toBe(200);
    const aib = (r.body.value as Array<{ id: string; name: string; type: string; properties: { displayName: string } }>).filter((pc) =>
      pc.properties.displayName.includes('Azure Image Builder'),
    );
    expect(aib.length).toBeGreaterThanOrEqual(1);
    for (const pc of aib) {
      expect(pc.id).toBe(`/providers/Microsoft.Support/services/${service}/problemClassifications/${pc.name}`);
      expect(pc.type).toBe('Microsoft.Support/problemClassifications');
    }
    const one = await arm(sb, 'GET', `${aib[0].id}?${V}`);
    expect(one.body).toEqual(aib[0]);
  });

  test('unknown service is a 404 with an ARM error body', async () => {
    const r = await arm(sb, 'GET', `/providers/Microsoft.Support/services/00000000-0000-0000-0000-000000000000/problemClassifications?${V}`);
    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({ code: 'NotFound' });
  });

  test('api-version: required, and only the one the 2.1.0 SDK sends', async () => {
    expect((await arm(sb, 'GET', '/providers/Microsoft.Support/services')).body.error.code).toBe('MissingApiVersionParameter');
    const r = await arm(sb, 'GET', '/providers/Microsoft.Support/services?api-version=2025-10-01');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('InvalidApiVersionParameter');
    expect(r.body.error.message).toContain('2020-04-01');
  });
});

describe('tickets', () => {
  test('name check, asynchronous create, then the ticket', async () => {
    const check = (name: string) =>
      arm(sb, 'POST', `/subscriptions/${sb.subscriptionId}/providers/Microsoft.Support/checkNameAvailability?${V}`, { name, type: 'Microsoft.Support/supportTickets' });
    expect((await check('rest-1')).body).toEqual({ nameAvailable: true });
    expect((await check('bad name!')).body).toMatchObject({ nameAvailable: false, reason: 'Invalid' });

    const put = await arm(sb, 'PUT', `${tickets()}/rest-1?${V}`, ticketBody());
    expect(put.status).toBe(202);
    const op = put.headers.get('azure-asyncoperation')!;
    expect(op).toMatch(new RegExp(`/subscriptions/${sb.subscriptionId}/providers/Microsoft\\.Support/operationsStatus/[0-9A-F-]{36}\\?${V}$`));
    expect((await check('rest-1')).body).toMatchObject({ nameAvailable: false, reason: 'AlreadyExists' });

    await waitFor(async () => ((await arm(sb, 'GET', op)).body.status === 'Succeeded' ? true : undefined));
    const got = await arm(sb, 'GET', `${tickets()}/rest-1?${V}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      id: `/subscriptions/${sb.subscriptionId}/providers/Microsoft.Support/supportTickets/rest-1`,
      name: 'rest-1',
      type: 'Microsoft.Support/supportTickets',
      properties: {
        title: 'Image build failed',
        status: 'Open',
        serviceDisplayName: 'Virtual Machine running Windows',
        problemClassificationDisplayName: 'Azure Features / Azure Image Builder',
        serviceLevelAgreement: { slaMinutes: 480 },
      },
    });
    expect(got.body.properties.supportTicketId).toMatch(/^\d{16}$/);
  });

  test('a second PUT of the same name is a conflict', async () => {
    expect((await arm(sb, 'PUT', `${tickets()}/rest-2?${V}`, ticketBody())).status).toBe(202);
    const again = await arm(sb, 'PUT', `${tickets()}/rest-2?${V}`, ticketBody());
    expect(again.status).toBe(409);
  });

  test.each([
    ['a missing title', { title: '' }, "'title'"],
    ['a classification of another service', { problemClassificationId: `/providers/Microsoft.Support/services/${LINUX}/problemClassifications/ef64d754-4abe-3465-b745-7e0fab9ea45e` }, 'does not belong'],
    ['an unknown severity', { severity: 'urgent' }, 'severity'],
  ])('refuses %s', async (_what, overrides, words) => {
    const r = await arm(sb, 'PUT', `${tickets()}/rest-bad?${V}`, ticketBody(overrides));
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain(words);
    expect((await arm(sb, 'GET', `${tickets()}/rest-bad?${V}`)).status).toBe(404);
  });

  test('another subscription is not found', async () => {
    const r = await arm(sb, 'GET', `/subscriptions/11111111-1111-4111-8111-111111111111/providers/Microsoft.Support/supportTickets/x?${V}`);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('SubscriptionNotFound');
  });
});
