import type { Scenario } from './scenario-types';
import { customizers as c, galleryTarget, managedImageTarget, sources } from './template-parts';

// Successful builds whose logs carry a warning the guide says to ignore. Nothing to diagnose (expectedId null):
// a bot that reports these as the failure has its priorities wrong.

export const benignScenarios: Scenario[] = [
  {
    name: 'ubuntu2404-base',
    expectedId: null,
    os: 'linux',
    template: {
      source: sources.ubuntu2404,
      customize: [c.shell('baseline', ['sudo apt-get update', 'sudo apt-get install -y chrony'])],
      distribute: [galleryTarget('ubuntu2404-base', 'ubuntu2404-base-sig')],
    },
    // Shows the no-artifacts-warning: Packer's summary when AIB, not Packer, captures the image.
    status: { kind: 'succeeded', log: { os: 'linux', customizers: [{ type: 'shell', name: 'baseline', filler: 30 }], noArtifacts: true } },
  },
  {
    name: 'win2022-core',
    expectedId: null,
    os: 'windows',
    template: {
      source: sources.win2022,
      customize: [c.powershell('core-features', ['Install-WindowsFeature -Name Containers']), c.restart()],
      distribute: [galleryTarget('win2022-core', 'win2022-core-sig')],
    },
    // Shows image-creation-skipped.
    status: {
      kind: 'succeeded',
      log: {
        os: 'windows',
        customizers: [{ type: 'powershell', name: 'core-features' }, { type: 'windows-restart', name: 'restart' }],
        duringCapture: ['==> azure-arm: Skipping image creation...'],
      },
    },
  },
  {
    name: 'win2019-privatelink',
    expectedId: null,
    os: 'windows',
    template: {
      source: sources.win2019,
      customize: [c.powershell('baseline', ['Set-TimeZone -Id "UTC"'])],
      distribute: [managedImageTarget('win2019-privatelink', 'win2019-privatelink-mi')],
    },
    // Shows resource-deletion-retry: the cleanup retried and got there.
    status: {
      kind: 'succeeded',
      log: {
        os: 'windows',
        customizers: [{ type: 'powershell', name: 'baseline', filler: 20 }],
        duringCapture: [
          '==> azure-arm: Error deleting resource. Will retry.',
          "==> azure-arm: Name: pkrip4k2j9xq1, Error: network.PublicIPAddressesClient#Delete: Failure sending request: StatusCode=400 -- Original Error: Code=\"PublicIPAddressCannotBeDeleted\" Message=\"Public IP address pkrip4k2j9xq1 can not be deleted since it is still allocated to resource pkrni4k2j9xq1.\"",
          '==> azure-arm: Error deleting resource. Will retry.',
          "==> azure-arm: Name: pkrsg4k2j9xq1, Error: network.SecurityGroupsClient#Delete: Failure sending request: StatusCode=400 -- Original Error: Code=\"InUseNetworkSecurityGroupCannotBeDeleted\" Message=\"Network security group pkrsg4k2j9xq1 cannot be deleted because it is in use by the following resources: pkrni4k2j9xq1.\"",
          '==> azure-arm: Deleted -> pkrip4k2j9xq1 : Microsoft.Network/publicIPAddresses',
          '==> azure-arm: Deleted -> pkrsg4k2j9xq1 : Microsoft.Network/networkSecurityGroups',
        ],
      },
    },
  },
];
