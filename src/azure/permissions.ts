// The Azure RBAC actions the gateways use, and nothing more. The Bicep custom role (infra/) is tested against these
// lists, so a new SDK call here must add its action here first; the role then follows.

const TEMPLATES = 'Microsoft.VirtualMachineImages/imageTemplates';

/** Resource types an aborted build leaves in its staging group, each deleted with `<type>/delete`. */
export const STAGING_CLEANUP_TYPES = [
  'Microsoft.Compute/virtualMachines',
  'Microsoft.Compute/disks',
  'Microsoft.Network/networkInterfaces',
  'Microsoft.Network/publicIPAddresses',
  'Microsoft.Network/networkSecurityGroups',
  'Microsoft.Network/virtualNetworks',
  'Microsoft.ContainerInstance/containerGroups',
  'Microsoft.KeyVault/vaults',
] as const;
const STAGING_CLEANUP_ACTIONS = [
  'Microsoft.Compute/virtualMachines/delete',
  'Microsoft.Compute/disks/delete',
  'Microsoft.Network/networkInterfaces/delete',
  'Microsoft.Network/publicIPAddresses/delete',
  'Microsoft.Network/networkSecurityGroups/delete',
  'Microsoft.Network/virtualNetworks/delete',
  'Microsoft.ContainerInstance/containerGroups/delete',
  'Microsoft.KeyVault/vaults/delete',
] as const;

/** Control-plane actions on image templates. */
export const IMAGE_BUILDER_ACTIONS = [
  `${TEMPLATES}/read`,
  `${TEMPLATES}/write`,
  `${TEMPLATES}/delete`,
  `${TEMPLATES}/run/action`,
  `${TEMPLATES}/cancel/action`,
  `${TEMPLATES}/runOutputs/read`,
  `${TEMPLATES}/triggers/read`,
] as const;
export type ImageBuilderAction = (typeof IMAGE_BUILDER_ACTIONS)[number];

/**
 * The Log Locator role's actions: find the storage account in a template's staging resource group, and (since
 * issue 13) list and clean up what a build left there, and read the replication of the gallery version it made.
 * They share the role because they share its scope (the IT_* staging groups, or the listed groups); a separate
 * cleanup role would keep the deletes apart from read-only lookups (see the report on issue 13).
 */
export const STORAGE_ACTIONS = [
  'Microsoft.Storage/storageAccounts/read',
  // Replication state of the image version a gallery distribution produced.
  'Microsoft.Compute/galleries/images/versions/read',
  // What a build left in its staging group (kept after errorHandling `abort`; the container of an isolated build).
  'Microsoft.Resources/subscriptions/resourceGroups/resources/read',
  // Cleaning up what an `abort` kept; the storage account with the logs is never deleted.
  ...STAGING_CLEANUP_ACTIONS,
] as const;

/** Data action to list `packerlogs` and read customization.log (what Storage Blob Data Reader grants). */
export const STORAGE_DATA_ACTIONS = ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'] as const;

/** Everything together, in the shape of a role definition's permissions block. */
export const GATEWAY_PERMISSIONS = {
  actions: [...IMAGE_BUILDER_ACTIONS, ...STORAGE_ACTIONS],
  dataActions: [...STORAGE_DATA_ACTIONS],
} as const;

/** What each gateway call needs; a forbidden error carries it even when ARM does not name the action. */
export const REQUIRED_ACTION = {
  getTemplate: `${TEMPLATES}/read`,
  listTemplates: `${TEMPLATES}/read`,
  createTemplate: `${TEMPLATES}/write`,
  deleteTemplate: `${TEMPLATES}/delete`,
  runTemplate: `${TEMPLATES}/run/action`,
  cancelRun: `${TEMPLATES}/cancel/action`,
  listRunOutputs: `${TEMPLATES}/runOutputs/read`,
  updateTemplate: `${TEMPLATES}/write`,
  readTriggers: `${TEMPLATES}/triggers/read`,
  readGalleryVersion: 'Microsoft.Compute/galleries/images/versions/read',
  listStagingResources: 'Microsoft.Resources/subscriptions/resourceGroups/resources/read',
  deleteStagingResource: 'Microsoft.Compute/virtualMachines/delete',
  listStorageAccounts: STORAGE_ACTIONS[0],
  readLog: STORAGE_DATA_ACTIONS[0],
} as const satisfies Record<string, string>;
export type GatewayOperation = keyof typeof REQUIRED_ACTION;
