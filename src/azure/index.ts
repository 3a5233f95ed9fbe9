import type { AzureTarget } from '../config';
import { createBuildLogGateway, type BuildLogGateway } from './build-logs';
import { createAzureClients, type GatewayTuning } from './clients';
import { checkResourceGroupName } from './names';
import { createTemplateGateway, type TemplateGateway } from './templates';

export interface AzureGateways {
  kind: AzureTarget['kind'];
  templates: TemplateGateway;
  logs: BuildLogGateway;
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
export { locateFromStatus, parseLogLocation, LOG_CONTAINER } from './build-logs';
export type { BuildLogGateway, LogLocation, LogSource, LogTail, LogStream, LocatableTemplate } from './build-logs';
export { nearMisses } from './templates';
export type { TemplateGateway, FindResult, FindScope, RunAccepted, DeleteProgress, TemplateList, ImageTemplate, RunOutput } from './templates';
