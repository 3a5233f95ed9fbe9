import { MemoryStorage, TestAdapter, type Activity, type CloudAdapter } from 'botbuilder';
import { AzureGatewayError, nearMisses, type AzureGateways, type ImageTemplate, type TemplateGateway } from '../../../src/azure';
import type { ActionClaim, AuditLog, AuditRecord, RecordStore } from '../../../src/azure/records';
import { AibBot } from '../../../src/bot/bot';
import { actionsDisabled } from '../../../src/bot/handlers/disabled';
import { parsePolicy, type Policy } from '../../../src/bot/policy';
import { RateLimiter } from '../../../src/bot/rate-limit';
import { createRouter } from '../../../src/bot/routes';
import type { Router } from '../../../src/bot/router';
import type { BotServices } from '../../../src/bot/services';
import { BotState } from '../../../src/bot/state';
import { silentLogger } from '../../../src/logger';
import { TemplateLocator } from '../../../src/usecases/resolve-template';
import { ScanPool } from '../../../src/usecases/scan-pool';

// The bot on botbuilder's TestAdapter with in-memory gateways and stores: the same router, guards and handlers as
// in production, without a sandbox, Azurite or HTTP. Fast enough for property tests over every verb.

export const SUB = '00000000-0000-4000-8000-00000000a1b0';
export const RG = 'rg-images';
export const idOf = (name: string, rg = RG, sub = SUB) => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.VirtualMachineImages/imageTemplates/${name}`;
export const ALICE = { id: '29:alice', name: 'Alice Example', aadObjectId: '6a1f0c3e-1b2d-4c5e-8f90-a1b2c3d4e5f6' };
export const BOB = { id: '29:bob', name: 'Bob Example', aadObjectId: '0b0b0b0b-1b2d-4c5e-8f90-a1b2c3d4e5f6' };

export function failedTemplate(name: string, rg = RG): ImageTemplate {
  return {
    id: idOf(name, rg),
    name,
    location: 'westeurope',
    provisioningState: 'Succeeded',
    buildTimeoutInMinutes: 60,
    vmProfile: { vmSize: 'Standard_D2ds_v4' },
    identity: { type: 'UserAssigned', userAssignedIdentities: { [`/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/builder`]: { principalId: '11111111-2222-4333-8444-555555555555' } } },
    source: { type: 'PlatformImage', publisher: 'Canonical', offer: 'ubuntu', sku: '22_04-lts', version: 'latest' },
    distribute: [{ type: 'ManagedImage', imageId: `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.Compute/images/${name}`, location: 'westeurope', runOutputName: `${name}-mi` }],
    lastRunStatus: { runState: 'Failed', runSubState: 'Customizing', message: 'Build failed: customizer exited with 1', startTime: new Date('2026-11-20T10:00:00Z'), endTime: new Date('2026-11-20T10:30:00Z') },
  } as unknown as ImageTemplate;
}

export function fakeTemplates(initial: ImageTemplate[]): TemplateGateway & { calls: string[]; store: Map<string, ImageTemplate> } {
  const store = new Map(initial.map((t) => [t.id!.toLowerCase(), t]));
  const calls: string[] = [];
  const key = (rg: string, name: string) => idOf(name, rg).toLowerCase();
  const get = async (rg: string, name: string) => {
    const t = store.get(key(rg, name));
    if (!t) throw new AzureGatewayError('not-found', `${rg}/${name} not found`, { resource: `${rg}/${name}` });
    const copy = structuredClone(t);
    // A build started here ends at the next read, so a followed run always finishes.
    if (t.lastRunStatus?.runState === 'Running') (t as { lastRunStatus?: unknown }).lastRunStatus = { ...t.lastRunStatus, runState: 'Succeeded', runSubState: undefined, endTime: new Date() };
    return copy;
  };
  const all = () => [...store.values()].map((t) => structuredClone(t));
  return {
    calls,
    store,
    get,
    async *pages() {
      calls.push('list');
      yield all();
    },
    async list(options = {}) {
      calls.push('list');
      return { templates: all().filter((t) => !options.resourceGroup || t.id!.toLowerCase().includes(`/resourcegroups/${options.resourceGroup.toLowerCase()}/`)), truncated: false };
    },
    async findByName(name, scope = {}) {
      calls.push('list');
      const everything = all();
      scope.onListed?.(everything);
      const hits = everything.filter((t) => t.name!.toLowerCase() === name.toLowerCase());
      if (hits.length === 1) return { kind: 'found', template: hits[0], resourceGroup: RG };
      if (hits.length > 1) return { kind: 'ambiguous', candidates: hits };
      return { kind: 'not-found', nearMisses: nearMisses(name, everything.map((t) => t.name!)) };
    },
    async run(rg, name) {
      calls.push(`run ${name}`);
      const t = store.get(key(rg, name));
      if (!t) throw new AzureGatewayError('not-found', 'gone');
      (t as { lastRunStatus?: unknown }).lastRunStatus = { runState: 'Running', runSubState: 'Queued', startTime: new Date() };
      return { resourceGroup: rg, name, status: 'running', acceptedAt: new Date() };
    },
    async cancel(rg, name) {
      calls.push(`cancel ${name}`);
      const t = store.get(key(rg, name))!;
      (t as { lastRunStatus?: unknown }).lastRunStatus = { ...t.lastRunStatus, runState: 'Canceled' };
      return { resourceGroup: rg, name, status: 'running', acceptedAt: new Date() };
    },
    async delete(rg, name) {
      calls.push(`delete ${name}`);
      store.delete(key(rg, name));
    },
    async create(rg, name, template) {
      calls.push(`create ${name}`);
      const created = { ...template, id: idOf(name, rg), name, provisioningState: 'Succeeded' } as ImageTemplate;
      store.set(key(rg, name), created);
      return created;
    },
    async runOutputs() {
      return [];
    },
    async update(rg, name, parameters) {
      calls.push(`update ${name}`);
      const t = store.get(key(rg, name));
      if (!t) throw new AzureGatewayError('not-found', 'gone');
      if (parameters.tags) t.tags = parameters.tags;
      if (parameters.properties?.vmProfile) t.vmProfile = parameters.properties.vmProfile;
      if (parameters.properties?.distribute) t.distribute = parameters.properties.distribute;
      return structuredClone(t);
    },
    async resizeVm(rg, name, request) {
      const t = await get(rg, name);
      return this.update(rg, name, { properties: { vmProfile: { ...(t.vmProfile ?? {}), vmSize: request.vmSize } } });
    },
    async triggers() {
      return [];
    },
    async trigger(_rg, _name, triggerName) {
      throw new AzureGatewayError('not-found', `trigger ${triggerName} not found`);
    },
  };
}

export function memoryRecords(): RecordStore & { claims: Map<string, ActionClaim> } {
  const claims = new Map<string, ActionClaim>();
  return {
    claims,
    async claim(c) {
      const existing = claims.get(c.key);
      if (existing) return { claimed: false, existing };
      claims.set(c.key, c);
      return { claimed: true };
    },
    async update(c) {
      claims.set(c.key, c);
    },
    async get(key) {
      return claims.get(key);
    },
  };
}

export function memoryAudit(): AuditLog & { records: AuditRecord[]; broken: boolean } {
  const log = {
    records: [] as AuditRecord[],
    broken: false,
    async append(r: AuditRecord) {
      if (log.broken) throw new AzureGatewayError('unexpected', 'audit store down');
      log.records.push(r);
    },
    async *list() {
      yield* log.records;
    },
  };
  return log as unknown as AuditLog & { records: AuditRecord[]; broken: boolean };
}

export interface FakeBot {
  templates: ReturnType<typeof fakeTemplates>;
  audit: ReturnType<typeof memoryAudit>;
  services: BotServices;
  router: Router;
  /** Sends a message; returns the cards the bot sent. */
  say(text: string, from?: typeof ALICE, conversationId?: string): Promise<any[]>;
  /** Clicks a card button; returns the invoke response body (a card's content, or a message text). */
  click(verb: string, data: unknown, from?: typeof ALICE, conversationId?: string): Promise<{ type: string; value: any }>;
  /** Clicks a card button; returns the invoke response body and the activities the turn sent besides it. */
  press(verb: string, data: unknown, from?: typeof ALICE, conversationId?: string): Promise<{ body: { type: string; value: any }; sent: Partial<Activity>[] }>;
  /**
   * What the person sees after a click: the card that replaced the clicked one, or else the first card the turn
   * posted as a new reply (`inReply`: the clicked card stayed as it was).
   */
  answer(verb: string, data: unknown, from?: typeof ALICE, conversationId?: string): Promise<{ value: any; inReply: boolean }>;
  /** Sends any activity (defaults filled in); returns everything the bot sent, typing indicators included. */
  send(activity: Partial<Activity>, from?: typeof ALICE, conversationId?: string): Promise<Partial<Activity>[]>;
  /** Cards updated in place (after the click was answered). */
  updates: Activity[];
  idle(): Promise<void>;
}

export interface FakeBotOptions {
  templates?: ImageTemplate[];
  /** Gateways to use instead of the two-template fake (e.g. seededAzure(): the sandbox's scenarios in memory). */
  gateways?: AzureGateways;
  policy?: Policy;
  perMinute?: number;
  maxPasteChars?: number;
  tailBytes?: number;
  maxBytes?: number;
  /** Minimum time between two updates of one card while a build runs (default 0: every update goes at once). */
  cardUpdateMs?: number;
  /** How long an answer may take before the typing indicator (default 500 ms, as in the app). */
  typingDelayMs?: number;
  /** False: the router as it is without an audit trail, every action verb refused (default true). */
  actionsEnabled?: boolean;
  /**
   * Teams' member roster, as the connector answers GET /conversations/{id}/members/{userId}. Without it the turn has
   * no connector client, so TeamsInfo fails the way it does off Teams; with it the real TeamsInfo path runs.
   */
  roster?: (conversationId: string, userId: string) => Promise<unknown>;
  /** Called with each activity before the channel takes it; a rejection is the channel refusing that send. */
  beforeSend?: (activity: Partial<Activity>) => Promise<void>;
}

export function fakeBot(options: FakeBotOptions = {}): FakeBot {
  const templates = fakeTemplates(options.templates ?? [failedTemplate('win2022-base'), failedTemplate('ubuntu2204-api')]);
  const gateways: AzureGateways = options.gateways ?? {
    kind: 'sandbox',
    templates,
    logs: {
      locate: async () => {
        throw new AzureGatewayError('log-location-unknown', 'no log in the fake');
      },
      tail: async () => {
        throw new AzureGatewayError('log-location-unknown', 'no log in the fake');
      },
      stream: async () => {
        throw new AzureGatewayError('log-location-unknown', 'no log in the fake');
      },
      size: async () => 0,
      locateValidation: async () => undefined,
    },
    galleries: {
      replication: async (versionId) => {
        throw new AzureGatewayError('not-found', `${versionId} not found in the fake`);
      },
    },
    staging: {
      resources: async () => [],
      buildContainer: async () => undefined,
      keptResources: async () => ({ stagingResourceGroup: 'IT_fake', deletable: [], kept: [] }),
      cleanupKept: async () => ({ stagingResourceGroup: 'IT_fake', deleted: [], kept: [] }),
    },
    subscriptionId: SUB,
    resourceGroups: [],
  };
  const audit = memoryAudit();
  const updates: Activity[] = [];
  const background = new Set<Promise<unknown>>();
  // Updates after a turn ended go through the adapter's proactive path: collected here.
  const proactive = {
    continueConversationAsync: async (_appId: string, _ref: unknown, logic: (ctx: unknown) => Promise<void>) =>
      logic({ updateActivity: async (a: Activity) => void updates.push(a) }),
  } as unknown as CloudAdapter;
  const services: BotServices = {
    gateways,
    policy: options.policy ?? parsePolicy({ version: 1, default: 'all' }, 'test policy'),
    locator: new TemplateLocator(gateways),
    scans: new ScanPool(2),
    limiter: new RateLimiter(options.perMinute ?? 10_000),
    logger: silentLogger,
    actions: { state: new BotState(new MemoryStorage()), claims: memoryRecords(), audit },
    support: { mode: 'portal' },
    delivery: { adapter: proactive, appId: '' },
    limits: { tailBytes: options.tailBytes ?? 1024, maxBytes: options.maxBytes ?? 4096, maxPasteChars: options.maxPasteChars ?? 20_000, confirmationTtlMs: 15 * 60_000, pollMs: 1, cardUpdateMs: options.cardUpdateMs ?? 0, typingDelayMs: options.typingDelayMs ?? 500 },
    track: (work) => {
      background.add(work);
      void work.finally(() => background.delete(work));
    },
  };
  const router = createRouter({ actionsEnabled: options.actionsEnabled ?? true, disabled: actionsDisabled });
  const bot = new AibBot(services, router);
  let seq = 0;
  const run = async (activity: Partial<Activity>) => {
    const adapter = new TestAdapter(async (ctx) => bot.run(ctx));
    adapter.updateActivity = async (_ctx, a) => void updates.push(a as Activity);
    if (options.beforeSend) {
      const beforeSend = options.beforeSend;
      const channelSend = adapter.sendActivities.bind(adapter);
      adapter.sendActivities = async (ctx, activities) => {
        for (const a of activities) await beforeSend(a);
        return channelSend(ctx, activities);
      };
    }
    if (options.roster) {
      const roster = options.roster;
      // TeamsInfo asks the adapter for a connector client when it can make one: the roster is the only call it makes here.
      Object.assign(adapter, { createConnectorClient: () => ({ conversations: { getConversationMember: roster } }) });
    }
    const sent: Partial<Activity>[] = [];
    await adapter.processActivity({ channelId: 'msteams', locale: 'en-US', recipient: { id: '28:bot', name: 'bot' }, id: `in-${++seq}`, ...activity } as Activity);
    let next: Partial<Activity> | undefined;
    while ((next = adapter.activeQueue.shift())) sent.push(next);
    return sent;
  };
  const press: FakeBot['press'] = async (verb, data, from = ALICE, conversationId) => {
    const sent = await run({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }, from, conversation: conversation(conversationId) as never, replyToId: 'card-1' });
    const response = sent.find((a) => a.type === 'invokeResponse');
    return { body: (response?.value as { body: { type: string; value: any } }).body, sent: sent.filter((a) => a !== response) };
  };
  const conversation = (id?: string) => ({ id: id ?? `a:${++seq}`, conversationType: 'personal', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' });
  return {
    templates,
    audit,
    services,
    router,
    updates,
    async say(text, from = ALICE, conversationId) {
      const sent = await run({ type: 'message', text, from, conversation: conversation(conversationId) as never });
      return sent.filter((a) => a.attachments?.length).map((a) => a.attachments![0].content);
    },
    send: (activity, from = ALICE, conversationId) => run({ from, conversation: conversation(conversationId) as never, ...activity }),
    async click(verb, data, from = ALICE, conversationId) {
      return (await press(verb, data, from, conversationId)).body;
    },
    press,
    async answer(verb, data, from = ALICE, conversationId) {
      const { body, sent } = await press(verb, data, from, conversationId);
      const reply = sent.find((a) => a.type === 'message' && a.attachments?.length);
      if (body.type === 'application/vnd.microsoft.card.adaptive' || !reply) return { value: body.value, inReply: false };
      return { value: reply.attachments![0].content, inReply: true };
    },
    idle: async () => {
      while (background.size) await Promise.allSettled([...background]);
    },
  };
}
