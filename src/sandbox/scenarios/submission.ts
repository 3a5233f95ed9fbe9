import { MAIN_RESOURCE_GROUP, SANDBOX_SUBSCRIPTION_ID } from '../constants';
import type { Scenario } from './scenario-types';
import { ARTIFACTS, customizers as c, GALLERY_ID, galleryTarget, managedImageTarget, sources } from './template-parts';

// Templates the service refused: provisioningState Failed with a provisioningError, never built, so no log.
// Running one is refused too (see seed.ts planOf).

const SUB = SANDBOX_SUBSCRIPTION_ID;
const RG = MAIN_RESOURCE_GROUP;

export const submissionScenarios: Scenario[] = [
  {
    // A pipeline re-submitted the template under the same name instead of deleting the old one first.
    name: 'win2019-iis',
    expectedId: 'template-exists',
    os: 'windows',
    template: {
      source: sources.win2019,
      customize: [c.powershell('iis', ['Install-WindowsFeature -Name Web-Server,Web-Asp-Net45 -IncludeManagementTools'])],
      distribute: [managedImageTarget('win2019-iis', 'win2019-iis-mi')],
    },
    status: {
      kind: 'submission-failed',
      provisioningErrorCode: 'Other',
      message:
        "'Conflict'. Details: Update/Upgrade of image templates is currently not supported. Please delete the existing image template 'win2019-iis' and submit it again.",
    },
  },
  {
    name: 'win11-avd-uami',
    expectedId: 'identity-unusable',
    os: 'windows',
    template: {
      source: sources.win11avd,
      customize: [c.powershellScript('avd-optimize', `${ARTIFACTS}/windows/avd-optimize.ps1`), c.restart()],
      distribute: [galleryTarget('win11-avd', 'win11-avd-sig')],
      stagingResourceGroup: `/subscriptions/${SUB}/resourceGroups/aib-staging-avd`,
    },
    status: {
      kind: 'submission-failed',
      provisioningErrorCode: 'Other',
      message:
        'The assigned managed identity cannot be used. Please remove the existing one and re-assign a new identity. For more troubleshooting steps go to https://aka.ms/azvmimagebuilderts.',
    },
  },
  {
    name: 'ubuntu2204-cis',
    expectedId: 'identity-not-authorized',
    os: 'linux',
    template: {
      source: sources.galleryVersion('ubuntu2204-base', '1.0.2207'),
      customize: [c.shellScript('cis-level2', `${ARTIFACTS}/linux/cis-level2.sh`)],
      distribute: [galleryTarget('ubuntu2204-cis', 'ubuntu2204-cis-sig')],
    },
    status: {
      kind: 'submission-failed',
      provisioningErrorCode: 'Other',
      message: `Not authorized to access the resource: ${GALLERY_ID}/images/ubuntu2204-base/versions/1.0.2207. Please check the user assigned identity has the correct permissions. For more troubleshooting steps go to https://aka.ms/azvmimagebuilderts.`,
    },
  },
  {
    name: 'win2019-sql',
    expectedId: 'deployment-failed-permissions',
    os: 'windows',
    template: {
      source: sources.win2019,
      customize: [c.file('sql-config', `${ARTIFACTS}/windows/sql/ConfigurationFile.ini`, 'C:\\setup\\ConfigurationFile.ini'), c.powershellScript('sql-install', `${ARTIFACTS}/windows/sql/install.ps1`)],
      distribute: [galleryTarget('win2019-sql', 'win2019-sql-sig')],
    },
    status: {
      kind: 'submission-failed',
      provisioningErrorCode: 'ServerError',
      message:
        "Microsoft.VirtualMachineImages/imageTemplates 'win2019-sql' failed with message '{ \"status\": \"Failed\", \"error\": { \"code\": \"ResourceDeploymentFailure\", \"message\": \"The resource operation completed with terminal provisioning state 'Failed'.\", \"details\": [ { \"code\": \"InternalOperationError\", \"message\": \"Internal error occurred.\" } ] } }'",
    },
  },
  {
    name: 'ubuntu2204-monitoring',
    expectedId: 'template-validation-failed',
    os: 'linux',
    template: {
      source: sources.ubuntu2204,
      customize: [{ type: 'Shell', name: 'install-node-exporter' }],
      distribute: [managedImageTarget('ubuntu2204-monitoring', 'ubuntu2204-monitoring-mi')],
    },
    status: {
      kind: 'submission-failed',
      provisioningErrorCode: 'NoCustomizerScript',
      message:
        "Validation failed: 'ImageTemplate.properties.customize[0]': a Shell customizer needs either scriptUri or inline commands. Please review http://aka.ms/azvmimagebuildertmplref for details on fields requirements in the Image Builder Template.",
    },
  },
  {
    name: 'win2022-multiregion',
    expectedId: 'required-field-missing',
    os: 'windows',
    template: {
      source: sources.win2022,
      customize: [c.powershell('baseline', ['Set-TimeZone -Id "UTC"'])],
      distribute: [{ type: 'SharedImage', runOutputName: 'win2022-multiregion-sig', targetRegions: [{ name: 'westeurope', replicaCount: 1 }, { name: 'eastus2', replicaCount: 1 }] }],
    },
    status: {
      kind: 'submission-failed',
      provisioningErrorCode: 'Other',
      message:
        "Validation failed: 'ImageTemplate.properties.distribute[0]': Missing field galleryImageId. Please review http://aka.ms/azvmimagebuildertmplref for details on fields requirements in the Image Builder Template.",
    },
  },
  {
    name: 'ubuntu2204-vhd-export',
    expectedId: 'distribute-target-removed',
    os: 'linux',
    template: {
      source: sources.ubuntu2204,
      customize: [c.shell('apt-baseline', ['sudo apt-get update', 'sudo apt-get -y upgrade'])],
      distribute: [galleryTarget('ubuntu2204-export', 'ubuntu2204-export-sig')],
    },
    status: {
      kind: 'submission-failed',
      provisioningErrorCode: 'Other',
      message:
        'Validation failed: Distribute target with Runoutput name ubuntu2204-export-vhd not found in the update request. Deleting a distribution target is not allowed.',
    },
  },
  {
    name: 'ubuntu2404-newsub',
    expectedId: 'provider-not-registered',
    os: 'linux',
    template: {
      source: sources.ubuntu2404,
      customize: [c.shell('hello', ['echo provisioning on a new subscription'])],
      distribute: [managedImageTarget('ubuntu2404-newsub', 'ubuntu2404-newsub-mi')],
    },
    status: {
      kind: 'submission-failed',
      provisioningErrorCode: 'Other',
      message:
        "The subscription is not registered to use namespace 'Microsoft.VirtualMachineImages'. See https://aka.ms/rps-not-found for how to register subscriptions. (Code: MissingSubscriptionRegistration)",
    },
  },
  {
    name: 'win2022-golden',
    expectedId: 'operation-not-allowed-in-state',
    os: 'windows',
    template: {
      source: sources.win2022,
      customize: [c.windowsUpdate(), c.restart()],
      distribute: [galleryTarget('win2022-golden', 'win2022-golden-sig')],
      vmProfile: { vmSize: 'Standard_D4ds_v5' },
    },
    status: {
      kind: 'submission-failed',
      provisioningErrorCode: 'Other',
      message: `Operation 'Update' on '/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.VirtualMachineImages/imageTemplates/win2022-golden' is not allowed while the image template is running a build. (Code: OperationNotAllowed)`,
    },
  },
];
