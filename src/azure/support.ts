import { MicrosoftSupport, type SupportTicketDetails } from '@azure/arm-support';
import type { AzureTarget } from '../config';
import { azureCredential, DEFAULT_TUNING, loopbackBase, makeSandboxPipeline, noTokenCredential, tunePipeline, type GatewayTuning } from './clients';
import { redactSecrets, ServiceError, toGatewayError } from './errors';
import { checkSubscriptionId } from './names';
import { SUPPORT_ROLE } from '../model/roles';
import { SUPPORT_SEVERITIES, type SupportSeverity, type SupportTicketView } from '../model/support-case';

// Azure support cases for Image Builder failures: what the support service calls the product and the topic, the
// portal link that opens a prefilled "New support request", and ticket creation through Microsoft.Support
// (@azure/arm-support 2.1.0, api-version 2020-04-01: the newest the npm registry here offers).

export type SupportProduct = 'windows' | 'linux';

/** Display names as the support service lists them; looked up by name at run time, the GUIDs are only a fallback. */
export const SUPPORT_SERVICES: Record<SupportProduct, { displayName: string; serviceGuid: string; topicGuid: string }> = {
  windows: {
    displayName: 'Virtual Machine running Windows',
    serviceGuid: '6f16735c-b0ae-b275-ad3a-03479cfa1396',
    // From a 2021 copy of the portal's support-topic catalog ("Azure Features" → Image Builder); may be stale.
    topicGuid: 'ef64d754-4abe-3465-b745-7e0fab9ea45e',
  },
  linux: {
    displayName: 'Virtual Machine running Linux',
    serviceGuid: 'cddd3eb5-1830-b494-44fd-782f691479dc',
    topicGuid: '3020f209-0fa7-bf1a-6989-5a584eaeb498',
  },
};

/** The troubleshooting guide's "Get support" section names this support topic and subtopic. */
export const SUPPORT_TOPIC = 'Azure Features';
export const SUPPORT_SUBTOPIC = 'Azure Image Builder';
const CLASSIFICATION_MARKER = /image builder/i;

// Creating tickets needs Microsoft.Support/* on the subscription; SUPPORT_ROLE is the built-in role that grants it.
export { SUPPORT_ROLE, SUPPORT_SEVERITIES, type SupportSeverity };

export const SUPPORT_ERROR_CODES = [
  'forbidden',
  'unauthenticated',
  'throttled',
  'service-unavailable',
  'service-not-found',
  'classification-not-found',
  'name-unavailable',
  'invalid-request',
  'creation-failed',
  'misconfigured',
  'unexpected',
] as const;
export type SupportErrorCode = (typeof SUPPORT_ERROR_CODES)[number];

export interface SupportErrorDetails {
  status?: number;
  serviceCode?: string;
  serviceMessage?: string;
  /** For `forbidden`: the role whose assignment would let the call through. */
  requiredRole?: string;
  retryAfterSeconds?: number;
}

const SUPPORT_DETAIL_KEYS = ['status', 'serviceCode', 'serviceMessage', 'requiredRole', 'retryAfterSeconds'] as const satisfies readonly (keyof SupportErrorDetails)[];

export class SupportError extends ServiceError<SupportErrorCode, SupportErrorDetails> {
  constructor(code: SupportErrorCode, message: string, details: SupportErrorDetails = {}) {
    super('SupportError', code, message, details, SUPPORT_DETAIL_KEYS);
  }
}

export function isSupportError(e: unknown): e is SupportError {
  return e instanceof SupportError;
}

// ------------------------------------------------------------------------------------------------ portal link

export interface PortalLinkInput {
  product: SupportProduct;
  subscriptionId?: string;
  /** Shown nowhere we know of; sent as `contextInfo` because that is the free-text key the portal accepts. */
  context?: string;
}

/**
 * The legacy "create support request" blade with URL-encoded JSON parameters. Microsoft does not document these
 * parameters: the keys (pesId, supportTopicId, subId, contextInfo, caller) are the ones Microsoft's own docs and
 * error messages use, the portal may ignore or drop any of them, and no key for title or description is known.
 * That is why the result card always carries a copy-ready block next to the link. Severity is left out: its
 * numbering in these parameters is not documented either, and a wrong value would be worse than the form's default.
 */
