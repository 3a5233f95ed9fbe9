import type { GalleryImageVersion } from '@azure/arm-compute';
import type { AzureClients } from './clients';
import { AzureGatewayError, toGatewayError } from './errors';
import { checkResourceGroupName, checkSubscriptionId } from './names';
import { REQUIRED_ACTION } from './permissions';

// Gallery replication lives on the image version, not on the template (platform-2026.md): after a distribution
// failure or a replication timeout, this says which regions failed, which are still replicating, and whether
// replication finished after Image Builder stopped waiting.

export type AggregatedReplicationState = 'Unknown' | 'InProgress' | 'Completed' | 'Failed';

export interface RegionReplication {
  region: string;
  /** Unknown | Replicating | Completed | Failed (KnownReplicationState). */
  state: string;
  details?: string;
  progress?: number;
}

export interface GalleryVersionReplication {
  versionId: string;
  aggregatedState: AggregatedReplicationState | string;
  regions: RegionReplication[];
  failedRegions: string[];
  replicatingRegions: string[];
}

export interface GalleryVersionCoordinates {
  subscriptionId: string;
  resourceGroup: string;
  gallery: string;
  image: string;
  version: string;
}

const GALLERY_NAME = /^[A-Za-z0-9._-]{1,80}$/;
const VERSION_NAME = /^\d+\.\d+\.\d+$/;
const VERSION_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/galleries\/([^/]+)\/images\/([^/]+)\/versions\/([^/]+)$/i;

/** The run output of a gallery distribution names the version it made (SPEC examples/ListRunOutputs.json). */
export function parseGalleryVersionId(id: string): GalleryVersionCoordinates {
  const m = VERSION_ID.exec(id.trim());
  if (!m || !GALLERY_NAME.test(m[3]) || !GALLERY_NAME.test(m[4]) || !VERSION_NAME.test(m[5])) {
    throw new AzureGatewayError(
      'invalid-name',
      `Not a gallery image version id: expected /subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.Compute/galleries/{gallery}/images/{image}/versions/{major.minor.patch}.`,
      { invalidValue: id },
    );
  }
  return { subscriptionId: checkSubscriptionId(m[1]), resourceGroup: checkResourceGroupName(m[2]), gallery: m[3], image: m[4], version: m[5] };
}

export interface GalleryGateway {
  replication(versionId: string): Promise<GalleryVersionReplication>;
}

export function createGalleryGateway(clients: AzureClients): GalleryGateway {
  async function replication(versionId: string): Promise<GalleryVersionReplication> {
    const c = parseGalleryVersionId(versionId);
    let version: GalleryImageVersion;
    try {
      version = await clients
        .compute(c.subscriptionId)
        .galleryImageVersions.get(c.resourceGroup, c.gallery, c.image, c.version, { expand: 'ReplicationStatus' });
    } catch (e) {
      throw toGatewayError(e, { surface: 'arm', resource: versionId, requiredAction: REQUIRED_ACTION.readGalleryVersion });
    }
    const status = version.replicationStatus;
    const regions: RegionReplication[] = (status?.summary ?? []).map((r) => ({
      region: r.region ?? '',
      state: r.state ?? 'Unknown',
      details: r.details,
      progress: r.progress,
    }));
    return {
      versionId,
      aggregatedState: status?.aggregatedState ?? 'Unknown',
      regions,
      failedRegions: regions.filter((r) => r.state === 'Failed').map((r) => r.region),
      replicatingRegions: regions.filter((r) => r.state === 'Replicating').map((r) => r.region),
    };
  }
  return { replication };
}
