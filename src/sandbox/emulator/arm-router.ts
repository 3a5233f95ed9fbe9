import { IMAGE_BUILDER_API_VERSIONS, SANDBOX_LOCATION } from '../constants';
import { newGuid } from '../ids';
import type { LogSpec } from '../log';
import { requireAnyApiVersion, requireApiVersion, type Provider } from './api-version';
import { ArmError, armErrors } from './arm-errors';
import type { ArmContext, ArmRequest, Reply } from './arm-types';
import { operationBody, operationUrls, type OperationRecord } from './operations';
import { pageOf } from './paging';
import { storageAccountJson } from './storage-accounts';
import { isSupportPath, routeSupport } from './support-routes';
import { galleryVersionJson, runOutputJson, stagingResourcesJson, templateJson, triggerJson } from './template-json';
import type { TemplateRecord } from './template-record';
import { NAME_PATTERN } from './template-store';
import { applyUpdate, parseUpdate } from './template-update';
import { validateTemplateBody, type ValidTemplateBody } from './template-validation';

export type { ArmContext, ArmRequest, Reply } from './arm-types';

// Maps ARM paths to handlers. Provider and collection segments match case-insensitively, as ARM does.

const IB = 'providers/Microsoft\\.VirtualMachineImages';
const SEG = '([^/]+)';
const ROUTES: { re: RegExp; name: RouteName }[] = [
  { re: new RegExp(`^/subscriptions/${SEG}/${IB}/imageTemplates/?$`, 'i'), name: 'listSubscription' },
  { re: new RegExp(`^/subscriptions/${SEG}/resourceGroups/${SEG}/${IB}/imageTemplates/?$`, 'i'), name: 'listGroup' },
  { re: new RegExp(`^/subscriptions/${SEG}/resourceGroups/${SEG}/${IB}/imageTemplates/${SEG}$`, 'i'), name: 'template' },
  { re: new RegExp(`^/subscriptions/${SEG}/resourceGroups/${SEG}/${IB}/imageTemplates/${SEG}/(run|cancel)$`, 'i'), name: 'action' },
  { re: new RegExp(`^/subscriptions/${SEG}/resourceGroups/${SEG}/${IB}/imageTemplates/${SEG}/runOutputs/?$`, 'i'), name: 'runOutputs' },
  { re: new RegExp(`^/subscriptions/${SEG}/resourceGroups/${SEG}/${IB}/imageTemplates/${SEG}/runOutputs/${SEG}$`, 'i'), name: 'runOutput' },
  { re: new RegExp(`^/subscriptions/${SEG}/resourceGroups/${SEG}/${IB}/imageTemplates/${SEG}/triggers/?$`, 'i'), name: 'triggers' },
  { re: new RegExp(`^/subscriptions/${SEG}/resourceGroups/${SEG}/${IB}/imageTemplates/${SEG}/triggers/${SEG}$`, 'i'), name: 'trigger' },
  {
    re: new RegExp(`^/subscriptions/${SEG}/resourceGroups/${SEG}/providers/Microsoft\\.Compute/galleries/${SEG}/images/${SEG}/versions/${SEG}$`, 'i'),
    name: 'galleryVersion',
  },
  { re: new RegExp(`^/subscriptions/${SEG}/resourceGroups/${SEG}/resources/?$`, 'i'), name: 'groupResources' },
  {
    re: new RegExp(`^/subscriptions/${SEG}/resourceGroups/${SEG}/providers/(Microsoft\\.(?:Compute|Network|ContainerInstance|KeyVault)/[A-Za-z]+)/${SEG}$`, 'i'),
    name: 'stagingResource',
  },
  { re: new RegExp(`^/subscriptions/${SEG}/${IB}/locations/${SEG}/operations/${SEG}$`, 'i'), name: 'operation' },
  { re: new RegExp(`^/subscriptions/${SEG}/${IB}/locations/${SEG}/operationResults/${SEG}$`, 'i'), name: 'operationResult' },
  { re: new RegExp(`^/subscriptions/${SEG}/resourceGroups/${SEG}/providers/Microsoft\\.Storage/storageAccounts/?$`, 'i'), name: 'storageAccounts' },
];
type RouteName =
  | 'listSubscription' | 'listGroup' | 'template' | 'action' | 'runOutputs' | 'runOutput' | 'triggers'
  | 'operation' | 'operationResult' | 'storageAccounts' | 'trigger' | 'galleryVersion' | 'groupResources' | 'stagingResource';