export function supportPortalUrl(input: PortalLinkInput): string {
  const service = SUPPORT_SERVICES[input.product];
  const params: Record<string, string> = {
    pesId: service.serviceGuid,
    supportTopicId: service.topicGuid,
  };
  if (input.subscriptionId) params.subId = input.subscriptionId;
  if (input.context) params.contextInfo = input.context;
  params.caller = 'aib-chatops';
  return `https://portal.azure.com/#create/Microsoft.Support/Parameters/${encodeURIComponent(JSON.stringify(params))}`;
}

/** Where a created ticket can be followed up (the portal's own "manage support requests" page). */
export const MANAGE_TICKETS_URL = 'https://portal.azure.com/#blade/Microsoft_Azure_Support/HelpAndSupportBlade/managesupportrequest';

// ------------------------------------------------------------------------------------------------ the gateway

export interface SupportContact {
  firstName: string;
  lastName: string;
  preferredContactMethod: 'email' | 'phone';
  primaryEmailAddress: string;
  phoneNumber?: string;
  /** Windows time zone name, e.g. "W. Europe Standard Time". */
  preferredTimeZone: string;
  /** ISO 3166-1 alpha-3. */
  country: string;
  /** e.g. en-US. */
  preferredSupportLanguage: string;
}

export interface SupportTicketRequest {
  product: SupportProduct;
  /** Base ticket name (the ARM resource name); a suffix is added when another ticket already uses it. */
  name: string;
  title: string;
  description: string;
  severity: SupportSeverity;
  contact: SupportContact;
  /** The ARM id of the image template, attached as the ticket's resource. */
  resourceId?: string;
  problemStartTime?: Date;
}

/** A ticket as the result card shows it, plus its ARM resource name and id. */
export interface SupportTicket extends SupportTicketView {
  name: string;
  id: string;
}

export interface SupportService {
  name: string;
  id: string;
  displayName: string;
}

export interface SupportGateway {
  kind: AzureTarget['kind'];
  subscriptionId: string;
  findService(product: SupportProduct): Promise<SupportService>;
  findProblemClassification(service: SupportService, product: SupportProduct): Promise<SupportService>;
  isNameAvailable(name: string): Promise<{ available: boolean; reason?: string; message?: string }>;
  /** undefined when no ticket of that name exists. */
  getTicket(name: string): Promise<SupportTicket | undefined>;
  /** Looks up service and classification, picks a free name, creates the ticket and waits for the operation. */
  createTicket(request: SupportTicketRequest): Promise<SupportTicket>;
}

export interface SupportGatewayOptions {
  tuning?: Partial<GatewayTuning>;
  /** Longest wait for the create operation; the ticket may still appear later, the user is told to check. */
  maxWaitMs?: number;
  /** Longest wait for a ticket another request is still creating under the same name. */
  pendingWaitMs?: number;
}

