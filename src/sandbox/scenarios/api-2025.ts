import { MAIN_RESOURCE_GROUP, SANDBOX_LOCATION, SANDBOX_SUBSCRIPTION_ID } from '../constants';
import type { Scenario } from './scenario-types';
import { ARTIFACTS, customizers as c, GALLERY_ID, galleryTarget, managedImageTarget, PACKER_FAILED_PATH_STYLE, sources } from './template-parts';

// What Image Builder does since API 2022-02-14 … 2025-10-01: validation, errorHandling abort, partial success,
// gallery replication read from the image version, triggers, isolated builds in a container instance, and the
// template fields of those versions (autoRun, managedResourceTags, optimize, vnetConfig, versioning, data disks).

const SUB = SANDBOX_SUBSCRIPTION_ID;
const VNET = `/subscriptions/${SUB}/resourceGroups/${MAIN_RESOURCE_GROUP}/providers/Microsoft.Network/virtualNetworks/vnet-images`;

const linuxBaseline = { type: 'shell' as const, name: 'apt-baseline', filler: 30 };

export const api2025Scenarios: Scenario[] = [
  {
    // The image builds; the in-VM validator that checks the hardening score fails, so the run fails in Validating.
    name: 'ubuntu2404-validated',
    expectedId: 'validation-failed',
    os: 'linux',
    template: {
      source: sources.ubuntu2404,
      customize: [c.shell('apt-baseline', ['sudo apt-get update', 'sudo apt-get install -y auditd chrony'])],
      validate: {
        continueDistributeOnFailure: false,
        sourceValidationOnly: false,
        inVMValidations: [
          { type: 'Shell', name: 'check-services', inline: ['systemctl is-active auditd chrony'] },
          { type: 'Shell', name: 'check-cis-score', scriptUri: `${ARTIFACTS}/linux/check-cis-score.sh` },
        ],
      },
      distribute: [galleryTarget('ubuntu2404-base', 'ubuntu2404-validated-sig')],
    },
    status: {
      kind: 'run-failed',
      subState: 'Validating',
      operationErrorCode: 'ValidationFailed',
      // The service's validation message is not documented; this keeps the newer log-location wording and names
      // validation.log, which sits beside customization.log.
      message:
        'During the image validation a failure has occurred. Packer build logs are at location {logPath}. The validators wrote validation.log in the same folder. Use this operationId {operationId} to search packer logs. For more troubleshooting steps go to https://aka.ms/azvmimagebuilderts.',
      log: { os: 'linux', customizers: [linuxBaseline] },
      validationFailure: {
        validator: 'check-cis-score',
        lines: ['CIS level 1 score: 71% (required: 90%)', 'FAILED 1.1.1.1 Ensure mounting of cramfs is disabled', 'FAILED 5.2.4 Ensure SSH access is limited'],
        exitCode: 3,
      },
    },
    ranMinutesAgo: 140,
    tookMinutes: 38,
  },
  {
    // errorHandling abort: the customizer failed and the build VM, its disk and network were kept for debugging.
    name: 'win2022-abort-debug',
    expectedId: 'customizer-failed',
    os: 'windows',
    template: {
      source: sources.win2022,
      customize: [c.powershellScript('install-sql-tools', `${ARTIFACTS}/windows/install-sql-tools.ps1`), c.restart()],
      errorHandling: { onCustomizerError: 'abort', onValidationError: 'cleanup' },
      distribute: [galleryTarget('win2022-sql', 'win2022-abort-debug-sig')],
      vmProfile: { vmSize: 'Standard_D4ds_v5' },
      managedResourceTags: { costCenter: 'images-4711', owner: 'platform-images' },
      buildTimeoutInMinutes: 120,
    },
    status: {
      kind: 'run-failed',
      subState: 'Customizing',
      message: PACKER_FAILED_PATH_STYLE,
      log: {
        os: 'windows',
        customizers: [
          {
            type: 'powershell',
            name: 'install-sql-tools',
            output: ['    azure-arm: Downloading SqlPackage 170.0.94 ...', '    azure-arm: Installing SQL Server Management Objects ...'],
          },
        ],
        failure: {
          at: 0,
          lines: [
            "==> azure-arm: Install-Module : No match was found for the specified search criteria and module name 'SqlServerDsc'.",
            '==> azure-arm:     + CategoryInfo          : ObjectNotFound: (Microsoft.Power....InstallPackage:InstallPackage) [Install-Package], Exception',
            'ERR packer-provisioner-powershell plugin: [INFO] RPC client: Communicator ended with: 1',
            '==> azure-arm: Script exited with non-zero exit status: 1. Allowed exit codes are: [0]',
          ],
          erroredWith: 'Script exited with non-zero exit status: 1. Allowed exit codes are: [0]',
        },
      },
    },
    ranMinutesAgo: 75,
    tookMinutes: 19,
  },
  {
    // Two targets: the gallery version published, the managed image in a group that was deleted did not.
    name: 'ubuntu2204-multi-target',
    expectedId: 'distribution-failed',
    os: 'linux',
    template: {
      source: sources.ubuntu2204,
      customize: [c.shell('apt-baseline', ['sudo apt-get update', 'sudo apt-get install -y curl jq'])],
      distribute: [
        galleryTarget('ubuntu2204-base', 'ubuntu2204-multi-sig'),
        { ...managedImageTarget('ubuntu2204-multi', 'ubuntu2204-multi-mi'), imageId: `/subscriptions/${SUB}/resourceGroups/images-legacy/providers/Microsoft.Compute/images/ubuntu2204-multi` },
      ],
    },
    status: {
      kind: 'partially-succeeded',
      log: { os: 'linux', customizers: [linuxBaseline] },
      failedTargets: [
        {
          runOutputName: 'ubuntu2204-multi-mi',
          reason: `Error publishing MDI to managed image: /subscriptions/${SUB}/resourceGroups/images-legacy/providers/Microsoft.Compute/images/ubuntu2204-multi, Location: ${SANDBOX_LOCATION}. Error: compute.ImagesClient#CreateOrUpdate: Failure sending request: StatusCode=404 -- Original Error: Code="ResourceGroupNotFound" Message="Resource group 'images-legacy' could not be found."`,
        },
      ],
    },
    ranMinutesAgo: 300,
    tookMinutes: 41,
  },
  {
    // Image Builder stopped waiting for the gallery; the version is still replicating to two regions.
    name: 'win2022-replicating',
    expectedId: 'gallery-replication-timeout',
    os: 'windows',
    template: {
      source: sources.win2022,
      customize: [c.powershellScript('corp-baseline', `${ARTIFACTS}/windows/corp-baseline.ps1`)],
      distribute: [galleryTarget('win2022-replicated', 'win2022-replicating-sig', ['westeurope', 'eastus2', 'brazilsouth', 'japaneast'])],
      buildTimeoutInMinutes: 100,
    },
    status: {
      kind: 'run-failed',
      subState: 'Distributing',
      log: { os: 'windows', customizers: [{ type: 'powershell', name: 'corp-baseline', filler: 30 }] },
      message: `Deployment failed. Correlation ID: {correlationId}. Failed in distributing 1 images out of total 1: {[Error 0] [Distribute 0] Error publishing MDI to shared image gallery:${GALLERY_ID}/images/win2022-replicated, Location:westeurope. Error: Error waiting on shared image gallery future for resource group: ${MAIN_RESOURCE_GROUP}, gallery name: contosoImages, gallery image name: win2022-replicated.Error: Future#WaitForCompletion: context has been cancelled: StatusCode=200 -- Original Error: context deadline exceeded}`,
    },
    galleryVersions: [
      {
        runOutputName: 'win2022-replicating-sig',
        id: `${GALLERY_ID}/images/win2022-replicated/versions/1.0.4207`,
        aggregatedState: 'InProgress',
        summary: [
          { region: 'westeurope', state: 'Completed', details: '', progress: 100 },
          { region: 'eastus2', state: 'Completed', details: '', progress: 100 },
          { region: 'brazilsouth', state: 'Replicating', details: '', progress: 62 },
          { region: 'japaneast', state: 'Replicating', details: '', progress: 35 },
        ],
      },
    ],
    tookMinutes: 100,
  },
  {
    // Image Builder gave up waiting, yet the gallery finished replicating afterwards: the image is usable.
    name: 'ubuntu2204-replicated-late',
    expectedId: 'gallery-replication-timeout',
    os: 'linux',
    template: {
      source: sources.ubuntu2204,
      customize: [c.shell('apt-baseline', ['sudo apt-get update'])],
      distribute: [galleryTarget('ubuntu2204-global', 'ubuntu2204-late-sig', ['westeurope', 'southeastasia'])],
      buildTimeoutInMinutes: 60,
    },
    status: {
      kind: 'run-failed',
      subState: 'Distributing',
      log: { os: 'linux', customizers: [linuxBaseline] },
      message: `Failed in distributing 1 images out of total 1: {[Error 0] [Distribute 0] Error publishing MDI to shared image gallery:${GALLERY_ID}/images/ubuntu2204-global, Location:westeurope. Error: Error waiting on shared image gallery future for resource group: ${MAIN_RESOURCE_GROUP}, gallery name: contosoImages, gallery image name: ubuntu2204-global.Error: Future#WaitForCompletion: context has been cancelled: StatusCode=200 -- Original Error: context deadline exceeded}`,
    },
    galleryVersions: [
      {
        runOutputName: 'ubuntu2204-late-sig',
        id: `${GALLERY_ID}/images/ubuntu2204-global/versions/1.0.3311`,
        aggregatedState: 'Completed',
        summary: [
          { region: 'westeurope', state: 'Completed', details: '', progress: 100 },
          { region: 'southeastasia', state: 'Completed', details: '', progress: 100 },
        ],
      },
    ],
    tookMinutes: 60,
  },
  {
    // Replication failed in one region: the version exists, the region names why.
    name: 'ubuntu2204-region-failed',
    expectedId: 'distribution-failed',
    os: 'linux',
    template: {
      source: sources.ubuntu2204,
      customize: [c.shell('apt-baseline', ['sudo apt-get update'])],
      distribute: [galleryTarget('ubuntu2204-edge', 'ubuntu2204-region-failed-sig', ['westeurope', 'australiaeast'])],
    },
    status: {
      kind: 'run-failed',
      subState: 'Distributing',
      log: { os: 'linux', customizers: [linuxBaseline] },
      message: `Failed in distributing 1 images out of total 1: {[Error 0] [Distribute 0] Error publishing MDI to shared image gallery:${GALLERY_ID}/images/ubuntu2204-edge, Location:westeurope. Error: Replication of gallery image version 1.0.5120 failed in region australiaeast: ReplicationJobsNotCompleted}`,
    },
    galleryVersions: [
      {
        runOutputName: 'ubuntu2204-region-failed-sig',
        id: `${GALLERY_ID}/images/ubuntu2204-edge/versions/1.0.5120`,
        aggregatedState: 'Failed',
        summary: [
          { region: 'westeurope', state: 'Completed', details: '', progress: 100 },
          {
            region: 'australiaeast',
            state: 'Failed',
            details: "Replication job failed: the subscription's quota of Standard_LRS snapshots in australiaeast is exhausted.",
            progress: 40,
          },
        ],
      },
    ],
  },
  {
    // A source-image trigger that Image Builder disabled after the nightly builds failed again and again: the
    // disabled trigger is the news (rank 50), the failing install-agent customizer stays named beside it.
    name: 'ubuntu2204-nightly',
    expectedId: 'trigger-disabled',
    os: 'linux',
    template: {
      source: sources.ubuntu2204,
      customize: [c.shell('apt-baseline', ['sudo apt-get update']), c.shellScript('install-agent', `${ARTIFACTS}/linux/install-agent.sh`)],
      distribute: [galleryTarget('ubuntu2204-nightly', 'ubuntu2204-nightly-sig')],
      autoRun: { state: 'Disabled' },
    },
    triggers: [
      {
        name: 'source-image-updates',
        // The reference gives only the healthy code ("Healthy", SPEC examples/GetTrigger.json) and the rule that
        // AIB disables a trigger after repeated consecutive failures; this code and wording are the sandbox's.
        code: 'Disabled',
        message:
          'The trigger was disabled after 3 consecutive failed builds. A successful manual build of the template enables it again.',
        minutesAgo: 240,
      },
    ],
    status: {
      kind: 'run-failed',
      subState: 'Customizing',
      message: PACKER_FAILED_PATH_STYLE,
      log: {
        os: 'linux',
        customizers: [
          linuxBaseline,
          { type: 'shell', name: 'install-agent', filler: 6 },
        ],
        failure: {
          at: 1,
          lines: [
            '    azure-arm: curl: (22) The requested URL returned error: 404',
            '==> azure-arm: install-agent.sh: line 12: /opt/contoso-agent/bin/register: No such file or directory',
            'ERR packer-provisioner-shell plugin: [INFO] RPC client: Communicator ended with: 127',
            '==> azure-arm: Script exited with non-zero exit status: 127. Allowed exit codes are: [0]',
          ],
          erroredWith: 'Script exited with non-zero exit status: 127. Allowed exit codes are: [0]',
        },
      },
    },
    ranMinutesAgo: 250,
  },
  {
    // An isolated build under way in a customer VNet: Packer runs in a container instance on its own subnet; the
    // template uses the 2022-2025 fields the status view shows.
    name: 'win2022-isolated-running',
    expectedId: null,
    os: 'windows',
    template: {
      source: sources.win2022,
      customize: [c.powershell('install-iis', ['Install-WindowsFeature -Name Web-Server']), c.windowsUpdate(), c.restart()],
      optimize: { vmBoot: { state: 'Enabled' } },
      distribute: [
        {
          ...galleryTarget('win2022-web', 'win2022-isolated-sig', ['westeurope', 'northeurope']),
          versioning: { scheme: 'Latest', major: 2 },
          replicationMode: 'Shallow',
        },
      ],
      vmProfile: {
        vmSize: 'Standard_D4ds_v5',
        osDiskSizeGB: 127,
        vnetConfig: { subnetId: `${VNET}/subnets/build`, containerInstanceSubnetId: `${VNET}/subnets/aci` },
      },
      additionalDataDisks: [{ sizeGB: 64 }],
      autoRun: { state: 'Enabled' },
      managedResourceTags: { costCenter: 'images-4711' },
      buildTimeoutInMinutes: 240,
    },
    status: {
      kind: 'running',
      subState: 'Customizing',
      // Customizing lasts 2400 steps (2 minutes in tests at 50 ms, half a day in the demo) so a run is under way
      // whenever someone looks; the run still ends by itself.
      stepWeights: { Customizing: 2400, Optimizing: 3, Distributing: 3 },
      log: {
        os: 'windows',
        customizers: [{ type: 'powershell', name: 'install-iis', filler: 20 }, { type: 'windows-update', name: 'windows-update' }, { type: 'windows-restart', name: 'restart' }],
      },
    },
    ranMinutesAgo: 25,
  },
  {
    // A build in its Validating sub-state (Optimizing came before it).
    name: 'ubuntu2404-validating',
    expectedId: null,
    os: 'linux',
    template: {
      source: sources.ubuntu2404,
      customize: [c.shell('apt-baseline', ['sudo apt-get update'])],
      optimize: { vmBoot: { state: 'Enabled' } },
      validate: { sourceValidationOnly: false, continueDistributeOnFailure: true, inVMValidations: [{ type: 'Shell', name: 'smoke-test', inline: ['systemctl is-system-running'] }] },
      distribute: [galleryTarget('ubuntu2404-base', 'ubuntu2404-validating-sig')],
    },
    status: {
      kind: 'running',
      subState: 'Validating',
      stepWeights: { Validating: 2400, Distributing: 3 },
      log: { os: 'linux', customizers: [linuxBaseline] },
    },
    ranMinutesAgo: 40,
  },
];
