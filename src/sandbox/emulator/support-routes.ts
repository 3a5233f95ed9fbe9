import { stableGuid } from '../ids';
import { ArmError, armErrors } from './arm-errors';
import type { ArmContext, ArmRequest, Reply } from './arm-types';
import { OperationBook, type OperationRecord } from './operations';

// Microsoft.Support as @azure/arm-support 2.1.0 calls it (api-version 2020-04-01): the service and problem
// classification catalog, ticket name checks, and ticket creation as an Azure-AsyncOperation long-running PUT.
// The two VM services carry their real ids; everything else here is sandbox-made.

export const SUPPORT_API_VERSIONS: readonly string[] = ['2020-04-01'];

const SUPPORT = 'providers/Microsoft\\.Support';
const SEG = '([^/]+)';
const ROUTES: { re: RegExp; name: SupportRoute }[] = [
  { re: new RegExp(`^/${SUPPORT}/services/?$`, 'i'), name: 'services' },
  { re: new RegExp(`^/${SUPPORT}/services/${SEG}$`, 'i'), name: 'service' },
  { re: new RegExp(`^/${SUPPORT}/services/${SEG}/problemClassifications/?$`, 'i'), name: 'classifications' },
  { re: new RegExp(`^/${SUPPORT}/services/${SEG}/problemClassifications/${SEG}$`, 'i'), name: 'classification' },
  { re: new RegExp(`^/subscriptions/${SEG}/${SUPPORT}/checkNameAvailability$`, 'i'), name: 'checkName' },
  { re: new RegExp(`^/subscriptions/${SEG}/${SUPPORT}/supportTickets/?$`, 'i'), name: 'tickets' },
  { re: new RegExp(`^/subscriptions/${SEG}/${SUPPORT}/supportTickets/${SEG}$`, 'i'), name: 'ticket' },
  { re: new RegExp(`^/subscriptions/${SEG}/${SUPPORT}/operationsStatus/${SEG}$`, 'i'), name: 'operation' },
];
type SupportRoute = 'services' | 'service' | 'classifications' | 'classification' | 'checkName' | 'tickets' | 'ticket' | 'operation';

export function isSupportPath(path: string): boolean {
  return /^(\/subscriptions\/[^/]+)?\/providers\/Microsoft\.Support\//i.test(path);
}

interface CatalogService {
  name: string;
  displayName: string;
  resourceTypes: string[];
  classifications: { name: string; displayName: string }[];
}

/** Unrelated topics keep the lookup honest: it must pick Image Builder by name, not take the first entry. */
function vmClassifications(os: 'Windows' | 'Linux', imageBuilderTopic: string, managementTopic: string) {
  return [
    { name: stableGuid(`support:${os}:connect`), displayName: `Cannot connect to my VM / ${os === 'Windows' ? 'Troubleshoot my RDP connection' : 'Troubleshoot my SSH connection'}` },
    { name: stableGuid(`support:${os}:performance`), displayName: 'VM Performance / Memory usage is higher than expected' },
    { name: managementTopic, displayName: 'Management / Assistance with Azure Image Builder' },
    { name: imageBuilderTopic, displayName: 'Azure Features / Azure Image Builder' },
    { name: stableGuid(`support:${os}:extensions`), displayName: 'Azure Features / VM extensions not operating correctly' },
  ];
}