const MAX_NAME_ATTEMPTS = 5;
const DEFAULT_MAX_WAIT_MS = 120_000;
const DEFAULT_PENDING_WAIT_MS = 15_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function createSupportGateway(target: AzureTarget, options: SupportGatewayOptions = {}): SupportGateway {
  const tuning: GatewayTuning = { ...DEFAULT_TUNING, ...options.tuning };
  const { client, subscriptionId } = supportClient(target, tuning);
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const pendingWaitMs = options.pendingWaitMs ?? DEFAULT_PENDING_WAIT_MS;

  async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw toSupportError(e, what);
    }
  }

  async function findService(product: SupportProduct): Promise<SupportService> {
    const wanted = SUPPORT_SERVICES[product];
    const services = await call('list support services', async () => {
      const all: SupportService[] = [];
      for await (const s of client.services.list()) all.push(asNamed(s));
      return all;
    });
    const found =
      services.find((s) => s.displayName.toLowerCase() === wanted.displayName.toLowerCase()) ??
      services.find((s) => s.name.toLowerCase() === wanted.serviceGuid);
    if (!found) {
      throw new SupportError('service-not-found', `The support service "${wanted.displayName}" is not offered to this subscription.`);
    }
    return found;
  }

  async function findProblemClassification(service: SupportService, product: SupportProduct): Promise<SupportService> {
    const all = await call(`list problem classifications of ${service.displayName}`, async () => {
      const list: SupportService[] = [];
      for await (const pc of client.problemClassifications.list(service.name)) list.push(asNamed(pc));
      return list;
    });
    const imageBuilder = all.filter((pc) => CLASSIFICATION_MARKER.test(pc.displayName));
    // Several topics can mention Image Builder (errors, management); the guide sends people to "Azure Features".
    const chosen =
      imageBuilder.find((pc) => pc.displayName.toLowerCase().startsWith(SUPPORT_TOPIC.toLowerCase())) ??
      imageBuilder.find((pc) => pc.name.toLowerCase() === SUPPORT_SERVICES[product].topicGuid) ??
      imageBuilder[0];
    if (!chosen) {
      throw new SupportError(
        'classification-not-found',
        `"${service.displayName}" has no problem classification for ${SUPPORT_SUBTOPIC}; open the case in the portal instead.`,
      );
    }
    return chosen;
  }

  async function isNameAvailable(name: string) {
    const out = await call('check the ticket name', () =>
      client.supportTickets.checkNameAvailability({ name, type: 'Microsoft.Support/supportTickets' }),
    );
    return { available: out.nameAvailable === true, reason: out.reason, message: out.message };
  }

  async function getTicket(name: string): Promise<SupportTicket | undefined> {
    try {
      return asTicket(await client.supportTickets.get(name), false);
    } catch (e) {
      const err = toSupportError(e, 'read the ticket');
      if (err.status === 404) return undefined;
      throw err;
    }
  }

  /**
   * A ticket being created holds its name before it can be read. Two people confirming at once therefore see the
   * name taken but no ticket yet; waiting a little for it beats opening a duplicate case.
   */
  async function settledTicket(name: string): Promise<SupportTicket | undefined> {
    const deadline = Date.now() + pendingWaitMs;
    for (;;) {
      const ticket = await getTicket(name);
      if (ticket || Date.now() >= deadline) return ticket;
      await sleep(tuning.pollIntervalMs);
    }
  }

  /**
   * A name is free, or taken by the same case (a second click, a retry after a lost answer): then that ticket is
   * the answer. Taken by anything else moves on to the next suffix.
   */
  async function claimName(request: SupportTicketRequest): Promise<{ name: string } | { existing: SupportTicket }> {
    for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
      const name = attempt === 1 ? request.name : `${request.name}-${attempt}`;
      const check = await isNameAvailable(name);
      if (check.available) return { name };
      if (/invalid/i.test(check.reason ?? '')) {
        throw new SupportError('invalid-request', `The ticket name ${name} is not accepted: ${check.message ?? check.reason}`);
      }
      const existing = await settledTicket(name);
      if (existing && existing.title === request.title) return { existing: { ...existing, reused: true } };
    }
    throw new SupportError('name-unavailable', `The ticket names ${request.name} to ${request.name}-${MAX_NAME_ATTEMPTS} are all taken.`);
  }

  async function createTicket(request: SupportTicketRequest): Promise<SupportTicket> {
    const service = await findService(request.product);
    const classification = await findProblemClassification(service, request.product);
    const claim = await claimName(request);
    if ('existing' in claim) return claim.existing;
    const details: SupportTicketDetails = {
      title: request.title,
      description: request.description,
      serviceId: service.id,
      problemClassificationId: classification.id,
      severity: request.severity,
      contactDetails: request.contact,
      problemStartTime: request.problemStartTime,
      technicalTicketDetails: request.resourceId ? { resourceId: request.resourceId } : undefined,
    };
    try {
      const created = await client.supportTickets.beginCreateAndWait(claim.name, details, {
        updateIntervalInMs: tuning.pollIntervalMs,
        abortSignal: AbortSignal.timeout(maxWaitMs),
      });
      return asTicket(created, false);
    } catch (e) {
      const err = toSupportError(e, 'create the support ticket');
      // Two people confirming at once both see the name free; the loser gets the winner's ticket.
      if (err.status === 409) {
        const existing = await settledTicket(claim.name);
        if (existing && existing.title === request.title) return { ...existing, reused: true };
      }
      throw err;
    }
  }

  return { kind: target.kind, subscriptionId, findService, findProblemClassification, isNameAvailable, getTicket, createTicket };
}

