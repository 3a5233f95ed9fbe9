// The Azure RBAC actions the gateways use, and nothing more. The Bicep custom role (infra/) is tested against these
// lists, so a new SDK call here must add its action here first; the role then follows.

const TEMPLATES = 'Microsoft.VirtualMachineImages/imageTemplates';

/** Control-plane actions on image templates. */
export const IMAGE_BUILDER_ACTIONS = [
  `${TEMPLATES}/read`,
  `${TEMPLATES}/write`,
  `${TEMPLATES}/delete`,
  `${TEMPLATES}/run/action`,
  `${TEMPLATES}/cancel/action`,
  `${TEMPLATES}/runOutputs/read`,
] as const;
export type ImageBuilderAction = (typeof IMAGE_BUILDER_ACTIONS)[number];

/** Control-plane action to find the storage account in a template's staging resource group. */
export const STORAGE_ACTIONS = ['Microsoft.Storage/storageAccounts/read'] as const;

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
  listStorageAccounts: STORAGE_ACTIONS[0],
  readLog: STORAGE_DATA_ACTIONS[0],
} as const satisfies Record<string, string>;
export type GatewayOperation = keyof typeof REQUIRED_ACTION;
