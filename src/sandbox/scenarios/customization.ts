import type { Scenario } from './scenario-types';
import { ARTIFACTS, customizers as c, galleryTarget, managedImageTarget, PACKER_FAILED_PATH_STYLE, PACKER_FAILED_URL_STYLE, sources } from './template-parts';

// Failures inside the build VM, while customizers (or AIB's hidden deprovisioning step) run. lastRunStatus
// only says Packer failed; the customization.log says why.

export const customizationScenarios: Scenario[] = [
  {
    name: 'win2022-base',
    expectedId: 'customizer-failed',
    os: 'windows',
    template: {
      source: sources.win2022,
      customize: [
        c.powershell('baseline', ['Set-TimeZone -Id "W. Europe Standard Time"']),
        c.powershellScript('install-agents', `${ARTIFACTS}/windows/install-agents.ps1`),
        c.restart(),
      ],
      distribute: [galleryTarget('win2022-base', 'win2022-base-sig')],
      vmProfile: { vmSize: 'Standard_D2ds_v5' },
      buildTimeoutInMinutes: 120,
    },
    status: {
      kind: 'run-failed',
      subState: 'Customizing',
      message: PACKER_FAILED_URL_STYLE,
      log: {
        os: 'windows',
        customizers: [
          { type: 'powershell', name: 'baseline', filler: 20 },
          {
            type: 'powershell',
            name: 'install-agents',
            output: [
              '    azure-arm: Downloading https://contosoartifacts.blob.core.windows.net/build/windows/ContosoMonitor-5.1.msi',
              '    azure-arm: Installing ContosoMonitor 5.1 (msiexec /i ContosoMonitor-5.1.msi /qn /l*v C:\\Windows\\Temp\\monitor.log)',
            ],
          },
        ],
        failure: {
          at: 1,
          lines: [
            '==> azure-arm: msiexec.exe exited with code 1603: Fatal error during installation.',
            '==> azure-arm: At C:\\Windows\\Temp\\script-6614f2a1.ps1:14 char:5',
            '==> azure-arm: +     throw "msiexec.exe exited with code $($p.ExitCode): Fatal error during installation."',
            '==> azure-arm:     + CategoryInfo          : OperationStopped: (msiexec.exe exi...g installation.:String) [], RuntimeException',
            '==> azure-arm:     + FullyQualifiedErrorId : msiexec.exe exited with code 1603: Fatal error during installation.',
            'ERR packer-provisioner-powershell plugin: [INFO] RPC client: Communicator ended with: 1',
            '==> azure-arm: Script exited with non-zero exit status: 1. Allowed exit codes are: [0]',
          ],
          erroredWith: 'Script exited with non-zero exit status: 1. Allowed exit codes are: [0]',
        },
      },
    },
    ranMinutesAgo: 95,
    tookMinutes: 22,
  },
  {
    name: 'ubuntu2204-web',
    expectedId: 'customizer-failed',
    os: 'linux',
    template: {
      source: sources.ubuntu2204,
      customize: [
        c.shell('apt-baseline', ['sudo apt-get update', 'sudo apt-get install -y curl jq']),
        c.shell('install-web', ['sudo apt-get install -y nginx-extras-plus', 'sudo systemctl enable nginx']),
      ],
      distribute: [galleryTarget('ubuntu2204-web', 'ubuntu2204-web-sig')],
    },
    status: {
      kind: 'run-failed',
      subState: 'Customizing',
      message: PACKER_FAILED_PATH_STYLE,
      log: {
        os: 'linux',
        customizers: [
          { type: 'shell', name: 'apt-baseline', filler: 30 },
          { type: 'shell', name: 'install-web', filler: 8 },
        ],
        failure: {
          at: 1,
          lines: [
            '    azure-arm: Reading package lists...',
            '    azure-arm: Building dependency tree...',
            '    azure-arm: Reading state information...',
            '==> azure-arm: E: Unable to locate package nginx-extras-plus',
            'ERR packer-provisioner-shell plugin: [INFO] RPC client: Communicator ended with: 100',
            '==> azure-arm: Script exited with non-zero exit status: 100. Allowed exit codes are: [0]',
          ],
          erroredWith: 'Script exited with non-zero exit status: 100. Allowed exit codes are: [0]',
        },
      },
    },
  },
  {
    name: 'win2022-appbundle',
    expectedId: 'file-download-failed',
    os: 'windows',
    template: {
      source: sources.win2022,
      customize: [
        c.powershell('baseline', ['Set-TimeZone -Id "UTC"']),
        c.file('app-bundle', `${ARTIFACTS}/windows/appbundle-3.2.zip`, 'C:\\buildArtifacts\\appbundle.zip'),
        c.powershell('install-bundle', ['Expand-Archive C:\\buildArtifacts\\appbundle.zip C:\\apps']),
      ],
      distribute: [galleryTarget('win2022-app', 'win2022-appbundle-sig')],
    },
    status: {
      kind: 'run-failed',
      subState: 'Customizing',
      message: PACKER_FAILED_URL_STYLE,
      log: {
        os: 'windows',
        customizers: [
          { type: 'powershell', name: 'baseline', filler: 18 },
          { type: 'file', name: 'appbundle.zip', filler: 0 },
        ],
        failure: {
          at: 1,
          lines: [
            ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(
              (n) =>
                `ERR packer-provisioner-file plugin: Downloading external file (${ARTIFACTS}/windows/appbundle-3.2.zip) to local file (f3a9c2d1.1.customizer.fp) [attempt ${n} of 10] failed: Error downloading '${ARTIFACTS}/windows/appbundle-3.2.zip' to 'f3a9c2d1.1.customizer.fp'..`,
            ),
            `==> azure-arm: Error downloading '${ARTIFACTS}/windows/appbundle-3.2.zip' to 'f3a9c2d1.1.customizer.fp': bad response code: 403`,
          ],
          erroredWith: `Error downloading '${ARTIFACTS}/windows/appbundle-3.2.zip' to 'f3a9c2d1.1.customizer.fp': bad response code: 403`,
        },
      },
    },
  },
  {
    name: 'win2019-sqlmedia',
    expectedId: 'large-file-download',
    os: 'windows',
    template: {
      source: sources.win2019,
      customize: [c.file('sql-media', `${ARTIFACTS}/windows/sql/SQLServer2019-x64-ENU.iso`, 'C:\\setup\\sql.iso'), c.powershellScript('sql-install', `${ARTIFACTS}/windows/sql/install.ps1`)],
      distribute: [galleryTarget('win2019-sql', 'win2019-sqlmedia-sig')],
      buildTimeoutInMinutes: 240,
    },
    status: {
      kind: 'run-failed',
      subState: 'Customizing',
      message:
        "Deployment failed. Correlation ID: {correlationId}. Failed in building/customizing image: Failed while waiting for packerizer: Timeout waiting for microservice to complete: 'context deadline exceeded'",
      log: {
        os: 'windows',
        customizers: [{ type: 'file', name: 'sql.iso', filler: 0 }],
        failure: {
          at: 0,
          lines: [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7].flatMap((pct) => [
            'OUT ',
            `RAW SQLServer2019-x64-ENU.iso ${Math.round(1503238553 * pct / 100)} B / 1503238553 B  ${pct.toFixed(2)}%`,
          ]),
          abrupt: true,
        },
      },
    },
    tookMinutes: 240,
  },
  {
    name: 'ubuntu2204-devtools',
    expectedId: 'build-timeout',
    os: 'linux',
    template: {
      source: sources.ubuntu2204,
      customize: [
        c.shell('apt-baseline', ['sudo apt-get update']),
        c.shell('devtools', ['sudo apt-get install build-essential gdb valgrind']),
      ],
      distribute: [galleryTarget('ubuntu2204-devtools', 'ubuntu2204-devtools-sig')],
      buildTimeoutInMinutes: 60,
    },
    status: {
      kind: 'run-failed',
      subState: 'Customizing',
      message:
        "Deployment failed. Correlation ID: {correlationId}. Failed in building/customizing image: Failed while waiting for packerizer: Timeout waiting for microservice to complete: 'context deadline exceeded'",
      log: {
        os: 'linux',
        customizers: [
          { type: 'shell', name: 'apt-baseline', filler: 30 },
          { type: 'shell', name: 'devtools', filler: 6 },
        ],
        failure: {
          at: 1,
          lines: [
            '    azure-arm: The following NEW packages will be installed:',
            '    azure-arm:   build-essential dpkg-dev g++ g++-11 gdb libc6-dev libstdc++-11-dev make valgrind',
            '    azure-arm: 0 upgraded, 9 newly installed, 0 to remove and 3 not upgraded.',
            '    azure-arm: Need to get 61.4 MB of archives.',
            '    azure-arm: After this operation, 231 MB of additional disk space will be used.',
            '    azure-arm: Do you want to continue? [Y/n]',
          ],
          abrupt: true,
        },
      },
    },
    tookMinutes: 60,
  },
  {
    name: 'win2016-wu',
    expectedId: 'windows-restart-1190',
    os: 'windows',
    template: {
      source: sources.win2016,
      customize: [c.windowsUpdate(), c.restart('restart-after-updates', '15m'), c.powershell('features', ['Install-WindowsFeature -Name Telnet-Client'])],
      distribute: [managedImageTarget('win2016-patched', 'win2016-wu-mi')],
    },
    status: {
      kind: 'run-failed',
      subState: 'Customizing',
      message: PACKER_FAILED_URL_STYLE,
      log: {
        os: 'windows',
        customizers: [
          { type: 'windows-update', name: 'windows-update', filler: 30 },
          { type: 'windows-restart', name: 'restart-after-updates', filler: 0 },
        ],
        failure: {
          at: 1,
          lines: [
            ...Array.from({ length: 6 }, () => [
              "ERR packer-provisioner-windows-restart plugin: [INFO] starting remote command: shutdown /r /f /t 0 /c \"packer restart\"",
              '==> azure-arm: A system shutdown has already been scheduled.(1190)',
              'ERR packer-provisioner-windows-restart plugin: Retryable error: Machine not yet available (exit status 1190)',
            ]).flat(),
            '==> azure-arm: Timeout waiting for machine to restart.',
          ],
          erroredWith: 'Timeout waiting for machine to restart.',
        },
      },
    },
    tookMinutes: 58,
  },
  {
    name: 'win2019-wu-d1',
    expectedId: 'low-resources',
    os: 'windows',
    template: {
      source: sources.win2019,
      customize: [c.windowsUpdate(), c.restart()],
      distribute: [managedImageTarget('win2019-patched', 'win2019-wu-d1-mi')],
      vmProfile: { vmSize: 'Standard_D1_v2' },
    },
    status: {
      kind: 'run-failed',
      subState: 'Customizing',
      message: PACKER_FAILED_PATH_STYLE,
      log: {
        os: 'windows',
        customizers: [{ type: 'windows-update', name: 'windows-update', filler: 24 }],
        failure: {
          at: 0,
          lines: [
            '    azure-arm: Waiting for operation to complete (system performance: 3% cpu; 38% memory)...',
            '    azure-arm: Waiting for operation to complete (system performance: 58% cpu; 36% memory)...',
            '    azure-arm: Waiting for operation to complete (system performance: 94% cpu; 33% memory)...',
            '    azure-arm: Waiting for the Windows Modules Installer to exit...',
            "ERR packer: [INFO] command 'PowerShell -ExecutionPolicy Bypass -OutputFormat Text -File C:/Windows/Temp/packer-windows-update-elevated.ps1' exited with code: 101",
            '==> azure-arm: Restarting the machine...',
            'ERR packer: [INFO] RPC endpoint: Communicator ended with: 101',
            '==> azure-arm: Waiting for machine to become available...',
            'ERR packer: [INFO] starting remote command: shutdown.exe -f -r -t 0 -c "packer restart"',
            '==> azure-arm: A system shutdown is in progress.(1115)',
            'ERR packer: [INFO] command \'shutdown.exe -f -r -t 60 -c "packer restart test"\' exited with code: 1115',
            'ERR packer-provisioner-windows-update: Retryable error: Machine not yet available (exit status 1115)',
          ],
          erroredWith: 'unexpected EOF',
        },
      },
    },
    tookMinutes: 47,
  },
  {
    name: 'win2019-minimal',
    expectedId: 'sysprep-timing',
    os: 'windows',
    template: {
      source: sources.win2019,
      customize: [c.powershell('marker', ['New-Item -Path C:\\image-build.txt -ItemType File'])],
      distribute: [managedImageTarget('win2019-minimal', 'win2019-minimal-mi')],
      vmProfile: { vmSize: 'Standard_D1_v2' },
    },
    status: {
      kind: 'run-failed',
      subState: 'Customizing',
      message: PACKER_FAILED_URL_STYLE,
      log: {
        os: 'windows',
        customizers: [{ type: 'powershell', name: 'marker', filler: 4 }],
        failure: {
          at: 'deprovision',
          lines: [
            '    azure-arm: IMAGE_STATE_COMPLETE',
            "==> azure-arm: Get-Service : Cannot find any service with service name 'WindowsAzureGuestAgent'.",
            '==> azure-arm: At C:\\DeprovisioningScript.ps1:6 char:9',
            '==> azure-arm: + while ((Get-Service WindowsAzureGuestAgent) -and ((Get-Service Window ...',
            '==> azure-arm:     + CategoryInfo          : ObjectNotFound: (WindowsAzureGuestAgent:String) [Get-Service], ServiceCommandException',
            '==> azure-arm:     + FullyQualifiedErrorId : NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.GetServiceCommand',
            ...Array.from({ length: 40 }, () => '    azure-arm: IMAGE_STATE_UNDEPLOYABLE'),
            'ERR Cancelling builder after context cancellation context canceled',
            'Cancelling build after receiving terminated',
            'ERR packer: Cancelling provisioning due to context cancellation: context canceled',
          ],
          erroredWith: 'build was cancelled',
        },
      },
    },
    tookMinutes: 64,
  },
  {
    name: 'ubuntu2204-hardened-fw',
    expectedId: 'connection-lost',
    os: 'linux',
    template: {
      source: sources.ubuntu2204,
      customize: [
        c.shell('apt-baseline', ['sudo apt-get update', 'sudo apt-get install -y ufw']),
        c.shell('firewall', ['sudo ufw default deny incoming', 'sudo ufw --force enable', 'sudo apt-get -y upgrade']),
      ],
      distribute: [galleryTarget('ubuntu2204-hardened', 'ubuntu2204-hardened-fw-sig')],
    },
    status: {
      kind: 'run-failed',
      subState: 'Customizing',
      message: PACKER_FAILED_PATH_STYLE,
      log: {
        os: 'linux',
        customizers: [
          { type: 'shell', name: 'apt-baseline', filler: 24 },
          { type: 'shell', name: 'firewall', filler: 3, output: ['    azure-arm: Default incoming policy changed to \'deny\'', '    azure-arm: Firewall is active and enabled on system startup'] },
        ],
        failure: {
          at: 1,
          lines: [
            'ERR Cancelling builder after context cancellation context canceled',
            'Cancelling build after receiving terminated',
            'ERR packer-builder-azure-arm plugin: Cancelling hook after context cancellation context canceled',
            'ERR packer-builder-azure-arm plugin: Cancelling provisioning due to context cancellation: context canceled',
            'ERR packer-builder-azure-arm plugin: [ERROR] Remote command exited without exit status or exit signal.',
            'ERR packer-builder-azure-arm plugin: [INFO] RPC endpoint: Communicator ended with: 2300218',
            "ERR [INFO] 148974 bytes written for 'stdout'",
            "ERR [INFO] 0 bytes written for 'stderr'",
            'ERR [INFO] RPC client: Communicator ended with: 2300218',
          ],
          abrupt: true,
        },
      },
    },
    // Packer lost the VM when the firewall closed SSH, well before the 240-minute timeout: a lost connection.
    tookMinutes: 47,
  },
  {
    name: 'ubuntu2204-slim',
    expectedId: 'waagent-missing',
    os: 'linux',
    template: {
      source: sources.ubuntu2204,
      customize: [c.shell('slim-down', ['sudo apt-get purge -y walinuxagent snapd', 'sudo apt-get autoremove -y'])],
      distribute: [galleryTarget('ubuntu2204-slim', 'ubuntu2204-slim-sig')],
    },
    status: {
      kind: 'run-failed',
      subState: 'Customizing',
      message: PACKER_FAILED_URL_STYLE,
      log: {
        os: 'linux',
        customizers: [{ type: 'shell', name: 'slim-down', filler: 30, output: ['    azure-arm: Removing walinuxagent (2.2.46-0ubuntu5.1) ...', '    azure-arm: Removing snapd (2.61.3+22.04) ...'] }],
        failure: {
          at: 'deprovision',
          lines: [
            '==> azure-arm: /tmp/DeprovisioningScript.sh: line 3: /usr/sbin/waagent: No such file or directory',
            'ERR packer-provisioner-shell plugin: [INFO] RPC client: Communicator ended with: 127',
            '==> azure-arm: Script exited with non-zero exit status: 127. Allowed exit codes are: [0]',
          ],
          erroredWith: 'Script exited with non-zero exit status: 127. Allowed exit codes are: [0]',
        },
      },
    },
  },
];
