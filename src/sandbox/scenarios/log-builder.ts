import { seededRandom } from '../ids';
import type { CustomizerLog, LogLine, LogSpec, Os, ProvisionerType } from './scenario-types';

// Turns a LogSpec into a customization.log that reads like AIB's: Packer's azure-arm builder deploying the
// build VM, one telemetry-delimited block per customizer, the hidden deprovisioning step, capture and summary.
// Filler comes from a seeded PRNG so the same run id always gives the same bytes.

export interface LogContext {
  /** Prefix of every Packer line: AIB prints the run's id in brackets. */
  runId: string;
  start: Date;
  templateName: string;
  stagingGroup: string;
  location: string;
}

class LogWriter {
  readonly lines: string[] = [];
  private clock: number;

  constructor(
    private readonly ctx: LogContext,
    readonly rnd: () => number,
  ) {
    this.clock = ctx.start.getTime();
  }

  tick(maxSeconds: number): void {
    this.clock += Math.floor(this.rnd() * maxSeconds * 1000);
  }

  elapsed(): string {
    const s = Math.max(1, Math.round((this.clock - this.ctx.start.getTime()) / 1000));
    return `${Math.floor(s / 60)} minutes ${s % 60} seconds`;
  }

  private stamp(): string {
    return new Date(this.clock).toISOString().replace('T', ' ').replace(/-/g, '/').slice(0, 19);
  }

  write(line: LogLine): void {
    const prefix = `[${this.ctx.runId}] PACKER`;
    if (line.startsWith('RAW ')) this.lines.push(line.slice(4));
    else if (line.startsWith('ERR ')) this.lines.push(`${prefix} ERR ${this.stamp()} ${line.slice(4)}`);
    else if (line.startsWith('OUT ')) this.lines.push(`${prefix} OUT ${line.slice(4)}`);
    else this.lines.push(`${prefix} OUT ${line}`);
  }

  all(lines: LogLine[]): void {
    for (const l of lines) {
      this.tick(3);
      this.write(l);
    }
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rnd() * items.length)];
  }
}

const LINUX_PACKAGES = [
  ['curl', '7.81.0-1ubuntu1.16'], ['jq', '1.6-2.1ubuntu3'], ['unzip', '6.0-26ubuntu3.2'], ['git', '1:2.34.1-1ubuntu1.11'],
  ['nginx', '1.18.0-6ubuntu14.4'], ['python3-pip', '22.0.2+dfsg-1ubuntu0.4'], ['auditd', '1:3.0.7-1build1'],
  ['chrony', '4.2-2ubuntu2'], ['libssl3', '3.0.2-0ubuntu1.15'], ['ca-certificates', '20230311ubuntu0.22.04.1'],
  ['apt-transport-https', '2.4.12'], ['gnupg', '2.2.27-3ubuntu2.1'], ['azure-cli', '2.61.0-1~jammy'], ['docker-ce', '5:26.1.3-1~ubuntu.22.04~jammy'],
] as const;

const WINDOWS_FEATURES = ['Web-Server', 'Web-Asp-Net45', 'NET-Framework-45-Core', 'RSAT-AD-PowerShell', 'Telnet-Client', 'Containers', 'Web-Mgmt-Console'] as const;
const WINDOWS_DOWNLOADS = [
  'https://aka.ms/vs/17/release/vc_redist.x64.exe',
  'https://download.microsoft.com/download/dotnet/8.0/windowsdesktop-runtime-8.0.5-win-x64.exe',
  'https://github.com/PowerShell/PowerShell/releases/download/v7.4.2/PowerShell-7.4.2-win-x64.msi',
  'https://aka.ms/installazurecliwindowsx64',
] as const;