const PROVIDER_OF: Partial<Record<RouteName, Provider>> = {
  storageAccounts: 'storage',
  galleryVersion: 'compute',
  groupResources: 'resources',
};

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

export async function routeArm(ctx: ArmContext, req: ArmRequest): Promise<Reply> {
  const path = req.url.pathname;
  // Microsoft.Support has tenant-level paths and its own api-version; it is routed on its own.
  if (isSupportPath(path)) return routeSupport(ctx, req);
  const match = ROUTES.map((r) => ({ name: r.name, m: r.re.exec(path) })).find((r) => r.m !== null);
  if (!match || !match.m) throw armErrors.noRoute(req.method, path);
  const args = match.m.slice(1).map(decode);
  // Deletes of staging resources take each provider's own api-version; the sandbox only asks that one is sent.
  const apiVersion =
    match.name === 'stagingResource' ? requireAnyApiVersion(req.url) : requireApiVersion(req.url, PROVIDER_OF[match.name] ?? 'imageBuilder');
  if (args[0].toLowerCase() !== ctx.subscriptionId.toLowerCase()) throw armErrors.subscriptionNotFound(args[0]);
  const h = new Handlers(ctx, req, apiVersion);
  switch (match.name) {
    case 'listSubscription':
      allow(req, 'GET');
      return h.list();
    case 'listGroup':
      allow(req, 'GET');
      return h.list(h.group(args[1]));
    case 'template':
      return h.template(h.group(args[1]), h.name(args[2]));
    case 'action':
      allow(req, 'POST');
      return args[3].toLowerCase() === 'run' ? h.run(h.existing(args[1], args[2])) : h.cancel(h.existing(args[1], args[2]));
    case 'runOutputs':
      allow(req, 'GET');
      return h.runOutputs(h.existing(args[1], args[2]));
    case 'runOutput':
      allow(req, 'GET');
      return h.runOutput(h.existing(args[1], args[2]), args[3]);
    case 'triggers':
      allow(req, 'GET');
      return h.triggers(h.existing(args[1], args[2]));
    case 'trigger':
      allow(req, 'GET');
      return h.trigger(h.existing(args[1], args[2]), args[3]);
    case 'galleryVersion':
      allow(req, 'GET');
      return h.galleryVersion(args[1], args[2], args[3], args[4]);
    case 'groupResources':
      allow(req, 'GET');
      return h.groupResources(args[1]);
    case 'stagingResource':
      allow(req, 'DELETE');
      return h.deleteStagingResource(args[1], args[2], args[3]);
    case 'operation':
      allow(req, 'GET');
      return h.operation(args[1], args[2]);
    case 'operationResult':
      allow(req, 'GET');
      return h.operationResult(args[1], args[2]);
    case 'storageAccounts':
      allow(req, 'GET');
      return h.storageAccounts(args[1]);
  }
}

class Handlers {
  constructor(
    private readonly ctx: ArmContext,
    private readonly req: ArmRequest,
    private readonly apiVersion: string,
  ) {}

  group(rg: string): string {
    if (!this.ctx.store.hasGroup(rg)) throw armErrors.resourceGroupNotFound(rg);
    return rg;
  }

  name(name: string): string {
    if (!NAME_PATTERN.test(name)) throw armErrors.invalidName('image template', name);
    return name;
  }

  existing(rg: string, name: string): TemplateRecord {
    const t = this.ctx.store.get(this.group(rg), this.name(name));
    if (!t) throw armErrors.templateNotFound(name, rg);
    return t;
  }

