import { DEV_RESOURCE_GROUP } from '../constants';
import type { Scenario } from './scenario-types';
import { ARTIFACTS, customizers as c, galleryTarget, managedImageTarget, PACKER_FAILED_PATH_STYLE, PACKER_FAILED_URL_STYLE, sources } from './template-parts';

// Templates that are not about one catalog id: a clean success, a build in progress, a 1 MB and a 200 MB log, a
// failure nothing in the catalog explains, and the same name in two resource groups.

const MiB = 1024 * 1024;

export const specialScenarios: Scenario[] = [
  {
    name: 'ubuntu2204-ok',
    expectedId: null,
    os: 'linux',
    template: {
      source: sources.ubuntu2204,
      customize: [
        c.shell('apt-baseline', ['sudo apt-get update', 'sudo apt-get install -y curl jq unzip auditd chrony']),
        c.shellScript('cis-hardening', `${ARTIFACTS}/linux/cis-level1.sh`),
      ],
      distribute: [galleryTarget('ubuntu2204-base', 'ubuntu2204-ok-sig')],
      vmProfile: { vmSize: 'Standard_D2ds_v5', osDiskSizeGB: 64 },
      buildTimeoutInMinutes: 90,
    },
    status: {
      kind: 'succeeded',
      log: {
        os: 'linux',
        customizers: [
          { type: 'shell', name: 'apt-baseline', filler: 40 },
          { type: 'shell', name: 'cis-hardening', output: ['    azure-arm: CIS level 1: 212 rules applied, 0 failed'] },
        ],
      },
    },
    ranMinutesAgo: 600,
    tookMinutes: 31,
  },
  {
    name: 'win2022-running',
    expectedId: null,
    os: 'windows',
    template: {
      source: sources.win2022,
      customize: [
        c.powershell('install-iis', ['Install-WindowsFeature -Name Web-Server -IncludeManagementTools']),
        c.windowsUpdate(),
        c.restart(),
      ],
      distribute: [galleryTarget('win2022-web', 'win2022-running-sig')],
      vmProfile: { vmSize: 'Standard_D4ds_v5' },
      buildTimeoutInMinutes: 240,
    },
    status: {
      kind: 'running',
      subState: 'Customizing',
      // Long in Customizing so there is a build in progress to look at (80 min in the demo at 20 s a step,
      // 12 s in tests at 50 ms) before it moves on to Distributing and succeeds.
      stepWeights: { Customizing: 240, Distributing: 3 },
      log: {
        os: 'windows',
        customizers: [
          { type: 'powershell', name: 'install-iis', filler: 30 },
          { type: 'windows-update', name: 'windows-update', filler: 60 },
          { type: 'windows-restart', name: 'restart' },
        ],
      },
    },
    ranMinutesAgo: 14,
  },
  {
    // A log of about 1 MB (synthesized like the 200 MB one): big enough to be a real build, small enough that the
    // first answer reads all of it (the default tail is 1 MiB). `npm run bench` measures answers on it. Listed
    // before the 200 MB log so it is seeded first.
    name: 'ubuntu2204-java-runner',
    expectedId: 'customizer-failed',
    os: 'linux',
    template: {
      source: sources.ubuntu2204,
      customize: [
        c.shell('apt-baseline', ['sudo apt-get update', 'sudo apt-get install -y curl unzip']),
        c.shellScript('install-jdk', `${ARTIFACTS}/linux/install-temurin-jdk.sh`),
      ],
      distribute: [galleryTarget('ubuntu2204-java', 'ubuntu2204-java-runner-sig')],
      vmProfile: { vmSize: 'Standard_D4ds_v5', osDiskSizeGB: 128 },
      buildTimeoutInMinutes: 120,
    },
    status: {
      kind: 'run-failed',
      subState: 'Customizing',
      message: PACKER_FAILED_PATH_STYLE,
      log: {
        os: 'linux',
        customizers: [
          { type: 'shell', name: 'apt-baseline', filler: 40 },
          { type: 'shell', name: 'install-jdk', filler: 30 },
        ],
        failure: {
          at: 1,
          lines: [
            '    azure-arm: sha256sum: WARNING: 1 computed checksum did NOT match',
            '    azure-arm: install-temurin-jdk.sh: checksum mismatch for OpenJDK21U-jdk_x64_linux_hotspot_21.0.5_11.tar.gz',
            '==> azure-arm: Script exited with non-zero exit status: 3. Allowed exit codes are: [0]',
          ],
          erroredWith: 'Script exited with non-zero exit status: 3. Allowed exit codes are: [0]',
        },
      },
    },
    bigLog: {
      targetBytes: 1_000_000,
      atFraction: 0.97,
      customizer: 'shell',
      lines: [
        '    azure-arm: sha256sum: WARNING: 1 computed checksum did NOT match',
        '    azure-arm: install-temurin-jdk.sh: checksum mismatch for OpenJDK21U-jdk_x64_linux_hotspot_21.0.5_11.tar.gz',
        '==> azure-arm: Script exited with non-zero exit status: 3. Allowed exit codes are: [0]',
        "Build 'azure-arm' errored after 24 minutes 9 seconds: Script exited with non-zero exit status: 3. Allowed exit codes are: [0]",
        "==> Some builds didn't complete successfully and had errors:",
        '--> azure-arm: Script exited with non-zero exit status: 3. Allowed exit codes are: [0]',
        '==> Builds finished but no artifacts were created.',
      ],
    },
    ranMinutesAgo: 190,
    tookMinutes: 24,
  },
  {
    name: 'ubuntu2204-biglog',
    expectedId: 'customizer-failed',
    os: 'linux',
    template: {
      source: sources.ubuntu2204,
      customize: [
        c.shellScript('install-toolchain', `${ARTIFACTS}/linux/toolchain.sh`),
        c.shellScript('build-native-deps', `${ARTIFACTS}/linux/build-native-deps.sh`),
      ],
      distribute: [managedImageTarget('ubuntu2204-buildagent', 'ubuntu2204-biglog-mi')],
      vmProfile: { vmSize: 'Standard_D8ds_v5', osDiskSizeGB: 256 },
      buildTimeoutInMinutes: 480,
    },
    status: {
      kind: 'run-failed',
      subState: 'Customizing',
      message: PACKER_FAILED_URL_STYLE,
      log: {
        os: 'linux',
        customizers: [
          { type: 'shell', name: 'install-toolchain', filler: 60 },
          { type: 'shell', name: 'build-native-deps', filler: 80 },
        ],
        failure: {
          at: 1,
          lines: [
            '    azure-arm: make[2]: *** [CMakeFiles/grpc.dir/build.make:1184: src/core/lib/surface/call.cc.o] Error 1',
            '    azure-arm: make[1]: *** [CMakeFiles/Makefile2:1432: CMakeFiles/grpc.dir/all] Error 2',
            '    azure-arm: make: *** [Makefile:146: all] Error 2',
            "ERR packer-provisioner-shell plugin: [INFO] RPC client: Communicator ended with: 2",
            '==> azure-arm: Script exited with non-zero exit status: 2. Allowed exit codes are: [0]',
          ],
          erroredWith: 'Script exited with non-zero exit status: 2. Allowed exit codes are: [0]',
        },
      },
    },
    bigLog: {
      targetBytes: 200 * MiB,
      atFraction: 0.97,
      customizer: 'shell',
      lines: [
        '    azure-arm: make[2]: *** [CMakeFiles/grpc.dir/build.make:1184: src/core/lib/surface/call.cc.o] Error 1',
        '    azure-arm: make[1]: *** [CMakeFiles/Makefile2:1432: CMakeFiles/grpc.dir/all] Error 2',
        '    azure-arm: make: *** [Makefile:146: all] Error 2',
        '==> azure-arm: Script exited with non-zero exit status: 2. Allowed exit codes are: [0]',
        "Build 'azure-arm' errored after 3 hours 12 minutes: Script exited with non-zero exit status: 2. Allowed exit codes are: [0]",
        "==> Some builds didn't complete successfully and had errors:",
        '--> azure-arm: Script exited with non-zero exit status: 2. Allowed exit codes are: [0]',
        '==> Builds finished but no artifacts were created.',
      ],
    },
    ranMinutesAgo: 300,
    tookMinutes: 192,
  },
  {
    // A capacity restriction on the build VM size (SkuNotAvailable, catalog wave 2). The log stops at the
    // deployment error (AIB stopped the build container), without Packer's summary.
    name: 'rhel9-hardened',
    expectedId: 'vm-size-unavailable',
    os: 'linux',
    template: {
      source: sources.rhel9,
      customize: [
        c.shell('dnf-baseline', ['sudo dnf -y update', 'sudo dnf -y install audit aide']),
        c.shellScript('install-edr-agent', `${ARTIFACTS}/linux/contoso-edr-install.sh`),
      ],
      distribute: [galleryTarget('rhel9-hardened', 'rhel9-hardened-sig')],
      vmProfile: { vmSize: 'Standard_D2ds_v5' },
      buildTimeoutInMinutes: 120,
    },
    status: {
      kind: 'run-failed',
      subState: 'Building',
      message:
        "Failed in building/customizing image: deploying the build VM failed: compute.VirtualMachinesClient#CreateOrUpdate: Failure sending request: StatusCode=409 -- Original Error: Code=\"SkuNotAvailable\" Message=\"The requested VM size for resource 'Following SKUs have failed for Capacity Restrictions: Standard_D2ds_v5' is currently not available in location 'westeurope'. Please try another size or deploy to a different location or different zone. See https://aka.ms/azureskunotavailable for details.\"",
      log: {
        os: 'linux',
        customizers: [],
        failure: {
          at: 'build',
          lines: [
            "==> azure-arm: ERROR: -> SkuNotAvailable : The requested VM size for resource 'Following SKUs have failed for Capacity Restrictions: Standard_D2ds_v5' is currently not available in location 'westeurope'.",
            '==> azure-arm: ',
            "ERR packer-builder-azure-arm plugin: Deployment 'pkrdp7n2k4w9q1z' ended in state Failed",
          ],
          abrupt: true,
        },
      },
    },
    ranMinutesAgo: 75,
    tookMinutes: 18,
  },
  {
    // Same name as the failed template in the main group: "win2022-base" alone is ambiguous.
    name: 'win2022-base',
    resourceGroup: DEV_RESOURCE_GROUP,
    expectedId: null,
    os: 'windows',
    template: {
      source: sources.win2022,
      customize: [c.powershell('baseline', ['Set-TimeZone -Id "W. Europe Standard Time"', 'Install-WindowsFeature -Name Telnet-Client']), c.restart()],
      distribute: [managedImageTarget('win2022-base-dev', 'win2022-base-dev-mi')],
      vmProfile: { vmSize: 'Standard_D2ds_v5' },
    },
    status: {
      kind: 'succeeded',
      log: { os: 'windows', customizers: [{ type: 'powershell', name: 'baseline' }, { type: 'windows-restart', name: 'restart' }] },
    },
    ranMinutesAgo: 1440,
    tookMinutes: 41,
  },
];