function linuxShellFiller(w: LogWriter, n: number): void {
  w.write('    azure-arm: Hit:1 http://azure.archive.ubuntu.com/ubuntu jammy InRelease');
  let i = 2;
  while (i < n / 3) {
    const kb = Math.floor(w.rnd() * 900) + 3;
    w.write(`    azure-arm: Get:${i} http://azure.archive.ubuntu.com/ubuntu jammy-updates/main amd64 Packages [${kb} kB]`);
    i++;
  }
  w.write('    azure-arm: Reading package lists...');
  w.write('    azure-arm: Building dependency tree...');
  w.write('    azure-arm: Reading state information...');
  let written = i + 3;
  while (written < n) {
    const [pkg, ver] = w.pick(LINUX_PACKAGES);
    w.tick(4);
    w.write(w.pick([
      `    azure-arm: Unpacking ${pkg} (${ver}) ...`,
      `    azure-arm: Setting up ${pkg} (${ver}) ...`,
      `    azure-arm: Selecting previously unselected package ${pkg}.`,
      `    azure-arm: Preparing to unpack .../${pkg}_${ver.replace(/^\d+:/, '')}_amd64.deb ...`,
      '    azure-arm: Processing triggers for man-db (2.10.2-1) ...',
      `ERR packer-provisioner-shell plugin: [INFO] ${Math.floor(w.rnd() * 4000) + 100} bytes written for 'stdout'`,
    ]));
    written++;
  }
}

function windowsPowerShellFiller(w: LogWriter, n: number): void {
  for (let i = 0; i < n; i++) {
    w.tick(6);
    const feature = w.pick(WINDOWS_FEATURES);
    w.write(w.pick([
      `    azure-arm: Installing ${feature}...`,
      `    azure-arm: Downloading ${w.pick(WINDOWS_DOWNLOADS)}`,
      '    azure-arm: Success Restart Needed Exit Code      Feature Result',
      `    azure-arm: True    No             Success        {${feature}}`,
      `    azure-arm: VERBOSE: Performing the operation "Set-ItemProperty" on target "HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\${feature}".`,
      `ERR packer-provisioner-powershell plugin: [INFO] ${Math.floor(w.rnd() * 3000) + 64} bytes written for 'stdout'`,
      'ERR packer-provisioner-powershell plugin: [INFO] RPC client: Communicator ended with: 0',
    ]));
  }
}

function startCustomizer(w: LogWriter, os: Os, c: CustomizerLog, index: number): void {
  w.write(`ERR [INFO] (telemetry) Starting provisioner ${c.type}`);
  const label = c.name ?? `customizer-${index}`;
  switch (c.type) {
    case 'shell':
      w.write(`==> azure-arm: Provisioning with shell script: /tmp/packer-shell${Math.floor(w.rnd() * 9e8) + 1e8}`);
      w.write(`ERR packer-provisioner-shell plugin: [INFO] '${label}' uploading to /tmp/script_${Math.floor(w.rnd() * 9000) + 1000}.sh`);
      break;
    case 'powershell':
      w.write(`==> azure-arm: Provisioning with powershell script: C:/Windows/Temp/script-${Math.floor(w.rnd() * 9e8) + 1e8}.ps1`);
      w.write(`ERR packer-provisioner-powershell plugin: [INFO] '${label}' elevated execution: ${w.rnd() > 0.5}`);
      break;
    case 'file':
      w.write(`==> azure-arm: Uploading ${label} => ${os === 'windows' ? 'C:\\buildArtifacts\\' : '/tmp/'}${label}`);
      break;
    case 'windows-restart':
      w.write('==> azure-arm: Restarting Machine');
      w.write('==> azure-arm: Waiting for machine to restart...');
      break;
    case 'windows-update':
      w.write("    azure-arm: Searching for Windows updates using the criteria 'IsInstalled=0'...");
      break;
  }
}