  list(rg?: string): Reply {
    const items = this.ctx.store.list(rg).map((t) => templateJson(t, this.ctx.subscriptionId));
    return { status: 200, body: pageOf(items, this.req.url, this.req.base) };
  }

  async template(rg: string, name: string): Promise<Reply> {
    const t = this.ctx.store.get(rg, name);
    switch (this.req.method) {
      case 'GET':
        if (!t) throw armErrors.templateNotFound(name, rg);
        return this.ok(t);
      case 'PUT':
        if (t) throw armErrors.updateNotSupported();
        return this.create(rg, name);
      case 'PATCH':
        if (!t) throw armErrors.templateNotFound(name, rg);
        return this.patch(t);
      case 'DELETE':
        return t ? this.remove(t) : { status: 204 };
      default:
        throw armErrors.methodNotAllowed(this.req.method);
    }
  }

  private ok(t: TemplateRecord, status = 200): Reply {
    return { status, body: templateJson(t, this.ctx.subscriptionId) };
  }

  private lroHeaders(op: OperationRecord, withLocation = true): Record<string, string> {
    const urls = operationUrls(this.req.base, this.ctx.subscriptionId, SANDBOX_LOCATION, op, this.apiVersion);
    return {
      'azure-asyncoperation': urls.asyncOperation,
      ...(withLocation ? { location: urls.location } : {}),
      'retry-after': String(Math.max(1, Math.ceil(this.ctx.stepMs / 1000))),
    };
  }

  private async create(rg: string, name: string): Promise<Reply> {
    const body = validateTemplateBody(await this.req.body());
    const record = createdRecord(body, rg, name, this.ctx.store.takeAccount(), 'Creating');
    this.ctx.store.add(record);
    await this.ctx.logs.prepare(record.storageAccount);
    const op = this.ctx.operations.create();
    this.ctx.runs.later(this.ctx.stepMs, () => {
      if (record.provisioningState === 'Creating') record.provisioningState = 'Succeeded';
      this.ctx.operations.finish(op, 'Succeeded');
      // autoRun (API 2024-02-01): the first build starts by itself once the template exists.
      const autoRun = record.properties.autoRun as { state?: string } | undefined;
      if (autoRun?.state === 'Enabled' && record.provisioningState === 'Succeeded') this.ctx.runs.start(record);
    });
    return { status: 201, body: templateJson(record, this.ctx.subscriptionId), headers: this.lroHeaders(op, false) };
  }

  /**
   * PATCH is a long-running operation (202 + Azure-AsyncOperation, SPEC). The template stays readable the whole
   * time, provisioningState Updating, and shows the new values once the operation has succeeded.
   */
  private async patch(t: TemplateRecord): Promise<Reply> {
    const update = parseUpdate(t, await this.req.body());
    if (this.ctx.runs.isActive(t)) throw armErrors.notAllowed(`Image template '${t.name}' cannot be updated while a build is in progress.`);
    if (t.provisioningState !== 'Succeeded' && t.provisioningState !== 'Failed') {
      throw armErrors.notAllowed(`Image template '${t.name}' cannot be updated while its provisioning state is '${t.provisioningState}'.`);
    }
    const before = t.provisioningState;
    t.provisioningState = 'Updating';
    const op = this.ctx.operations.create();
    this.ctx.runs.later(this.ctx.stepMs, () => {
      applyUpdate(t, update);
      // A template whose submission failed stays failed: PATCH changes settings, it does not provision again.
      t.provisioningState = before;
      this.ctx.operations.finish(op, 'Succeeded');
    });
    return { status: 202, headers: this.lroHeaders(op) };
  }

