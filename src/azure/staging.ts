import type { AzureClients } from './clients';
import { AzureGatewayError, toGatewayError } from './errors';
import { parseResourceGroupId } from './names';
import { REQUIRED_ACTION, STAGING_CLEANUP_TYPES } from './permissions';

// What a build left in its staging resource group: the container instance of an isolated build while it runs,
// and the build VM and its network after errorHandling `abort`. Read and cleaned up through plain ARM calls.

/** Microsoft.Resources api-version for listing a group's resources. */
const RESOURCES_API = '2021-04-01';
/** Delete api-versions per type; any version the provider supports works for a delete. */
const DELETE_API: Record<(typeof STAGING_CLEANUP_TYPES)[number], string> = {
  'Microsoft.Compute/virtualMachines': '2024-07-01',
  'Microsoft.Compute/disks': '2024-03-02',
  'Microsoft.Network/networkInterfaces': '2024-05-01',
  'Microsoft.Network/publicIPAddresses': '2024-05-01',
  'Microsoft.Network/networkSecurityGroups': '2024-05-01',
  'Microsoft.Network/virtualNetworks': '2024-05-01',
  'Microsoft.ContainerInstance/containerGroups': '2023-05-01',
  'Microsoft.KeyVault/vaults': '2023-07-01',
};
const MAX_RESOURCES = 500;
const MAX_POLLS = 120;
export const BUILD_CONTAINER_PREFIX = 'vmimagebuilder-build-container-';

export interface StagingResource {
  id: string;
  name: string;
  type: string;
}

export interface StagingTemplate {
  id?: string;
  exactStagingResourceGroup?: string;
  lastRunStatus?: { runState?: string };
}

export interface CleanupResult {
  stagingResourceGroup: string;
  deleted: StagingResource[];
  /** Resources left on purpose: the storage account with the logs, and types the bot does not delete. */
  kept: StagingResource[];
}

export interface StagingGateway {
  /** Everything in the template's staging group (empty before the first build). */
  resources(template: StagingTemplate): Promise<StagingResource[]>;
  /** The container instance of a running isolated build, whose output is the live log; undefined when none. */
  buildContainer(template: StagingTemplate): Promise<StagingResource | undefined>;
  /** What cleanupKept would delete now (and what it would leave), without deleting anything. */
  keptResources(template: StagingTemplate): Promise<Omit<CleanupResult, 'deleted'> & { deletable: StagingResource[] }>;
  /**
   * Deletes what an aborted build kept (VM, disks, network, container, key vault), in dependency order. With
   * `only`, just the listed ids among them (what the caller saved before asking): nothing new is ever deleted.
   */
  cleanupKept(template: StagingTemplate, options?: { onDeleted?: (r: StagingResource) => void; only?: readonly string[] }): Promise<CleanupResult>;
}

function stagingGroup(template: StagingTemplate): { subscriptionId: string; resourceGroup: string } {
  if (!template.exactStagingResourceGroup) {
    throw new AzureGatewayError('log-location-unknown', 'The template has no staging resource group yet.', { resource: template.id });
  }
  return parseResourceGroupId(template.exactStagingResourceGroup);
}

const CLEANUP_ORDER = STAGING_CLEANUP_TYPES.map((t) => t.toLowerCase());
/** A deletable type's place in the dependency order (VM before its disks and NIC…); -1 for types never deleted. */
const rank = (r: StagingResource) => CLEANUP_ORDER.indexOf(r.type.toLowerCase());