const CATALOG: CatalogService[] = [
  {
    name: stableGuid('support:service:storage'),
    displayName: 'Storage Account Management',
    resourceTypes: ['MICROSOFT.STORAGE/STORAGEACCOUNTS'],
    classifications: [{ name: stableGuid('support:storage:access'), displayName: 'Access / Unable to access my storage account' }],
  },
  {
    name: '6f16735c-b0ae-b275-ad3a-03479cfa1396',
    displayName: 'Virtual Machine running Windows',
    resourceTypes: ['MICROSOFT.CLASSICCOMPUTE/VIRTUALMACHINES', 'MICROSOFT.COMPUTE/VIRTUALMACHINES'],
    classifications: vmClassifications('Windows', 'ef64d754-4abe-3465-b745-7e0fab9ea45e', '594f8e0e-7e66-9028-40ba-35925de830a9'),
  },
  {
    name: 'cddd3eb5-1830-b494-44fd-782f691479dc',
    displayName: 'Virtual Machine running Linux',
    resourceTypes: ['MICROSOFT.CLASSICCOMPUTE/VIRTUALMACHINES', 'MICROSOFT.COMPUTE/VIRTUALMACHINES'],
    classifications: vmClassifications('Linux', '3020f209-0fa7-bf1a-6989-5a584eaeb498', '9b504558-994b-fa7d-7f64-8ac6382b1db1'),
  },
  {
    name: stableGuid('support:service:aks'),
    displayName: 'Kubernetes Service (AKS)',
    resourceTypes: ['MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS'],
    classifications: [{ name: stableGuid('support:aks:upgrade'), displayName: 'Cluster Management / Upgrade failures' }],
  },
];

interface TicketRecord {
  name: string;
  ticketNumber: string;
  properties: Record<string, unknown>;
  /** Created through PUT but its operation has not finished: not readable yet, but the name is taken. */
  pending: boolean;
}

/** Support state per emulator; kept beside the ARM context so the router needs no new fields. */
class SupportWorld {
  readonly tickets = new Map<string, TicketRecord>();
  readonly operations = new OperationBook();
  private sequence = 0;

  nextTicketNumber(now: Date): string {
    this.sequence += 1;
    const day = now.toISOString().slice(2, 10).replace(/-/g, '');
    return `${day}${String(this.sequence).padStart(10, '0')}`;
  }
}

const worlds = new WeakMap<ArmContext, SupportWorld>();

function worldOf(ctx: ArmContext): SupportWorld {
  let w = worlds.get(ctx);
  if (!w) {
    w = new SupportWorld();
    worlds.set(ctx, w);
  }
  return w;
}

/** Ticket names the sandbox accepts; the real service's rule is not published, this one keeps URLs plain. */
const TICKET_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const SEVERITIES = ['minimal', 'moderate', 'critical', 'highestcriticalimpact'];
/** Creating a ticket takes a moment in Azure; long sandbox run steps (the demo's 20 s) would be tedious here. */
const MAX_CREATE_MS = 1000;

