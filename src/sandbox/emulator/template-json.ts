import { RUN_OUTPUT_TYPE, TEMPLATE_TYPE } from '../constants';
import { stableGuid } from '../ids';
import type { GalleryVersionRecord, RunOutputRecord, StagingResourceRecord, TemplateRecord, TriggerRecord } from './template-record';

// ARM JSON for templates and run outputs: `properties` nested (the SDKs flatten it, the wire does not), dates as
// ISO strings, read-only fields filled in the way the service fills them.

export function templateId(subscriptionId: string, rg: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/${TEMPLATE_TYPE}/${name}`;
}

function identityOut(identity: Record<string, unknown>): Record<string, unknown> {
  const uai = identity.userAssignedIdentities;
  if (!uai || typeof uai !== 'object') return identity;
  const filled: Record<string, unknown> = {};
  for (const id of Object.keys(uai as Record<string, unknown>)) {
    filled[id] = { principalId: stableGuid(`principal:${id.toLowerCase()}`), clientId: stableGuid(`client:${id.toLowerCase()}`) };
  }
  return { ...identity, userAssignedIdentities: filled };
}

export function templateJson(t: TemplateRecord, subscriptionId: string): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    ...t.properties,
    provisioningState: t.provisioningState,
    exactStagingResourceGroup: `/subscriptions/${subscriptionId}/resourceGroups/${t.stagingGroup}`,
  };
  if (properties.buildTimeoutInMinutes === undefined) properties.buildTimeoutInMinutes = 0;
  if (t.provisioningError) properties.provisioningError = t.provisioningError;
  if (t.lastRunStatus) properties.lastRunStatus = { ...t.lastRunStatus };
  return {
    id: templateId(subscriptionId, t.resourceGroup, t.name),
    name: t.name,
    type: TEMPLATE_TYPE,
    location: t.location,
    tags: { ...t.tags },
    identity: identityOut(t.identity),
    systemData: {
      createdBy: 'sandbox-user@contoso.example',
      createdByType: 'User',
      createdAt: t.createdAt,
      lastModifiedBy: 'sandbox-user@contoso.example',
      lastModifiedByType: 'User',
      lastModifiedAt: t.lastModifiedAt,
    },
    properties,
  };
}

export function runOutputJson(t: TemplateRecord, o: RunOutputRecord, subscriptionId: string): Record<string, unknown> {
  return {
    id: `${templateId(subscriptionId, t.resourceGroup, t.name)}/runOutputs/${o.name}`,
    name: o.name,
    type: RUN_OUTPUT_TYPE,
    properties: {
      ...(o.artifactId ? { artifactId: o.artifactId } : {}),
      ...(o.artifactUri ? { artifactUri: o.artifactUri } : {}),
      provisioningState: o.provisioningState,
    },
  };
}

/** What a successful run leaves behind for each distribute target, shaped like SPEC examples/ListRunOutputs.json. */
export function runOutputsFor(
  t: TemplateRecord,
  subscriptionId: string,
  runId: string,
  failed: readonly { runOutputName: string }[] = [],
): RunOutputRecord[] {
  const distribute = Array.isArray(t.properties.distribute) ? (t.properties.distribute as Record<string, unknown>[]) : [];
  return distribute.map((d) => {
    const name = String(d.runOutputName ?? 'output');
    // A target that failed to publish keeps its run output, Failed and without an artifact (error-codes.md: each
    // run output has its own provisioningState).
    if (failed.some((f) => f.runOutputName === name)) return { name, provisioningState: 'Failed' as const };
    switch (d.type) {
      case 'ManagedImage':
        return { name, artifactId: String(d.imageId), provisioningState: 'Succeeded' as const };
      case 'SharedImage': {
        const version = `1.0.${(parseInt(runId.slice(0, 6), 16) % 9000) + 1000}`;
        return { name, artifactId: `${String(d.galleryImageId)}/versions/${version}`, provisioningState: 'Succeeded' as const };
      }
      case 'VHD':
        return {
          name,
          artifactUri: typeof d.uri === 'string' && d.uri ? d.uri : `https://${t.storageAccount}.blob.core.windows.net/vhds/${t.name}-${runId.slice(0, 8)}.vhd`,
          provisioningState: 'Succeeded' as const,
        };
      default:
        return { name, artifactId: `/subscriptions/${subscriptionId}/resourceGroups/${t.resourceGroup}/providers/Microsoft.Compute/images/${name}`, provisioningState: 'Succeeded' as const };
    }
  });
}

/** Image versions a gallery distribution produced: Completed in every target region, or Failed where it failed. */
export function galleryVersionsFor(t: TemplateRecord, outputs: RunOutputRecord[], failed: readonly { runOutputName: string; reason: string }[]): GalleryVersionRecord[] {
  const distribute = Array.isArray(t.properties.distribute) ? (t.properties.distribute as Record<string, unknown>[]) : [];
  const out: GalleryVersionRecord[] = [];
  for (const d of distribute) {
    if (d.type !== 'SharedImage' || failed.some((f) => f.runOutputName === d.runOutputName)) continue;
    const artifact = outputs.find((o) => o.name === d.runOutputName)?.artifactId;
    if (!artifact) continue;
    const regions = Array.isArray(d.targetRegions) ? (d.targetRegions as { name: string }[]).map((r) => r.name) : [t.location];
    out.push({
      id: artifact,
      location: t.location,
      aggregatedState: 'Completed',
      summary: regions.map((region) => ({ region, state: 'Completed' as const, details: '', progress: 100 })),
    });
  }
  return out;
}

export function triggerJson(t: TemplateRecord, tr: TriggerRecord, subscriptionId: string): Record<string, unknown> {
  return {
    id: `${templateId(subscriptionId, t.resourceGroup, t.name)}/triggers/${tr.name}`,
    name: tr.name,
    type: 'Microsoft.VirtualMachineImages/imageTemplates/triggers',
    properties: { kind: tr.kind, status: { ...tr.status }, provisioningState: tr.provisioningState },
  };
}

/** GET …/versions/{v}: replicationStatus only with $expand=ReplicationStatus, as Compute answers. */
export function galleryVersionJson(v: GalleryVersionRecord, expand: boolean): Record<string, unknown> {
  const name = v.id.split('/').pop();
  return {
    id: v.id,
    name,
    type: 'Microsoft.Compute/galleries/images/versions',
    location: v.location,
    properties: {
      provisioningState: v.aggregatedState === 'Failed' ? 'Failed' : 'Succeeded',
      publishingProfile: { targetRegions: v.summary.map((r) => ({ name: r.region, regionalReplicaCount: 1, storageAccountType: 'Standard_LRS' })) },
      ...(expand ? { replicationStatus: { aggregatedState: v.aggregatedState, summary: v.summary.map((r) => ({ ...r })) } } : {}),
    },
  };
}

/** GET /resourceGroups/{staging}/resources: the log storage account plus what the build holds or kept. */
export function stagingResourcesJson(t: TemplateRecord, subscriptionId: string): Record<string, unknown>[] {
  const group = `/subscriptions/${subscriptionId}/resourceGroups/${t.stagingGroup}/providers`;
  const tags = (t.properties.managedResourceTags as Record<string, string> | undefined) ?? {};
  const all: StagingResourceRecord[] = [{ type: 'Microsoft.Storage/storageAccounts', name: t.storageAccount }, ...(t.stagingResources ?? [])];
  return all.map((r) => ({ id: `${group}/${r.type}/${r.name}`, name: r.name, type: r.type, location: t.location, tags: { ...tags } }));
}
