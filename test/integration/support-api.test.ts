import { createSupportGateway, isSupportError, type SupportGateway, type SupportTicketRequest } from '../../src/azure/support';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { buildSupportPrefill, submitSupportCase } from '../../src/usecases/support-case';
import { classify, templateFacts } from '../../src/diagnosis';
import { embeddedSandboxTarget, FAST_TUNING } from './helpers/azure-sandbox';
import { arm } from './helpers/sandbox-http';

// Ticket creation through the real @azure/arm-support 2.1.0 client against the sandbox's Microsoft.Support:
// service and classification looked up by name, the name checked, the LRO followed to the ticket number.

let sb: Sandbox;
let gw: SupportGateway;

beforeAll(async () => {
  sb = await startSandbox({ stepMs: 50, bigLog: false });
  gw = createSupportGateway(embeddedSandboxTarget(sb), { tuning: FAST_TUNING, pendingWaitMs: 5000 });
});

afterAll(async () => {
  await sb?.stop();
});

afterEach(() => sb.faults.clear());

const CONTACT = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  preferredContactMethod: 'email' as const,
  primaryEmailAddress: 'ada@contoso.example',
  preferredTimeZone: 'GMT Standard Time',
  country: 'GBR',
  preferredSupportLanguage: 'en-US',
};

let seq = 0;
function request(overrides: Partial<SupportTicketRequest> = {}): SupportTicketRequest {
  seq += 1;
  return {
    product: 'windows',
    name: `aib-test-${seq}`,
    title: `Azure Image Builder: win2022-base failed (${seq})`,
    description: 'Template /subscriptions/…/imageTemplates/win2022-base failed in Customizing.',
    severity: 'minimal',
    contact: CONTACT,
    resourceId: `/subscriptions/${sb.subscriptionId}/resourceGroups/aib-sandbox/providers/Microsoft.VirtualMachineImages/imageTemplates/win2022-base`,
    problemStartTime: new Date('2026-11-20T10:00:07Z'),
    ...overrides,
  };
}

const ticketsPath = () => `/subscriptions/${sb.subscriptionId}/providers/Microsoft.Support/supportTickets`;

async function ticketsTitled(title: string): Promise<unknown[]> {
  const r = await arm(sb, 'GET', `${ticketsPath()}?api-version=2020-04-01`);
  return (r.body.value as Array<{ properties: { title: string } }>).filter((t) => t.properties.title === title);
}

describe('lookups by name', () => {
  test('services by display name, Windows and Linux', async () => {
    expect(await gw.findService('windows')).toEqual({
      name: '6f16735c-b0ae-b275-ad3a-03479cfa1396',
      id: '/providers/Microsoft.Support/services/6f16735c-b0ae-b275-ad3a-03479cfa1396',
      displayName: 'Virtual Machine running Windows',
    });
    expect((await gw.findService('linux')).name).toBe('cddd3eb5-1830-b494-44fd-782f691479dc');
  });

  test('the Azure Features topic wins over other topics that mention Image Builder', async () => {
    const service = await gw.findService('linux');
    const pc = await gw.findProblemClassification(service, 'linux');
    expect(pc.displayName).toBe('Azure Features / Azure Image Builder');
    expect(pc.id).toBe(`${service.id}/problemClassifications/3020f209-0fa7-bf1a-6989-5a584eaeb498`);
  });
});