export async function routeSupport(ctx: ArmContext, req: ArmRequest): Promise<Reply> {
  const path = req.url.pathname;
  const match = ROUTES.map((r) => ({ name: r.name, m: r.re.exec(path) })).find((r) => r.m !== null);
  if (!match || !match.m) throw armErrors.noRoute(req.method, path);
  const args = match.m.slice(1).map(decode);
  const given = req.url.searchParams.get('api-version');
  if (!given) throw armErrors.missingApiVersion();
  if (!SUPPORT_API_VERSIONS.includes(given)) throw armErrors.invalidApiVersion(given, 'supportTickets', SUPPORT_API_VERSIONS);
  const scoped = ['checkName', 'tickets', 'ticket', 'operation'].includes(match.name);
  if (scoped && args[0].toLowerCase() !== ctx.subscriptionId.toLowerCase()) throw armErrors.subscriptionNotFound(args[0]);
  const world = worldOf(ctx);
  switch (match.name) {
    case 'services':
      allow(req, 'GET');
      return { status: 200, body: { value: CATALOG.map(serviceJson) } };
    case 'service':
      allow(req, 'GET');
      return { status: 200, body: serviceJson(service(args[0])) };
    case 'classifications': {
      allow(req, 'GET');
      const s = service(args[0]);
      return { status: 200, body: { value: s.classifications.map((c) => classificationJson(s, c)) } };
    }
    case 'classification': {
      allow(req, 'GET');
      const s = service(args[0]);
      const c = s.classifications.find((x) => x.name.toLowerCase() === args[1].toLowerCase());
      if (!c) throw notFound(`Problem classification '${args[1]}' of service '${s.name}' was not found.`);
      return { status: 200, body: classificationJson(s, c) };
    }
    case 'checkName':
      allow(req, 'POST');
      return checkName(world, await req.body());
    case 'tickets':
      allow(req, 'GET');
      return {
        status: 200,
        body: { value: [...world.tickets.values()].filter((t) => !t.pending).map((t) => ticketJson(ctx, t)) },
      };
    case 'ticket':
      if (req.method === 'GET') {
        const t = world.tickets.get(args[1].toLowerCase());
        if (!t || t.pending) throw notFound(`Support ticket '${args[1]}' was not found.`);
        return { status: 200, body: ticketJson(ctx, t) };
      }
      allow(req, 'PUT');
      return createTicket(ctx, world, req, args[1]);
    case 'operation': {
      allow(req, 'GET');
      const op = world.operations.get(args[1]);
      if (!op) throw armErrors.operationNotFound(args[1]);
      const headers: Record<string, string> = op.status === 'InProgress' ? { 'retry-after': '1' } : {};
      return { status: 200, body: operationJson(op), headers };
    }
  }
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function allow(req: ArmRequest, ...methods: string[]): void {
  if (!methods.includes(req.method)) throw armErrors.methodNotAllowed(req.method);
}

function notFound(message: string): ArmError {
  return new ArmError(404, 'NotFound', message);
}

function badRequest(message: string): ArmError {
  return new ArmError(400, 'BadRequest', message);
}

function service(name: string): CatalogService {
  const s = CATALOG.find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (!s) throw notFound(`Service '${name}' was not found.`);
  return s;
}

function serviceJson(s: CatalogService) {
  return {
    id: `/providers/Microsoft.Support/services/${s.name}`,
    name: s.name,
    type: 'Microsoft.Support/services',
    properties: { displayName: s.displayName, resourceTypes: s.resourceTypes },
  };
}

function classificationJson(s: CatalogService, c: { name: string; displayName: string }) {
  return {
    id: `/providers/Microsoft.Support/services/${s.name}/problemClassifications/${c.name}`,
    name: c.name,
    type: 'Microsoft.Support/problemClassifications',
    properties: { displayName: c.displayName },
  };
}

function checkName(world: SupportWorld, body: unknown): Reply {
  const b = (body ?? {}) as { name?: unknown; type?: unknown };
  if (typeof b.name !== 'string' || b.name === '') throw badRequest("The 'name' of the resource to check is required.");
  if (b.type !== 'Microsoft.Support/supportTickets' && b.type !== 'Microsoft.Support/communications') {
    throw badRequest("The 'type' must be 'Microsoft.Support/supportTickets' or 'Microsoft.Support/communications'.");
  }
  if (!TICKET_NAME.test(b.name)) {
    return { status: 200, body: { nameAvailable: false, reason: 'Invalid', message: 'The name may use 1-64 letters, digits, "-" and "_".' } };
  }
  if (b.type === 'Microsoft.Support/supportTickets' && world.tickets.has(b.name.toLowerCase())) {
    return { status: 200, body: { nameAvailable: false, reason: 'AlreadyExists', message: `A support ticket named '${b.name}' already exists.` } };
  }
  return { status: 200, body: { nameAvailable: true } };
}

async function createTicket(ctx: ArmContext, world: SupportWorld, req: ArmRequest, name: string): Promise<Reply> {
  if (!TICKET_NAME.test(name)) throw new ArmError(400, 'InvalidResourceName', `The support ticket name '${name}' is invalid.`);
  if (world.tickets.has(name.toLowerCase())) {
    throw new ArmError(409, 'Conflict', `A support ticket named '${name}' already exists; support tickets cannot be replaced.`);
  }
  const props = validTicket(await req.body());
  const s = CATALOG.find((x) => `/providers/microsoft.support/services/${x.name}` === String(props.serviceId).toLowerCase());
  if (!s) throw badRequest(`The serviceId '${String(props.serviceId)}' is not a valid service.`);
  const pcName = /\/problemClassifications\/([^/]+)$/i.exec(String(props.problemClassificationId))?.[1] ?? '';
  const pc = String(props.problemClassificationId).toLowerCase().startsWith(`/providers/microsoft.support/services/${s.name}/`)
    ? s.classifications.find((c) => c.name.toLowerCase() === pcName.toLowerCase())
    : undefined;
  if (!pc) throw badRequest(`The problemClassificationId '${String(props.problemClassificationId)}' does not belong to service '${s.displayName}'.`);

  const now = new Date();
  const slaMinutes = props.severity === 'minimal' ? 480 : props.severity === 'moderate' ? 240 : 60;
  const record: TicketRecord = {
    name,
    ticketNumber: world.nextTicketNumber(now),
    pending: true,
    properties: {
      ...props,
      problemClassificationDisplayName: pc.displayName,
      serviceDisplayName: s.displayName,
      require24X7Response: props.require24X7Response ?? false,
      enrollmentId: '',
      supportPlanType: 'Developer',
      status: 'Open',
      createdDate: now.toISOString(),
      modifiedDate: now.toISOString(),
      serviceLevelAgreement: {
        startTime: now.toISOString(),
        expirationTime: new Date(now.getTime() + slaMinutes * 60_000).toISOString(),
        slaMinutes,
      },
      supportEngineer: {},
    },
  };
  world.tickets.set(name.toLowerCase(), record);
  const op = world.operations.create();
  ctx.runs.later(Math.min(ctx.stepMs, MAX_CREATE_MS), () => {
    record.pending = false;
    world.operations.finish(op, 'Succeeded');
  });
  const asyncUrl = `${req.base}/subscriptions/${ctx.subscriptionId}/providers/Microsoft.Support/operationsStatus/${op.name}?api-version=${encodeURIComponent(
    req.url.searchParams.get('api-version') ?? '',
  )}`;
  return {
    status: 202,
    body: ticketJson(ctx, record),
    headers: { 'azure-asyncoperation': asyncUrl, 'retry-after': '1' },
  };
}

const CONTACT_REQUIRED = ['firstName', 'lastName', 'preferredContactMethod', 'primaryEmailAddress', 'preferredTimeZone', 'country', 'preferredSupportLanguage'];

/** The 2020-04-01 required fields, checked the way the service reports them: the first missing one, by name. */
function validTicket(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('The request body must be a support ticket object.');
  const props = (body as { properties?: unknown }).properties;
  if (typeof props !== 'object' || props === null) throw badRequest("The 'properties' of the support ticket are required.");
  const p = props as Record<string, unknown>;
  for (const field of ['title', 'description', 'serviceId', 'problemClassificationId', 'severity']) {
    if (typeof p[field] !== 'string' || (p[field] as string).trim() === '') throw badRequest(`The field '${field}' is required.`);
  }
  if (!SEVERITIES.includes(String(p.severity))) throw badRequest(`The severity '${String(p.severity)}' is not valid.`);
  const contact = p.contactDetails as Record<string, unknown> | undefined;
  if (typeof contact !== 'object' || contact === null) throw badRequest("The field 'contactDetails' is required.");
  for (const field of CONTACT_REQUIRED) {
    if (typeof contact[field] !== 'string' || (contact[field] as string).trim() === '') {
      throw badRequest(`The field 'contactDetails.${field}' is required.`);
    }
  }
  if (contact.preferredContactMethod === 'phone' && !contact.phoneNumber) throw badRequest("A 'phoneNumber' is required when the preferred contact method is phone.");
  if (!/^[A-Za-z]{3}$/.test(String(contact.country))) throw badRequest(`The country '${String(contact.country)}' is not an ISO 3166-1 alpha-3 code.`);
  return { ...p };
}

function ticketJson(ctx: ArmContext, t: TicketRecord) {
  return {
    id: `/subscriptions/${ctx.subscriptionId}/providers/Microsoft.Support/supportTickets/${t.name}`,
    name: t.name,
    type: 'Microsoft.Support/supportTickets',
    properties: { supportTicketId: t.ticketNumber, ...t.properties },
  };
}

function operationJson(op: OperationRecord) {
  return {
    name: op.name,
    status: op.status,
    startTime: op.startTime,
    ...(op.endTime ? { endTime: op.endTime } : {}),
    ...(op.error ? { error: op.error } : {}),
  };
}
