import type { AzureTarget } from '../config';
import { createBuildLogGateway, type BuildLogGateway } from './build-logs';
import { createAzureClients, type GatewayTuning } from './clients';
import { createGalleryGateway, type GalleryGateway } from './galleries';
import { createStagingGateway, type StagingGateway } from './staging';
import { checkResourceGroupName } from './names';
import { createTemplateGateway, type TemplateGateway } from './templates';

export interface AzureGateways {
  kind: AzureTarget['kind'];
  templates: TemplateGateway;
  logs: BuildLogGateway;
  /** Gallery image versions: replication state per region. */
  galleries: GalleryGateway;
  /** The staging group: an isolated build's container, resources kept by errorHandling abort, their cleanup. */
  staging: StagingGateway;
  subscriptionId: string;
  /** The configured scope; empty means the whole subscription. */
  resourceGroups: string[];
}

export interface AzureGatewayOptions {
  /** Retry and polling knobs (tests shorten the back-off; production keeps the defaults). */
  tuning?: Partial<GatewayTuning>;
}

/**
 * Builds both gateways for a target. It never starts a sandbox: for an embedded one the caller starts it and passes
 * `{ ...target, armEndpoint: sb.armEndpoint, blobEndpoint: sb.blobEndpoint, storageKey: sb.storageKey, … }`.
 */
export function createAzureGateways(target: AzureTarget, options: AzureGatewayOptions = {}): AzureGateways {
  const resourceGroups = target.resourceGroups.map(checkResourceGroupName);
  const clients = createAzureClients(target, options.tuning);
  return {
    kind: target.kind,
    templates: createTemplateGateway(clients.imageBuilder, resourceGroups, clients.tuning),
    logs: createBuildLogGateway(clients),
    galleries: createGalleryGateway(clients),
    staging: createStagingGateway(clients),
    subscriptionId: clients.subscriptionId,
    resourceGroups,
  };
}

export { AzureGatewayError, isAzureGatewayError, redactSecrets, LOG_READER_ROLE, AZURE_ERROR_CODES } from './errors';
export type { AzureErrorCode, AzureErrorDetails } from './errors';
export { DEFAULT_TUNING } from './clients';
export type { GatewayTuning } from './clients';
export { IMAGE_BUILDER_ACTIONS, STORAGE_ACTIONS, STORAGE_DATA_ACTIONS, GATEWAY_PERMISSIONS, REQUIRED_ACTION } from './permissions';
export {
  checkTemplateName,
  checkRunOutputName,
  checkResourceGroupName,
  isValidTemplateName,
  parseResourceGroupId,
  templateCoordinates,
} from './names';
export type { TemplateCoordinates } from './names';
export { locateFromStatus, parseLogLocation, validationLogOf, LOG_CONTAINER } from './build-logs';
export type { BuildLogGateway, LogLocation, LogSource, LogTail, LogStream, LocatableTemplate } from './build-logs';
export { nearMisses } from './templates';
export { parseGalleryVersionId } from './galleries';
export type { GalleryGateway, GalleryVersionReplication, RegionReplication, GalleryVersionCoordinates } from './galleries';
export { BUILD_CONTAINER_PREFIX } from './staging';
export type { StagingGateway, StagingResource, CleanupResult } from './staging';
export type { TriggerInfo, ResizeRequest, ImageTemplateUpdateParameters } from './templates';
export type { TemplateGateway, FindResult, FindScope, RunAccepted, DeleteProgress, TemplateList, ImageTemplate, RunOutput } from './templates';
