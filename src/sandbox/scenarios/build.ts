import { MAIN_RESOURCE_GROUP, SANDBOX_SUBSCRIPTION_ID } from '../constants';
import type { Scenario } from './scenario-types';
import {
  ARTIFACTS,
  customizers as c,
  GALLERY_ID,
  galleryTarget,
  managedImageTarget,
  PACKER_FAILED_PATH_STYLE,
  PACKER_FAILED_URL_STYLE,
  sources,
} from './template-parts';

// Failures before any customizer ran: reading the source image, deploying the build VM, the build container.
// Some stop before Packer starts, so there is no log (`log: null`) and the message names none: the bot has to
// find out from the staging group that the packerlogs container is empty.

const SUB = SANDBOX_SUBSCRIPTION_ID;
const RG = MAIN_RESOURCE_GROUP;
const CLIENT = '7f3c1e0a-5b2d-4c8e-9a61-3d2f4b8c9e10';
const OBJECT = '2b9d4e71-0c3a-4f5e-8d26-91a7c3e5f042';

export const buildScenarios: Scenario[] = [
  {
    name: 'win2019-from-managed',
    expectedId: 'authorization-failed',
    os: 'windows',
    template: {
      source: sources.managedImage('win2019-golden-2024-04'),
      customize: [c.powershell('patch', ['Install-Module PSWindowsUpdate -Force'])],
      distribute: [managedImageTarget('win2019-app', 'win2019-app-mi')],
    },
    status: {
      kind: 'run-failed',
      subState: 'Building',
      log: null,
      message: `Build (Managed Image) step failed: Error getting Managed Image '/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/images/win2019-golden-2024-04': Error getting managed image (/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/images/win2019-golden-2024-04): compute.ImagesClient#Get: Failure responding to request: StatusCode=403 -- Original Error: autorest/azure: Service returned an error. Status=403 Code="AuthorizationFailed" Message="The client '${CLIENT}' with object id '${OBJECT}' does not have authorization to perform action 'Microsoft.Compute/images/read' over scope '/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/images/win2019-golden-2024-04' or the scope is invalid. If access was recently granted, please refresh your credentials."`,
    },
    tookMinutes: 2,
  },
  {
    name: 'win2022-vnet',
    expectedId: 'disk-authorization',
    os: 'windows',
    template: {
      source: sources.win2022,
      customize: [c.powershell('join-prep', ['Set-DnsClientServerAddress -InterfaceAlias Ethernet -ServerAddresses 10.10.0.4'])],
      distribute: [galleryTarget('win2022-vnet', 'win2022-vnet-sig')],
      vmProfile: {
        vmSize: 'Standard_D2ds_v5',
        vnetConfig: { subnetId: `/subscriptions/${SUB}/resourceGroups/network-rg/providers/Microsoft.Network/virtualNetworks/build-vnet/subnets/aib` },
      },
    },
    status: {
      kind: 'run-failed',
      subState: 'Building',
      message: PACKER_FAILED_PATH_STYLE,
      log: {
        os: 'windows',
        customizers: [],
        failure: {
          at: 'build',
          lines: [
            `==> azure-arm: ERROR: -> AuthorizationFailed : The client '${CLIENT}' with object id '${OBJECT}' does not have authorization to perform action 'Microsoft.Compute/disks/write' over scope '/subscriptions/${SUB}/resourceGroups/network-rg/providers/Microsoft.Compute/disks/proxyVmDiskWin_1715673012' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
            '==> azure-arm: ',
          ],
          erroredWith: `Deployment failed: AuthorizationFailed: does not have authorization to perform action 'Microsoft.Compute/disks/write' over scope proxyVmDiskWin_1715673012`,
        },
      },
    },
    tookMinutes: 6,
  },
  {
    name: 'win2022-from-sig',
    expectedId: 'source-image-not-found',
    os: 'windows',
    template: {
      source: sources.galleryVersion('win2022-golden', '0.24118.1'),
      customize: [c.powershell('app', ['choco install -y notepadplusplus'])],
      distribute: [galleryTarget('win2022-app', 'win2022-app-sig')],
    },
    status: {
      kind: 'run-failed',
      subState: 'Building',
      log: null,
      message: `Build (Shared Image Version) step failed for Image Version '${GALLERY_ID}/images/win2022-golden/versions/0.24118.1': Error getting Image Version '${GALLERY_ID}/images/win2022-golden/versions/0.24118.1': Error getting image version 'win2022-golden:0.24118.1': compute.GalleryImageVersionsClient#Get: Failure responding to request: StatusCode=404 -- Original Error: autorest/azure: Service returned an error. Status=404 Code="ResourceNotFound" Message="The Resource 'Microsoft.Compute/galleries/contosoImages/images/win2022-golden/versions/0.24118.1' under resource group '${RG}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"`,
    },
    tookMinutes: 1,
  },
  {
    name: 'win2022-cis-policy',
    expectedId: 'policy-violation',
    os: 'windows',
    template: {
      source: sources.win2022,
      customize: [c.powershellScript('cis-l1', `${ARTIFACTS}/windows/cis-level1.ps1`)],
      distribute: [galleryTarget('win2022-cis', 'win2022-cis-sig')],
    },
    status: {
      kind: 'run-failed',
      subState: 'Building',
      message: PACKER_FAILED_URL_STYLE,
      log: {
        os: 'windows',
        customizers: [],
        failure: {
          at: 'build',
          lines: [
            '==> azure-arm: Creating a new Azure Key Vault for the WinRM certificate ...',
            '==> azure-arm: ERROR: -> InvalidTemplateDeployment : The template deployment failed because of policy violation. Please see details for more information.',
            "==> azure-arm: ERROR: -> RequestDisallowedByPolicy : Resource 'pkrkv9x2mq4tz' was disallowed by policy. Policy identifiers: '[{\"policyAssignment\":{\"name\":\"Key vaults deny public network\"},\"policyDefinition\":{\"name\":\"Azure Key Vault should disable public network access\"}}]'.",
            '==> azure-arm: ',
          ],
          erroredWith: 'Deployment failed: InvalidTemplateDeployment: The template deployment failed because of policy violation.',
        },
      },
    },
    tookMinutes: 4,
  },
  {
    name: 'ubuntu2204-gpu',
    expectedId: 'quota-exceeded',
    os: 'linux',
    template: {
      source: sources.ubuntu2204,
      customize: [c.shellScript('cuda-drivers', `${ARTIFACTS}/linux/install-cuda.sh`)],
      distribute: [galleryTarget('ubuntu2204-gpu', 'ubuntu2204-gpu-sig')],
      vmProfile: { vmSize: 'Standard_NC24ads_A100_v4', osDiskSizeGB: 128 },
    },
    status: {
      kind: 'run-failed',
      subState: 'Building',
      message: PACKER_FAILED_URL_STYLE,
      log: {
        os: 'linux',
        customizers: [],
        failure: {
          at: 'build',
          lines: [
            "==> azure-arm: ERROR: -> QuotaExceeded : Operation could not be completed as it results in exceeding approved standardNCADSA100v4Family Cores quota. Additional details - Deployment Model: Resource Manager, Location: westeurope, Current Limit: 0, Current Usage: 0, Additional Required: 24, (Minimum) New Limit Required: 24. Submit a request for Quota increase at https://aka.ms/ProdportalCRP/#blade/Microsoft_Azure_Capacity/UsageAndQuota.ReactView by specifying parameters listed in the 'Details' section for deployment to succeed.",
            '==> azure-arm: ',
          ],
          erroredWith: 'Deployment failed: QuotaExceeded: Operation could not be completed as it results in exceeding approved standardNCADSA100v4Family Cores quota.',
        },
      },
    },
    tookMinutes: 3,
  },
  {
    name: 'win2022-isolated',
    expectedId: 'aci-provider-unregistered',
    os: 'windows',
    template: { source: sources.win2022, customize: [c.restart()], distribute: [managedImageTarget('win2022-isolated', 'win2022-isolated-mi')] },
    status: {
      kind: 'run-failed',
      subState: 'Queued',
      log: null,
      message:
        'Azure Container Instances provider not registered for your subscription. Register the Microsoft.ContainerInstance resource provider (az provider register -n Microsoft.ContainerInstance) and run the build again. For more troubleshooting steps go to https://aka.ms/azvmimagebuilderts.',
    },
    tookMinutes: 1,
  },
  {
    name: 'ubuntu2204-nightly-01',
    expectedId: 'aci-quota-exceeded',
    os: 'linux',
    template: { source: sources.ubuntu2204, customize: [c.shell('nightly', ['sudo apt-get update'])], distribute: [galleryTarget('ubuntu2204-nightly', 'ubuntu2204-nightly-01-sig')] },
    status: {
      kind: 'run-failed',
      subState: 'Queued',
      log: null,
      message:
        'Azure Container Instances quota exceeded for the subscription in region westeurope: Isolated Image Builds need one container group per build. Free quota or run fewer builds at once. For more troubleshooting steps go to https://aka.ms/azvmimagebuilderts.',
    },
    tookMinutes: 1,
  },
  {
    name: 'ubuntu2204-nightly-07',
    expectedId: 'aci-too-many',
    os: 'linux',
    template: { source: sources.ubuntu2204, customize: [c.shell('nightly', ['sudo apt-get update'])], distribute: [galleryTarget('ubuntu2204-nightly', 'ubuntu2204-nightly-07-sig')] },
    status: {
      kind: 'run-failed',
      subState: 'Queued',
      log: null,
      message:
        'Too many Azure Container Instances deployed within a period of time. Retry the build later or with fewer builds running at the same time. For more troubleshooting steps go to https://aka.ms/azvmimagebuilderts.',
    },
    tookMinutes: 1,
  },
  {
    name: 'win11-avd-isolated',
    expectedId: 'isolated-build-failure',
    os: 'windows',
    template: { source: sources.win11avd, customize: [c.powershellScript('fslogix', `${ARTIFACTS}/windows/fslogix.ps1`)], distribute: [galleryTarget('win11-avd', 'win11-avd-isolated-sig')] },
    status: {
      kind: 'run-failed',
      subState: 'Queued',
      log: null,
      message:
        "Isolated Image Build failed: the build container group 'vmimagebuilder-build-container-8kq2m' could not be started in the staging resource group {stagingGroup}. Retrying the build usually succeeds; contact support to opt the subscription out of Isolated Image Builds if it keeps failing.",
    },
    tookMinutes: 3,
  },
  {
    name: 'ubuntu2204-smoke',
    expectedId: 'jwt-expiry',
    os: 'linux',
    template: {
      source: sources.ubuntu2204,
      customize: [c.shell('smoke', ['echo smoke test'])],
      distribute: [managedImageTarget('ubuntu2204-smoke', 'ubuntu2204-smoke-mi')],
      buildTimeoutInMinutes: 5,
    },
    status: {
      kind: 'run-failed',
      subState: 'Building',
      message: PACKER_FAILED_PATH_STYLE,
      log: {
        os: 'linux',
        customizers: [],
        failure: {
          at: 'build',
          lines: [
            'Error: Failed to prepare build: "azure-arm"',
            '',
            '1 error occurred:',
            '\t* client_jwt will expire within 5 minutes, please use a JWT that is valid for at least 5 minutes',
            '',
            'ERR [INFO] (telemetry) Finalizing.',
          ],
          abrupt: true,
        },
      },
    },
    tookMinutes: 1,
  },
  {
    name: 'win2019-vnet-legacy',
    expectedId: 'nic-not-found',
    os: 'windows',
    template: {
      source: sources.win2019,
      customize: [c.powershell('proxy', ['netsh winhttp set proxy proxy.contoso.example:3128'])],
      distribute: [managedImageTarget('win2019-vnet', 'win2019-vnet-mi')],
      vmProfile: { vmSize: 'Standard_D2s_v3', vnetConfig: { subnetId: `/subscriptions/${SUB}/resourceGroups/network-rg/providers/Microsoft.Network/virtualNetworks/legacy-vnet/subnets/build` } },
    },
    status: {
      kind: 'run-failed',
      subState: 'Building',
      message:
        'network.InterfacesClient#UpdateTags: Failure responding to request: StatusCode=404 -- Original Error: autorest/azure: Service returned an error. Status=404 Code="ResourceNotFound" Message="The Resource \'Microsoft.Network/networkInterfaces/aibpls7lz2e.nic.4609d697-be0a-4cb0-86af-49b6fe877fe1\' under resource group \'{stagingGroup}\' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"',
      log: { os: 'windows', customizers: [], failure: { at: 'build', lines: ['==> azure-arm: Waiting for the private link service to be ready ...'], abrupt: true } },
    },
    tookMinutes: 9,
  },
  {
    // The 2020 guide's meaning: Packer gave up waiting on an Azure operation, so no artifact exists.
    name: 'win2019-capture',
    expectedId: 'no-artifacts',
    os: 'windows',
    template: {
      source: sources.win2019,
      customize: [c.powershell('features', ['Install-WindowsFeature -Name NET-Framework-45-Core'])],
      distribute: [managedImageTarget('win2019-capture', 'win2019-capture-mi')],
    },
    status: {
      kind: 'run-failed',
      subState: 'Customizing',
      message: PACKER_FAILED_URL_STYLE,
      log: {
        os: 'windows',
        customizers: [{ type: 'powershell', name: 'features' }],
        failure: {
          at: 'distribute',
          lines: [
            "ERR machine readable: azure-arm,error []string{\"Future#WaitForCompletion: context has been cancelled: StatusCode=200 -- Original Error: context deadline exceeded\"}",
            'ERR Cancelling builder after context cancellation context canceled',
          ],
          erroredWith: 'Future#WaitForCompletion: context has been cancelled: StatusCode=200 -- Original Error: context deadline exceeded',
        },
      },
    },
  },
  {
    name: 'ubuntu2204-api',
    expectedId: 'service-error',
    os: 'linux',
    template: {
      source: sources.ubuntu2204,
      customize: [c.shell('api-runtime', ['sudo apt-get install -y dotnet-runtime-8.0'])],
      distribute: [galleryTarget('ubuntu2204-api', 'ubuntu2204-api-sig')],
    },
    status: {
      kind: 'run-failed',
      subState: 'Building',
      message: PACKER_FAILED_PATH_STYLE,
      log: {
        os: 'linux',
        customizers: [],
        failure: {
          at: 'build',
          lines: [
            "==> azure-arm: ERROR: -> compute.VirtualMachinesClient#CreateOrUpdate: Failure sending request: StatusCode=500 -- Original Error: Code=\"InternalServerError\" Message=\"An unexpected error occured while processing the request. Tracking id is 'c1a8e5b4-77f0-4d2e-9b1a-5e3f2d9c8a71'.\"",
            '==> azure-arm: ',
          ],
          erroredWith: 'Deployment failed: InternalServerError: An unexpected error occured while processing the request.',
        },
      },
    },
    tookMinutes: 7,
  },
];