function fillCustomizer(w: LogWriter, os: Os, type: ProvisionerType, n: number): void {
  switch (type) {
    case 'shell':
      linuxShellFiller(w, n);
      break;
    case 'powershell':
      windowsPowerShellFiller(w, n);
      break;
    case 'file': {
      const bytes = Math.floor(w.rnd() * 4e6) + 2048;
      w.write(`    azure-arm: ${bytes} bytes`);
      w.write(`ERR packer-provisioner-file plugin: [INFO] upload finished, ${bytes} bytes`);
      break;
    }
    case 'windows-restart':
      w.write(`    azure-arm: ${os === 'windows' ? 'WIN-' : ''}${'ABCDEFGH'[Math.floor(w.rnd() * 8)]}${Math.floor(w.rnd() * 9e5) + 1e5} restarted.`);
      break;
    case 'windows-update':
      for (let i = 0; i < Math.max(3, Math.floor(n / 3)); i++) {
        w.tick(30);
        const kb = 5030000 + Math.floor(w.rnd() * 9999);
        w.write(w.pick([
          `    azure-arm: Found Windows update (2024-05-14; ${(w.rnd() * 800 + 1).toFixed(1)} MB): 2024-05 Cumulative Update for Microsoft server operating system (KB${kb})`,
          `    azure-arm: Downloading Windows update (KB${kb})...`,
          `    azure-arm: Installing Windows update (KB${kb})...`,
          '    azure-arm: Waiting for operation to complete (system performance: 38% cpu; 41% memory)...',
        ]));
      }
      break;
  }
}

function endCustomizer(w: LogWriter, c: CustomizerLog): void {
  if (c.type === 'windows-restart') w.write('==> azure-arm: Machine successfully restarted, moving on');
  w.write(`ERR [INFO] (telemetry) ending ${c.type}`);
}

function header(w: LogWriter, ctx: LogContext): void {
  const deployment = `pkrdp${Math.floor(w.rnd() * 36 ** 8).toString(36).padStart(8, '0')}`;
  w.all([
    'azure-arm: output will be in this color.',
    'ERR [INFO] Packer version: 1.10.2 [go1.21.8 linux amd64]',
    'ERR [INFO] Packer Target OS/Arch: linux amd64',
    'ERR [INFO] Built with Go Version: go1.21.8',
    'ERR Loading config file: /root/.config/packer/packer.json',
    ...['azure-arm', 'azure-chroot', 'azure-dtl'].map((b) => `ERR [INFO] found external [-packer-default-plugin-name-] builders from azure plugin: ${b}`),
    ...['breakpoint', 'file', 'powershell', 'shell', 'shell-local', 'windows-restart', 'windows-shell'].map((p) => `ERR [DEBUG] Discovered plugin: ${p} = /usr/bin/packer`),
    'ERR [INFO] PACKER_CONFIG env var not set; checking the default config file path',
    'ERR [INFO] Setting cache directory: /root/.cache/packer',
    'ERR [INFO] Packer config: &{PluginMinPort:10000 PluginMaxPort:25000 Builders:map[] Provisioners:map[] PostProcessors:map[]}',
    'ERR [TRACE] validateValue: not active for communicator, so skipping',
    'ERR [INFO] Starting internal plugin packer-builder-azure-arm',
    'ERR [INFO] Starting internal plugin packer-provisioner-shell',
    'ERR [INFO] Starting internal plugin packer-provisioner-powershell',
    'ERR [INFO] Starting internal plugin packer-provisioner-file',
    'ERR [INFO] (telemetry) Starting azure-arm',
    `==> azure-arm: Running builder ...`,
    '==> azure-arm: Getting tokens using Managed Identity for Azure',
    `    azure-arm: Creating Azure Resource Manager (ARM) client ...`,
    `==> azure-arm: Using existing resource group ...`,
    `==> azure-arm:  -> ResourceGroupName : '${ctx.stagingGroup}'`,
    `==> azure-arm:  -> Location          : '${ctx.location}'`,
    `==> azure-arm: Validating deployment template ...`,
    `==> azure-arm:  -> ResourceGroupName : '${ctx.stagingGroup}'`,
    `==> azure-arm:  -> DeploymentName    : '${deployment}'`,
    `==> azure-arm: Deploying deployment template ...`,
    `==> azure-arm:  -> ResourceGroupName : '${ctx.stagingGroup}'`,
    `==> azure-arm:  -> DeploymentName    : '${deployment}'`,
  ]);
  w.tick(120);
}

function connect(w: LogWriter, os: Os): void {
  const comm = os === 'windows' ? 'WinRM' : 'SSH';
  w.all([
    `==> azure-arm: Getting the VM's IP address ...`,
    `==> azure-arm:  -> IP Address        : '10.1.0.${Math.floor(w.rnd() * 200) + 4}'`,
    `==> azure-arm: Waiting for ${comm} to become available...`,
  ]);
  w.tick(90);
  w.all([`==> azure-arm: Connected to ${comm}!`, `ERR packer-builder-azure-arm plugin: [INFO] ${comm} connection established`]);
}