  private remove(t: TemplateRecord): Reply {
    if (this.ctx.runs.isActive(t)) {
      throw armErrors.notAllowed(`Image template '${t.name}' has a build in progress; cancel it before deleting the template.`);
    }
    if (t.provisioningState === 'Deleting') throw armErrors.notAllowed(`Image template '${t.name}' is already being deleted.`);
    t.provisioningState = 'Deleting';
    const op = this.ctx.operations.create();
    this.ctx.runs.later(this.ctx.stepMs, async () => {
      try {
        await this.ctx.logs.removeAll(t.storageAccount);
        this.ctx.store.remove(t);
        this.ctx.operations.finish(op, 'Succeeded');
      } catch (e) {
        t.provisioningState = 'Failed';
        this.ctx.operations.finish(op, 'Failed', { code: 'InternalOperationError', message: `Deleting the staging resources failed: ${(e as Error).message}` });
      }
    });
    const urls = operationUrls(this.req.base, this.ctx.subscriptionId, SANDBOX_LOCATION, op, this.apiVersion);
    return { status: 202, headers: { location: urls.location, 'retry-after': String(Math.max(1, Math.ceil(this.ctx.stepMs / 1000))) } };
  }

  run(t: TemplateRecord): Reply {
    const op = this.ctx.runs.start(t);
    return { status: 202, headers: this.lroHeaders(op) };
  }

  cancel(t: TemplateRecord): Reply {
    const op = this.ctx.runs.cancel(t);
    return { status: 202, headers: this.lroHeaders(op) };
  }

  runOutputs(t: TemplateRecord): Reply {
    const items = t.runOutputs.map((o) => runOutputJson(t, o, this.ctx.subscriptionId));
    return { status: 200, body: pageOf(items, this.req.url, this.req.base) };
  }

  runOutput(t: TemplateRecord, name: string): Reply {
    if (!NAME_PATTERN.test(name)) throw armErrors.invalidName('run output', name);
    const o = t.runOutputs.find((r) => r.name.toLowerCase() === name.toLowerCase());
    if (!o) throw armErrors.runOutputNotFound(name, t.name);
    return { status: 200, body: runOutputJson(t, o, this.ctx.subscriptionId) };
  }

  private findOperation(id: string): OperationRecord {
    const op = this.ctx.operations.get(id);
    if (!op) throw armErrors.operationNotFound(id);
    return op;
  }

  operation(location: string, id: string): Reply {
    const op = this.findOperation(id);
    const headers: Record<string, string> = op.status === 'InProgress' ? { 'retry-after': String(Math.max(1, Math.ceil(this.ctx.stepMs / 1000))) } : {};
    return { status: 200, body: operationBody(this.ctx.subscriptionId, location, op), headers };
  }

  /** Location polling: 202 while in progress, 204 when done; a failed operation answers with its error. */
  operationResult(location: string, id: string): Reply {
    const op = this.findOperation(id);
    if (op.status === 'InProgress') {
      const urls = operationUrls(this.req.base, this.ctx.subscriptionId, location, op, this.apiVersion);
      return { status: 202, headers: { location: urls.location, 'retry-after': String(Math.max(1, Math.ceil(this.ctx.stepMs / 1000))) } };
    }
    if (op.status === 'Failed' && op.error) throw new ArmError(400, op.error.code, op.error.message);
    return { status: 204 };
  }

  triggers(t: TemplateRecord): Reply {
    const items = (t.triggers ?? []).map((tr) => triggerJson(t, tr, this.ctx.subscriptionId));
    return { status: 200, body: pageOf(items, this.req.url, this.req.base) };
  }