describe('creating a ticket', () => {
  test('returns the ticket number and the ticket holds what was sent', async () => {
    const req = request();
    const ticket = await gw.createTicket(req);
    expect(ticket).toMatchObject({
      name: req.name,
      title: req.title,
      severity: 'minimal',
      status: 'Open',
      serviceDisplayName: 'Virtual Machine running Windows',
      problemClassificationDisplayName: 'Azure Features / Azure Image Builder',
      reused: false,
    });
    expect(ticket.ticketNumber).toMatch(/^\d{16}$/);
    const stored = await arm(sb, 'GET', `${ticketsPath()}/${req.name}?api-version=2020-04-01`);
    expect(stored.status).toBe(200);
    expect(stored.body.properties).toMatchObject({
      supportTicketId: ticket.ticketNumber,
      description: req.description,
      serviceId: '/providers/Microsoft.Support/services/6f16735c-b0ae-b275-ad3a-03479cfa1396',
      problemClassificationId:
        '/providers/Microsoft.Support/services/6f16735c-b0ae-b275-ad3a-03479cfa1396/problemClassifications/ef64d754-4abe-3465-b745-7e0fab9ea45e',
      technicalTicketDetails: { resourceId: req.resourceId },
      contactDetails: CONTACT,
      problemStartTime: '2026-11-20T10:00:07.000Z',
    });
  });

  test('the same case again returns the first ticket instead of a second one', async () => {
    const req = request();
    const first = await gw.createTicket(req);
    const again = await gw.createTicket(req);
    expect(again).toMatchObject({ ticketNumber: first.ticketNumber, name: first.name, reused: true });
    expect(await ticketsTitled(req.title)).toHaveLength(1);
  });

  test('a name taken by a different ticket moves on to the next suffix', async () => {
    const base = request();
    await gw.createTicket({ ...base, title: 'Somebody else’s case' });
    const mine = await gw.createTicket(base);
    expect(mine).toMatchObject({ name: `${base.name}-2`, reused: false });
    expect(await ticketsTitled(base.title)).toHaveLength(1);
  });

  test('two confirmations at once open one ticket', async () => {
    const req = request();
    const [a, b] = await Promise.all([gw.createTicket(req), gw.createTicket(req)]);
    expect(a.ticketNumber).toBe(b.ticketNumber);
    expect([a.reused, b.reused].sort()).toEqual([false, true]);
    expect(await ticketsTitled(req.title)).toHaveLength(1);
  });

  test('403 on create → forbidden naming Support Request Contributor, and no ticket', async () => {
    sb.faults.add({ target: 'arm', method: 'PUT', pathIncludes: '/Microsoft.Support/supportTickets/', status: 403 });
    const req = request();
    const err = await gw.createTicket(req).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSupportError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'forbidden', status: 403, serviceCode: 'AuthorizationFailed', requiredRole: 'Support Request Contributor' });
    expect(await ticketsTitled(req.title)).toHaveLength(0);
  });

  test('403 on the services list (a failed page) still comes back typed', async () => {
    sb.faults.add({ target: 'arm', method: 'GET', pathIncludes: '/providers/Microsoft.Support/services', status: 403, times: 1 });
    await expect(gw.findService('windows')).rejects.toMatchObject({ code: 'forbidden', serviceCode: 'AuthorizationFailed' });
  });

  test('a refused body is invalid-request with the service message', async () => {
    const err = await gw.createTicket(request({ contact: { ...CONTACT, country: 'UK' } })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid-request', status: 400 });
    expect((err as { serviceMessage: string }).serviceMessage).toContain('ISO 3166-1 alpha-3');
  });
});

describe('the use case end to end', () => {
  const facts = templateFacts({
    id: '/subscriptions/00000000-0000-4000-8000-00000000a1b0/resourceGroups/aib-sandbox/providers/Microsoft.VirtualMachineImages/imageTemplates/ubuntu-web',
    name: 'ubuntu-web',
    properties: {
      source: { type: 'PlatformImage', publisher: 'Canonical', offer: '0001-com-ubuntu-server-jammy', sku: '22_04-lts-gen2' },
      provisioningState: 'Succeeded',
      lastRunStatus: { runState: 'Failed', runSubState: 'Customizing', message: 'Packer build command has failed: exit status 1.' },
    },
  });
  const prefill = buildSupportPrefill({ source: { template: {} as never, facts, diagnosis: classify({ template: facts }), log: { partial: false }, failed: true } });
  const answers = {
    supportTitle: prefill.title,
    supportDescription: prefill.description,
    supportSeverity: 'moderate',
    supportFirstName: 'Ada',
    supportLastName: 'Lovelace',
    supportEmail: 'ada@contoso.example',
    supportContactMethod: 'email',
    supportTimeZone: 'GMT Standard Time',
    supportCountry: 'GBR',
    supportLanguage: 'en-US',
  };

  test('api mode creates a Linux ticket and reports its number', async () => {
    const r = await submitSupportCase(prefill, answers, { mode: 'api', gateway: gw });
    if (r.kind !== 'created') throw new Error(`expected created, got ${JSON.stringify(r)}`);
    expect(r.ticket).toMatchObject({ serviceDisplayName: 'Virtual Machine running Linux', severity: 'moderate', reused: false });
    expect(r.ticket.name).toMatch(/^aib-ubuntu-web-[0-9a-f]{16}$/);
  });

  test('api mode with a 403 answers forbidden with the portal route', async () => {
    sb.faults.add({ target: 'arm', method: 'POST', pathIncludes: '/Microsoft.Support/checkNameAvailability', status: 403 });
    const r = await submitSupportCase(prefill, { ...answers, supportTitle: 'another case' }, { mode: 'api', gateway: gw });
    expect(r).toMatchObject({ kind: 'failed', error: { code: 'forbidden', requiredRole: 'Support Request Contributor' } });
    expect(r.kind === 'failed' && r.portal?.url).toContain('Microsoft.Support/Parameters/');
  });
});