function deprovision(w: LogWriter, os: Os, failure?: LogLine[]): void {
  if (os === 'linux') {
    w.all([
      'ERR [INFO] (telemetry) Starting provisioner shell',
      '==> azure-arm: Provisioning with shell script: /tmp/DeprovisioningScript.sh',
      '    azure-arm: WARNING! The waagent service will be stopped.',
      '    azure-arm: WARNING! Cached DHCP leases will be deleted.',
      '    azure-arm: WARNING! root password will be disabled. You will not be able to login as root.',
      '    azure-arm: WARNING! /etc/resolv.conf will be deleted.',
      '    azure-arm: WARNING! packer account and entire home directory will be deleted.',
    ]);
    if (failure) return w.all(failure);
    w.all(['ERR [INFO] (telemetry) ending shell']);
    return;
  }
  w.all([
    'ERR [INFO] (telemetry) Starting provisioner powershell',
    '==> azure-arm: Provisioning with powershell script: C:\\DeprovisioningScript.ps1',
    "    azure-arm: >>> Waiting for GA Service (RdAgent) to start ...",
    "    azure-arm: >>> Waiting for GA Service (WindowsAzureTelemetryService) to start ...",
    "    azure-arm: >>> Waiting for GA Service (WindowsAzureGuestAgent) to start ...",
    '    azure-arm: >>> Sysprepping VM ...',
  ]);
  if (failure) return w.all(failure);
  w.all([
    '    azure-arm: IMAGE_STATE_COMPLETE',
    '    azure-arm: IMAGE_STATE_UNDEPLOYABLE',
    '    azure-arm: IMAGE_STATE_GENERALIZE_RESEAL_TO_OOBE',
    "    azure-arm: >>> Sysprep complete ...",
    'ERR [INFO] (telemetry) ending powershell',
  ]);
}

function capture(w: LogWriter, ctx: LogContext, extra: LogLine[] = []): void {
  w.all([
    "==> azure-arm: Querying the machine's properties ...",
    "==> azure-arm: Querying the machine's additional disks properties ...",
    '==> azure-arm: Powering off machine ...',
  ]);
  w.tick(60);
  w.all(['==> azure-arm: Generalizing machine ...', '==> azure-arm: Capturing image ...']);
  w.all(extra);
  w.tick(240);
  w.all([
    `==> azure-arm:  -> Image ResourceGroupName   : '${ctx.stagingGroup}'`,
    `==> azure-arm:  -> Image Name                : '${ctx.templateName}-${ctx.runId.slice(0, 8)}'`,
    `==> azure-arm:  -> Image Location            : '${ctx.location}'`,
    '==> azure-arm: Deleting individual resources ...',
    '==> azure-arm: Removing the created Deployment object: ...',
  ]);
}

function cleanupAfterFailure(w: LogWriter): void {
  const id = Math.floor(w.rnd() * 36 ** 10).toString(36).padStart(10, '0');
  w.all([
    '==> azure-arm: Provisioning step had errors: Running the cleanup provisioner, if present...',
    '==> azure-arm: ',
    '==> azure-arm: The resource group was not created by Packer, deleting individual resources ...',
    '==> azure-arm: Deleting Virtual Machine deployment and its attached resources...',
    `==> azure-arm: Deleting -> Microsoft.Compute/virtualMachines : pkrvm${id}`,
    `==> azure-arm: Deleting -> Microsoft.Network/networkInterfaces : pkrni${id}`,
    `==> azure-arm: Deleting -> Microsoft.Network/publicIPAddresses : pkrip${id}`,
    `==> azure-arm: Deleting -> Microsoft.Compute/disks : pkros${id}`,
  ]);
}

