import { MAIN_RESOURCE_GROUP, SANDBOX_LOCATION, SANDBOX_SUBSCRIPTION_ID } from '../constants';

// Building blocks for scenario templates, so each scenario file reads as the template a team would submit.

const SUB = SANDBOX_SUBSCRIPTION_ID;
const RG = MAIN_RESOURCE_GROUP;

export const BUILDER_IDENTITY_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aib-builder`;
export const GALLERY_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/galleries/contosoImages`;

export function builderIdentity(id = BUILDER_IDENTITY_ID): Record<string, unknown> {
  return { type: 'UserAssigned', userAssignedIdentities: { [id]: {} } };
}

export const sources = {
  ubuntu2204: { type: 'PlatformImage', publisher: 'Canonical', offer: '0001-com-ubuntu-server-jammy', sku: '22_04-lts-gen2', version: 'latest' },
  ubuntu2404: { type: 'PlatformImage', publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' },
  rhel9: { type: 'PlatformImage', publisher: 'RedHat', offer: 'RHEL', sku: '9-lvm-gen2', version: 'latest' },
  win2022: { type: 'PlatformImage', publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2022-datacenter-azure-edition', version: 'latest' },
  win2019: { type: 'PlatformImage', publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2019-Datacenter', version: 'latest' },
  win2016: { type: 'PlatformImage', publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2016-Datacenter', version: '14393.6897.240404' },
  win11avd: { type: 'PlatformImage', publisher: 'MicrosoftWindowsDesktop', offer: 'windows-11', sku: 'win11-23h2-avd', version: 'latest' },
  managedImage: (name: string) => ({ type: 'ManagedImage', imageId: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/images/${name}` }),
  galleryVersion: (image: string, version: string) => ({
    type: 'SharedImageVersion',
    imageVersionId: `${GALLERY_ID}/images/${image}/versions/${version}`,
  }),
};

export function galleryTarget(image: string, runOutputName: string, regions: string[] = [SANDBOX_LOCATION, 'northeurope']): Record<string, unknown> {
  return {
    type: 'SharedImage',
    galleryImageId: `${GALLERY_ID}/images/${image}`,
    runOutputName,
    artifactTags: { source: 'azureVmImageBuilder', baseosimg: image },
    targetRegions: regions.map((name) => ({ name, replicaCount: 1, storageAccountType: 'Standard_LRS' })),
  };
}

export function managedImageTarget(imageName: string, runOutputName: string): Record<string, unknown> {
  return {
    type: 'ManagedImage',
    imageId: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/images/${imageName}`,
    location: SANDBOX_LOCATION,
    runOutputName,
    artifactTags: { source: 'azureVmImageBuilder' },
  };
}

export const customizers = {
  shell: (name: string, inline: string[]) => ({ type: 'Shell', name, inline }),
  shellScript: (name: string, scriptUri: string) => ({ type: 'Shell', name, scriptUri }),
  powershell: (name: string, inline: string[], runElevated = true) => ({ type: 'PowerShell', name, inline, runElevated }),
  powershellScript: (name: string, scriptUri: string) => ({ type: 'PowerShell', name, scriptUri, runElevated: true }),
  file: (name: string, sourceUri: string, destination: string) => ({ type: 'File', name, sourceUri, destination }),
  restart: (name = 'restart', restartTimeout = '10m') => ({ type: 'WindowsRestart', name, restartTimeout }),
  windowsUpdate: (name = 'windows-update') => ({
    type: 'WindowsUpdate',
    name,
    searchCriteria: 'IsInstalled=0',
    filters: ["exclude:$_.Title -like '*Preview*'", 'include:$true'],
    updateLimit: 40,
  }),
};

export const ARTIFACTS = 'https://contosoartifacts.blob.core.windows.net/build';

/** The message AIB puts in lastRunStatus when Packer exits non-zero, older format (blob URL). */
export const PACKER_FAILED_URL_STYLE =
  'Failed while waiting for packerizer: Microservice has failed: Failed while processing request: Error when executing packerizer: Packer build command has failed: exit status 1. During the image build, a failure has occurred, please review the build log to identify which build/customization step failed. For more troubleshooting steps go to https://aka.ms/azvmimagebuilderts. Image Build log location: {logUrl}. OperationId: {operationId}. Use this operationId to search packer logs.';

/** The newer (2024) wording that names the log by its ARM path. */
export const PACKER_FAILED_PATH_STYLE =
  'During the image build a failure has occurred. Packer build logs are at location {logPath}. Please navigate to this location using portal or other tools to download logs and troubleshoot the build failure. Use this operationId {operationId} to search packer logs. For more troubleshooting steps go to https://aka.ms/azvmimagebuilderts.';