/** Only real resource ids inside the staging group are ever deleted, whatever the listing says. */
function insideGroup(id: string, subscriptionId: string, resourceGroup: string): boolean {
  const prefix = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/`.toLowerCase();
  return id.toLowerCase().startsWith(prefix) && !id.includes('..') && !/[?#\s]/.test(id);
}

export function createStagingGateway(clients: AzureClients): StagingGateway {
  async function resources(template: StagingTemplate): Promise<StagingResource[]> {
    const { subscriptionId, resourceGroup } = stagingGroup(template);
    const resource = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
    const out: StagingResource[] = [];
    try {
      let next: string | undefined = `${resource}/resources`;
      while (next && out.length < MAX_RESOURCES) {
        const page = await clients.armRequest('GET', next, RESOURCES_API);
        const body = (page.body ?? {}) as { value?: { id?: string; name?: string; type?: string }[]; nextLink?: string };
        for (const r of body.value ?? []) {
          if (r.id && r.name && r.type) out.push({ id: r.id, name: r.name, type: r.type });
        }
        next = body.nextLink;
      }
    } catch (e) {
      throw toGatewayError(e, { surface: 'arm', resource, requiredAction: REQUIRED_ACTION.listStagingResources });
    }
    return out;
  }

  async function buildContainer(template: StagingTemplate): Promise<StagingResource | undefined> {
    return (await resources(template)).find(
      (r) => r.type.toLowerCase() === 'microsoft.containerinstance/containergroups' && r.name.startsWith(BUILD_CONTAINER_PREFIX),
    );
  }

  async function remove(r: StagingResource, apiVersion: string): Promise<void> {
    const first = await clients.armRequest('DELETE', r.id, apiVersion);
    let location = first.status === 202 ? first.headers.get('location') ?? first.headers.get('azure-asyncoperation') : undefined;
    for (let i = 0; location && i < MAX_POLLS; i++) {
      const wait = Number(first.headers.get('retry-after') ?? '') * 1000;
      await new Promise((resolve) => setTimeout(resolve, Number.isFinite(wait) && wait > 0 ? Math.min(wait, 10_000) : clients.tuning.pollIntervalMs));
      const poll = await clients.armRequest('GET', location);
      if (poll.status !== 202) return;
      location = poll.headers.get('location') ?? location;
    }
  }

  async function keptResources(template: StagingTemplate) {
    const { subscriptionId, resourceGroup } = stagingGroup(template);
    const state = template.lastRunStatus?.runState;
    // Deleting the VM of a build that is still running would break that build, whatever ARM allows.
    if (state === 'Running' || state === 'Canceling') {
      throw new AzureGatewayError('operation-not-allowed', 'A build of this template is running; its staging resources are in use.', {
        resource: template.id,
        stagingResourceGroup: resourceGroup,
      });
    }
    const all = await resources(template);
    const deletable = all.filter((r) => rank(r) >= 0 && insideGroup(r.id, subscriptionId, resourceGroup)).sort((a, b) => rank(a) - rank(b));
    return { stagingResourceGroup: resourceGroup, deletable, kept: all.filter((r) => !deletable.includes(r)) };
  }

  async function cleanupKept(template: StagingTemplate, options: { onDeleted?: (r: StagingResource) => void; only?: readonly string[] } = {}): Promise<CleanupResult> {
    const plan = await keptResources(template);
    const { stagingResourceGroup: resourceGroup } = plan;
    const only = options.only ? new Set(options.only.map((id) => id.toLowerCase())) : undefined;
    const deletable = only ? plan.deletable.filter((r) => only.has(r.id.toLowerCase())) : plan.deletable;
    const kept = [...plan.kept, ...plan.deletable.filter((r) => !deletable.includes(r))];
    const deleted: StagingResource[] = [];
    for (const r of deletable) {
      try {
        await remove(r, DELETE_API[STAGING_CLEANUP_TYPES[rank(r)]]);
      } catch (e) {
        const error = toGatewayError(e, { surface: 'arm', resource: r.id, requiredAction: `${STAGING_CLEANUP_TYPES[rank(r)]}/delete` });
        // Already gone is what we wanted.
        if (error.code !== 'not-found') throw error;
      }
      deleted.push(r);
      options.onDeleted?.(r);
    }
    return { stagingResourceGroup: resourceGroup, deleted, kept };
  }

  return { resources, buildContainer, keptResources, cleanupKept };
}
