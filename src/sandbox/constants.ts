// Fixed identities of the sandbox world. Fixed rather than random so that demos, docs and tests can name them.

export const SANDBOX_SUBSCRIPTION_ID = '00000000-0000-4000-8000-00000000a1b0';
export const SANDBOX_TENANT_ID = '00000000-0000-4000-8000-0000000071e1';
export const MAIN_RESOURCE_GROUP = 'aib-sandbox';
/** Holds a template named like one in the main group, so name resolution has an ambiguous case to report. */
export const DEV_RESOURCE_GROUP = 'aib-sandbox-dev';
export const SANDBOX_LOCATION = 'westeurope';
export const LOG_CONTAINER = 'packerlogs';
export const LOG_BLOB_NAME = 'customization.log';
export const VALIDATION_LOG_BLOB_NAME = 'validation.log';
/** Microsoft.Compute versions @azure/arm-compute 24.x (2025-03-03) or an older one may send for galleries. */
export const COMPUTE_API_VERSIONS: readonly string[] = ['2025-03-03', '2024-03-03', '2023-07-03', '2022-08-03', '2022-03-03'];
/** Microsoft.Resources versions for listing a group's resources; any of them lists the same shape. */
export const RESOURCES_API_VERSIONS: readonly string[] = ['2025-04-01', '2024-11-01', '2024-03-01', '2023-07-01', '2022-09-01', '2021-04-01'];

/**
 * The one Shared Key every sandbox storage account uses. It protects nothing (loopback only, in-memory data);
 * Azurite just needs a base64 value to sign with.
 */
export const SANDBOX_STORAGE_KEY = Buffer.from('aib-chatops sandbox shared key: loopback only, protects nothing.').toString('base64');

/** Azurite account for bot state and the audit trail; readable on purpose, unlike the random staging accounts. */
export const STATE_ACCOUNT = 'aibchatopsstate';

export const DEFAULT_STEP_MS = 20000;

/** Image Builder API versions: the newest from the 2025-10-01 TypeSpec plus the older stable folders. */
export const IMAGE_BUILDER_API_VERSIONS: readonly string[] = [
  '2025-10-01',
  '2024-02-01',
  '2023-07-01',
  '2022-07-01',
  '2022-02-14',
  '2021-10-01',
  '2020-02-14',
];

/** Microsoft.Storage versions a recent @azure/arm-storage (19.x defaults to 2025-06-01) or older one may send. */
export const STORAGE_API_VERSIONS: readonly string[] = [
  '2025-06-01',
  '2025-01-01',
  '2024-01-01',
  '2023-05-01',
  '2023-04-01',
  '2023-01-01',
  '2022-09-01',
  '2022-05-01',
  '2021-09-01',
  '2021-08-01',
  '2021-06-01',
  '2021-04-01',
  '2021-02-01',
  '2021-01-01',
];

export const TEMPLATE_TYPE = 'Microsoft.VirtualMachineImages/imageTemplates';
export const RUN_OUTPUT_TYPE = 'Microsoft.VirtualMachineImages/imageTemplates/runOutputs';