  trigger(t: TemplateRecord, name: string): Reply {
    if (!NAME_PATTERN.test(name)) throw armErrors.invalidName('trigger', name);
    const tr = (t.triggers ?? []).find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!tr) throw armErrors.triggerNotFound(name, t.name);
    return { status: 200, body: triggerJson(t, tr, this.ctx.subscriptionId) };
  }

  galleryVersion(rg: string, gallery: string, image: string, version: string): Reply {
    const id = `/subscriptions/${this.ctx.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Compute/galleries/${gallery}/images/${image}/versions/${version}`;
    const found = this.ctx.store.galleryVersion(id);
    if (!found) throw armErrors.galleryVersionNotFound(gallery, image, version, rg);
    const expand = (this.req.url.searchParams.get('$expand') ?? '').toLowerCase() === 'replicationstatus';
    return { status: 200, body: galleryVersionJson(found, expand) };
  }

  groupResources(rg: string): Reply {
    const owner = this.ctx.store.stagingOwner(rg);
    if (owner) return { status: 200, body: { value: stagingResourcesJson(owner, this.ctx.subscriptionId) } };
    if (this.ctx.store.hasGroup(rg)) return { status: 200, body: { value: [] } };
    throw armErrors.resourceGroupNotFound(rg);
  }

  /**
   * DELETE of a resource in a staging group: 202 + Location, gone after one step. Providers differ in their LRO
   * headers; the sandbox serves the Location style every ARM delete may use.
   */
  deleteStagingResource(rg: string, type: string, name: string): Reply {
    const owner = this.ctx.store.stagingOwner(rg);
    if (!owner) {
      if (this.ctx.store.hasGroup(rg)) throw armErrors.resourceNotFound(type, name, rg);
      throw armErrors.resourceGroupNotFound(rg);
    }
    const list = owner.stagingResources ?? [];
    const found = list.find((r) => r.type.toLowerCase() === type.toLowerCase() && r.name.toLowerCase() === name.toLowerCase());
    if (!found) throw armErrors.resourceNotFound(type, name, rg);
    if (this.ctx.runs.isActive(owner)) {
      throw armErrors.notAllowed(`The resource '${name}' is in use by a running image build of '${owner.name}'.`);
    }
    const op = this.ctx.operations.create();
    this.ctx.runs.later(this.ctx.stepMs, () => {
      owner.stagingResources = (owner.stagingResources ?? []).filter((r) => r !== found);
      this.ctx.operations.finish(op, 'Succeeded');
    });
    // The sandbox serves every operation from its Image Builder operations route, so the poll URL carries that
    // provider's api-version rather than the one the delete was sent with.
    const urls = operationUrls(this.req.base, this.ctx.subscriptionId, SANDBOX_LOCATION, op, IMAGE_BUILDER_API_VERSIONS[0]);
    return { status: 202, headers: { location: urls.location, 'retry-after': '1' } };
  }

  storageAccounts(rg: string): Reply {
    const owner = this.ctx.store.stagingOwner(rg);
    if (owner) return { status: 200, body: { value: [storageAccountJson(owner, this.ctx.subscriptionId, this.ctx.blobEndpoint())] } };
    if (this.ctx.store.hasGroup(rg)) return { status: 200, body: { value: [] } };
    throw armErrors.resourceGroupNotFound(rg);
  }
}

const CUSTOMIZER_TO_PROVISIONER: Record<string, LogSpec['customizers'][number]['type']> = {
  Shell: 'shell',
  PowerShell: 'powershell',
  File: 'file',
  WindowsRestart: 'windows-restart',
  WindowsUpdate: 'windows-update',
};

/** A template created through PUT succeeds; its log walks through the customizers it declares. */
/** A template as a PUT creates it: the validated body, a fresh staging group, and a plan whose builds succeed. */
export function createdRecord(body: ValidTemplateBody, rg: string, name: string, storageAccount: string, provisioningState: TemplateRecord['provisioningState']): TemplateRecord {
  const now = new Date().toISOString();
  const customize = Array.isArray(body.properties.customize) ? (body.properties.customize as Record<string, unknown>[]) : [];
  const os = /windows/i.test(JSON.stringify(body.properties.source)) ? 'windows' : 'linux';
  return {
    name,
    resourceGroup: rg,
    location: body.location,
    tags: body.tags,
    identity: body.identity,
    properties: body.properties,
    provisioningState,
    stagingGroup: `IT_${rg}_${name}_${newGuid()}`,
    storageAccount,
    logFolders: [],
    runOutputs: [],
    plan: { outcome: 'succeed', log: successLogFor(os, customize) },
    createdAt: now,
    lastModifiedAt: now,
  };
}

export function successLogFor(os: 'linux' | 'windows', customize: Record<string, unknown>[]): LogSpec {
  return {
    os,
    customizers: customize.map((c) => ({
      type: CUSTOMIZER_TO_PROVISIONER[String(c.type)] ?? 'shell',
      name: typeof c.name === 'string' ? c.name : undefined,
    })),
  };
}