function trailer(w: LogWriter, ctx: LogContext, erroredWith?: string, noArtifacts = false): void {
  if (erroredWith !== undefined) {
    w.all([
      `Build 'azure-arm' errored after ${w.elapsed()}: ${erroredWith}`,
      '',
      `==> Wait completed after ${w.elapsed()}`,
      "==> Some builds didn't complete successfully and had errors:",
      `--> azure-arm: ${erroredWith}`,
      '',
      '==> Builds finished but no artifacts were created.',
      'ERR [INFO] (telemetry) Finalizing.',
      'ERR waiting for all plugin processes to complete...',
      `RAW Done exporting Packer logs to Azure for Packer prefix: [${ctx.runId}] PACKER OUT`,
    ]);
    return;
  }
  if (noArtifacts) {
    w.all([
      `Build 'azure-arm' finished after ${w.elapsed()}.`,
      '',
      `==> Wait completed after ${w.elapsed()}`,
      '==> Builds finished but no artifacts were created.',
      'ERR [INFO] (telemetry) Finalizing.',
      'ERR waiting for all plugin processes to complete...',
      `RAW Done exporting Packer logs to Azure for Packer prefix: [${ctx.runId}] PACKER OUT`,
    ]);
    return;
  }
  w.all([
    `Build 'azure-arm' finished after ${w.elapsed()}.`,
    '',
    `==> Wait completed after ${w.elapsed()}`,
    '',
    '==> Builds finished. The artifacts of successful builds are:',
    '--> azure-arm: Azure.ResourceManagement.VMImage:',
    '',
    `OSType: ${/win/i.test(ctx.templateName) ? 'Windows' : 'Linux'}`,
    `ManagedImageResourceGroupName: ${ctx.stagingGroup}`,
    `ManagedImageName: ${ctx.templateName}-${ctx.runId.slice(0, 8)}`,
    `ManagedImageLocation: ${ctx.location}`,
    'ERR [INFO] (telemetry) Finalizing.',
    'ERR waiting for all plugin processes to complete...',
    `RAW Done exporting Packer logs to Azure for Packer prefix: [${ctx.runId}] PACKER OUT`,
  ]);
}

/** Renders the whole log; partialLog() cuts it for a build that is still writing it. */
export function buildCustomizationLog(spec: LogSpec, ctx: LogContext): string {
  const w = new LogWriter(ctx, seededRandom(`${ctx.templateName}:${ctx.runId}`));
  const volume = spec.volume ?? 3;
  const f = spec.failure;
  header(w, ctx);
  if (f?.at === 'build') {
    w.all(f.lines);
    if (!f.abrupt) {
      cleanupAfterFailure(w);
      trailer(w, ctx, f.erroredWith);
    }
    return w.lines.join('\n') + '\n';
  }
  connect(w, spec.os);
  for (let i = 0; i < spec.customizers.length; i++) {
    const c = spec.customizers[i];
    startCustomizer(w, spec.os, c, i);
    fillCustomizer(w, spec.os, c.type, Math.round((c.filler ?? 25) * volume));
    if (c.output) w.all(c.output);
    if (f?.at === i) {
      w.all(f.lines);
      if (f.abrupt) return w.lines.join('\n') + '\n';
      endCustomizer(w, c);
      cleanupAfterFailure(w);
      trailer(w, ctx, f.erroredWith);
      return w.lines.join('\n') + '\n';
    }
    endCustomizer(w, c);
  }
  if (spec.afterCustomizers) w.all(spec.afterCustomizers);
  if (f?.at === 'deprovision') {
    deprovision(w, spec.os, f.lines);
    if (!f.abrupt) {
      cleanupAfterFailure(w);
      trailer(w, ctx, f.erroredWith);
    }
    return w.lines.join('\n') + '\n';
  }
  deprovision(w, spec.os);
  capture(w, ctx, spec.duringCapture);
  if (f?.at === 'distribute') {
    w.all(f.lines);
    if (!f.abrupt) trailer(w, ctx, f.erroredWith);
    return w.lines.join('\n') + '\n';
  }
  trailer(w, ctx, undefined, spec.noArtifacts);
  return w.lines.join('\n') + '\n';
}

/** The first `fraction` of a rendered log, for a build that is still running. */
export function partialLog(full: string, fraction: number): string {
  const lines = full.split('\n');
  const keep = Math.max(1, Math.floor(lines.length * fraction));
  return lines.slice(0, keep).join('\n') + '\n';
}