function asNamed(x: { id?: string; name?: string; displayName?: string }): SupportService {
  return { id: x.id ?? '', name: x.name ?? '', displayName: x.displayName ?? '' };
}

function asTicket(t: SupportTicketDetails, reused: boolean): SupportTicket {
  if (!t.supportTicketId || !t.name || !t.id) {
    throw new SupportError('unexpected', 'The support service answered without a ticket number.');
  }
  return {
    ticketNumber: t.supportTicketId,
    name: t.name,
    id: t.id,
    title: t.title ?? '',
    severity: t.severity ?? '',
    status: t.status,
    serviceDisplayName: t.serviceDisplayName,
    problemClassificationDisplayName: t.problemClassificationDisplayName,
    createdDate: t.createdDate?.toISOString(),
    reused,
  };
}

/** Gateway error codes → support error codes; forbidden names the role because that is what an admin must grant. */
export function toSupportError(e: unknown, what: string): SupportError {
  if (e instanceof SupportError) return e;
  if (e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError')) {
    return new SupportError('creation-failed', `Azure did not finish the ticket in time (${what}); check the portal before trying again.`);
  }
  const g = toGatewayError(e, { surface: 'arm', resource: 'Microsoft.Support' });
  const details: SupportErrorDetails = {
    status: g.status,
    serviceCode: g.serviceCode,
    serviceMessage: g.serviceMessage,
    retryAfterSeconds: g.retryAfterSeconds,
  };
  switch (g.code) {
    case 'forbidden':
      return new SupportError('forbidden', `Not allowed to ${what}: the bot's identity needs the ${SUPPORT_ROLE} role on the subscription.`, {
        ...details,
        requiredRole: SUPPORT_ROLE,
      });
    case 'unauthenticated':
    case 'throttled':
    case 'service-unavailable':
    case 'misconfigured':
      return new SupportError(g.code, `Could not ${what}: ${g.message}`, details);
    case 'operation-failed':
      return new SupportError('creation-failed', `Azure accepted the ticket but the operation failed: ${g.message}`, details);
    case 'conflict':
    case 'invalid-name':
      return new SupportError('invalid-request', `Could not ${what}: ${g.message}`, details);
    default:
      if (g.status === 400) return new SupportError('invalid-request', `Azure refused the request to ${what}: ${g.message}`, details);
      return new SupportError('unexpected', `Could not ${what}: ${g.message}`, details);
  }
}

// ------------------------------------------------------------------------------------------------ the client

/**
 * One place builds the support client, for Azure and for the sandbox, following clients.ts: production uses the
 * managed identity (or DefaultAzureCredential) over HTTPS; the sandbox is plain HTTP on loopback, so there (and only
 * there) the bearer policy comes out and insecure connections are allowed.
 */
function supportClient(target: AzureTarget, t: GatewayTuning): { client: MicrosoftSupport; subscriptionId: string } {
  if (target.kind === 'azure') {
    const subscriptionId = checkSubscriptionId(target.subscriptionId);
    const client = new MicrosoftSupport(azureCredential(target.clientId), subscriptionId, { retryOptions: { maxRetries: t.maxRetries } });
    tunePipeline(client.pipeline, t);
    return { client, subscriptionId };
  }
  if (!target.armEndpoint || !target.subscriptionId) {
    throw new SupportError('misconfigured', 'The sandbox target needs armEndpoint and subscriptionId for support tickets.');
  }
  const subscriptionId = checkSubscriptionId(target.subscriptionId);
  const endpoint = loopbackBase(target.armEndpoint, 'armEndpoint');
  // The same recipe as the other sandbox clients (clients.ts): plain HTTP on loopback, bearer policy removed.
  const client = new MicrosoftSupport(noTokenCredential, subscriptionId, {
    endpoint,
    $host: endpoint,
    allowInsecureConnection: true,
    retryOptions: { maxRetries: t.maxRetries },
  });
  makeSandboxPipeline(client.pipeline);
  tunePipeline(client.pipeline, t);
  return { client, subscriptionId };
}
