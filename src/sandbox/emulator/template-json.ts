import { RUN_OUTPUT_TYPE, TEMPLATE_TYPE } from '../constants';
import { stableGuid } from '../ids';
import type { RunOutputRecord, TemplateRecord } from './template-record';

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
export function runOutputsFor(t: TemplateRecord, subscriptionId: string, runId: string): RunOutputRecord[] {
  const distribute = Array.isArray(t.properties.distribute) ? (t.properties.distribute as Record<string, unknown>[]) : [];
  return distribute.map((d) => {
    const name = String(d.runOutputName ?? 'output');
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
