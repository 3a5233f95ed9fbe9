import { deploymentLines, armRequest, armResponse, armRg, packerPreamble } from './build-vm';
import type { Block } from './blocks';
import type { LineMaker, LogWriter } from './packer-lines';
import { guid, hex, int, pad2, pick } from './random';
import type { LogLine } from './types';

// Windows builds: the WinRM-connected header with its Key Vault certificate, Windows Update, restarts, PowerShell
// and Chocolatey customizers, Sysprep (synthesized logs), and the PowerShell filler and Sysprep of scenario logs.

export function windowsHeader(m: LineMaker): string[] {
  const n = m.names;
  const lines = packerPreamble(m);
  const secretUrl = `https://${n.keyVault}.vault.azure.net/secrets/packerKeyVaultSecret/${hex(m.rng, 32)}`;
  lines.push(
    armRequest(m, 'GET', armRg(n)),
    armResponse(m, '200 OK', 'GET', armRg(n), `{\\"id\\":\\"/subscriptions/${n.subscription}/resourceGroups/${n.stagingRg}\\",\\"location\\":\\"${n.location}\\",\\"properties\\":{\\"provisioningState\\":\\"Succeeded\\"}}`),
    m.say('Using existing resource group ...'),
    m.say(` -> ResourceGroupName : '${n.stagingRg}'`),
    m.say(` -> Location          : '${n.location}'`),
    m.say('Validating deployment template ...'),
    m.say(` -> ResourceGroupName : '${n.stagingRg}'`),
    m.say(` -> DeploymentName    : '${n.deployment}'`),
    m.say('Creating a new Key Vault for the WinRM certificate ...'),
  );
  lines.push(...deploymentLines(m, n.kvDeployment, [`Microsoft.KeyVault/vaults/${n.keyVault}`]));
  lines.push(
    m.say("Getting the certificate's URL ..."),
    m.say(` -> Key Vault Name        : '${n.keyVault}'`),
    m.say(" -> Key Vault Secret Name : 'packerKeyVaultSecret'"),
    m.say(` -> Certificate URL       : '${secretUrl}'`),
    m.say('Setting the certificate\'s URL ...'),
  );
  lines.push(...deploymentLines(m, n.deployment, [`Microsoft.Network/publicIPAddresses/${n.ip}`, `Microsoft.Network/virtualNetworks/${n.vnet}`, `Microsoft.Network/networkInterfaces/${n.nic}`, `Microsoft.Compute/virtualMachines/${n.vm}`]));
  lines.push(
    m.say("Getting the VM's IP address ..."),
    m.say(` -> ResourceGroupName   : '${n.stagingRg}'`),
    m.say(` -> PublicIPAddressName : '${n.ip}'`),
    m.say(` -> NicName             : '${n.nic}'`),
    m.say(" -> Network Connection  : 'PublicEndpoint'"),
    m.say(` -> IP Address          : '${n.publicIp}'`),
    m.say('Waiting for WinRM to become available...'),
    m.plugin('[INFO] Waiting for WinRM, up to timeout: 10m0s'),
    m.plugin('[INFO] Attempting WinRM connection...'),
    m.plugin('[DEBUG] connecting to remote shell using WinRM'),
    m.plugin(`[ERROR] connection error: unknown error Post "https://${n.publicIp}:5986/wsman": dial tcp ${n.publicIp}:5986: i/o timeout`),
    m.plugin('[ERROR] WinRM connection err: unknown error Post "https://' + n.publicIp + ':5986/wsman": dial tcp ' + n.publicIp + ':5986: i/o timeout'),
  );
  m.advance(20000, 60000);
  lines.push(
    m.plugin('[INFO] Attempting WinRM connection...'),
    m.plugin('[DEBUG] connecting to remote shell using WinRM'),
    m.msg('WinRM connected.'),
    m.say('Connected to WinRM!'),
    m.core('Running the provision hook'),
  );
  return lines;
}

export const WINDOWS_FILES: ReadonlyArray<readonly [string, string]> = [
  ['C:\\buildArtifacts\\index.html', 'index.html'],
  ['C:\\Windows\\Temp\\bginfo.bgi', 'bginfo.bgi'],
  ['C:\\ProgramData\\agent\\settings.json', 'settings.json'],
  ['C:\\inetpub\\wwwroot\\web.config', 'web.config'],
];

export const KBS: ReadonlyArray<readonly [string, string, number]> = [
  ['KB5037422', 'Cumulative Update for Microsoft server operating system version 21H2 for x64-based Systems', 324.6],
  ['KB5037930', 'Cumulative Update for .NET Framework 3.5, 4.8 and 4.8.1 for Microsoft server operating system version 21H2 for x64', 71.2],
  ['KB890830', 'Windows Malicious Software Removal Tool x64 - v5.124', 71.9],
  ['KB2267602', 'Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.411.245.0)', 103.5],
  ['KB5036620', 'Servicing Stack Update for Microsoft server operating system version 21H2 for x64-based Systems', 18.3],
  ['KB4052623', 'Update for Microsoft Defender Antivirus antimalware platform - KB4052623 (Version 4.18.24040.4)', 12.8],
];

export function windowsUpdateBlock(m: LineMaker): Block {
  const rng = m.rng;
  const head = [
    m.telemetryStart('windows-update'),
    m.say('Uploading the Windows update elevated script...'),
    m.say('Uploading the Windows update check for reboot required elevated script...'),
    m.say('Uploading the Windows update script...'),
    m.say('Running Windows update...'),
  ];
  const body: string[] = [];
  const rounds = int(rng, 1, 2);
  const ym = new Date(m.now);
  const month = `${ym.getUTCFullYear()}-${pad2(ym.getUTCMonth() + 1)}`;
  // Each round installs what the previous one did not, as a second search after a reboot would.
  let remaining = [...KBS];
  for (let r = 0; r < rounds; r++) {
    const picked = remaining.filter(() => rng() < 0.6);
    if (picked.length === 0) break;
    remaining = remaining.filter((k) => !picked.includes(k));
    body.push(m.msg('Searching for Windows updates...'));
    m.advance(20000, 90000);
    for (const [kb, title, mb] of picked) {
      body.push(m.msg(`Found Windows update (${month}-${pad2(int(rng, 1, 28))}; ${mb} MB): ${month} ${title} (${kb})`));
    }
    const total = picked.reduce((s, k) => s + k[2], 0).toFixed(1);
    body.push(m.msg(`Downloading Windows updates (${picked.length} updates; ${total} MB)...`));
    for (let i = 0; i < int(rng, 2, 8); i++) {
      m.advance(10000, 60000);
      body.push(m.msg(`Waiting for operation to complete (system performance: ${int(rng, 3, 45)}% cpu; ${int(rng, 25, 55)}% memory)...`));
    }
    body.push(m.msg('Installing Windows updates...'));
    for (let i = 0; i < int(rng, 3, 12); i++) {
      m.advance(10000, 60000);
      body.push(m.msg(`Waiting for operation to complete (system performance: ${int(rng, 5, 60)}% cpu; ${int(rng, 30, 60)}% memory)...`));
    }
    if (rng() < 0.5) body.push(m.msg('Waiting for the Windows Modules Installer to exit...'));
    body.push(m.msg('Pending reboot...'));
    body.push(
      m.plugin("[INFO] command 'PowerShell -ExecutionPolicy Bypass -OutputFormat Text -File C:/Windows/Temp/packer-windows-update-elevated.ps1' exited with code: 101"),
      m.say('Restarting the machine...'),
      m.plugin('[INFO] starting remote command: shutdown.exe -f -r -t 0 -c "packer restart"'),
      m.plugin('[INFO] command \'shutdown.exe -f -r -t 0 -c "packer restart"\' exited with code: 0'),
      m.say('Waiting for machine to become available...'),
    );
    m.advance(60000, 180000);
    body.push(
      m.plugin('[INFO] starting remote command: shutdown.exe -f -r -t 60 -c "packer restart test"'),
      m.plugin('[INFO] command \'shutdown.exe -f -r -t 60 -c "packer restart test"\' exited with code: 0'),
      m.plugin('[INFO] starting remote command: shutdown.exe -a'),
      m.say('Running Windows update...'),
    );
  }
  body.push(m.msg('Searching for Windows updates...'), m.msg('No Windows updates found.'));
  const tail = [
    m.plugin("[INFO] command 'PowerShell -ExecutionPolicy Bypass -OutputFormat Text -File C:/Windows/Temp/packer-windows-update-elevated.ps1' exited with code: 0"),
    m.core('[INFO] RPC client: Communicator ended with: 0'),
    m.telemetryEnd('windows-update'),
  ];
  return { head, body, tail };
}

export function windowsRestartBlock(m: LineMaker): Block {
  const head = [
    m.telemetryStart('windows-restart'),
    m.say('Restarting Machine'),
    m.plugin('[INFO] starting remote command: shutdown /r /f /t 0 /c "packer restart"'),
    m.plugin('[INFO] command \'shutdown /r /f /t 0 /c "packer restart"\' exited with code: 0'),
    m.say('Waiting for machine to restart...'),
  ];
  m.advance(30000, 120000);
  const body = [
    m.plugin('[INFO] starting remote command: shutdown /r /f /t 60 /c "packer restart test"'),
    m.plugin('[INFO] command \'shutdown /r /f /t 60 /c "packer restart test"\' exited with code: 0'),
    m.plugin('Check if machine is rebooting...'),
    m.plugin('[INFO] starting remote command: shutdown /a'),
    m.msg(`${m.names.vm.toUpperCase().slice(0, 15)} restarted.`),
  ];
  const tail = [m.say('Machine successfully restarted, moving on'), m.telemetryEnd('windows-restart')];
  return { head, body, tail };
}

export const CHOCO_PACKAGES: ReadonlyArray<readonly [string, string]> = [
  ['googlechrome', '125.0.6422.77'],
  ['vscode', '1.89.1'],
  ['git', '2.45.1'],
  ['7zip', '24.5.0'],
  ['notepadplusplus', '8.6.7'],
  ['azure-cli', '2.61.0'],
  ['powershell-core', '7.4.2'],
  ['dotnet-8.0-sdk', '8.0.300'],
];

export const WINDOWS_FEATURES: readonly string[] = ['Web-Server', 'Web-Asp-Net45', 'NET-Framework-45-Core', 'RSAT-AD-PowerShell', 'Telnet-Client', 'Web-Mgmt-Console', 'FS-Resource-Manager'];

export function powershellBlock(m: LineMaker): Block {
  const rng = m.rng;
  const scriptGuid = guid(rng);
  const command = `powershell -executionpolicy bypass "& { if (Test-Path variable:global:ProgressPreference){set-variable -name variable:global:ProgressPreference -value 'SilentlyContinue'};. c:/Windows/Temp/packer-ps-env-vars-${hex(rng, 8)}.ps1; &'c:/Windows/Temp/script-${scriptGuid}.ps1'; exit $LastExitCode }"`;
  const head = [
    m.telemetryStart('powershell'),
    m.say(`Provisioning with powershell script: /tmp/powershell-provisioner${int(rng, 100000000, 999999999)}`),
    m.plugin(`[INFO] Uploading file to 'c:/Windows/Temp/script-${scriptGuid}.ps1'`),
    m.plugin(`[INFO] starting remote command: ${command}`),
  ];
  const body: string[] = [];
  const kind = int(rng, 0, 2);
  if (kind === 0) {
    body.push(m.msg('Chocolatey v2.2.2'), m.msg(`Installing the following packages:`));
    const chosen = CHOCO_PACKAGES.filter(() => rng() < 0.6);
    const list = chosen.length > 0 ? chosen : [CHOCO_PACKAGES[0] as readonly [string, string]];
    body.push(m.msg(list.map((p) => p[0]).join(';')), m.msg('By installing, you agree to the license terms of each package.'));
    for (const [name, version] of list) {
      m.advance(5000, 40000);
      body.push(
        m.msg(''),
        m.msg(`${name} v${version} [Approved]`),
        m.msg(`${name} package files install completed. Performing other installation steps.`),
        m.msg(`Downloading ${name} 64 bit`),
        m.msg(`  from 'https://community.chocolatey.org/api/v2/package/${name}/${version}'`),
      );
      for (let i = 0, n = int(rng, 5, 25); i < n; i++) body.push(m.msg(`Progress: ${Math.round(((i + 1) * 100) / n)}% - Saving ${int(rng, 1, 90)}.${int(rng, 10, 99)} MB of ${int(rng, 90, 200)}.${int(rng, 10, 99)} MB`));
      body.push(m.msg(`Installing ${name}...`), m.msg(`${name} has been installed.`));
      if (rng() < 0.3) body.push(m.say(`WARNING: No registry key found based on  '${name}*'`));
      body.push(m.msg(`  ${name} can be automatically uninstalled.`), m.msg(` The install of ${name} was successful.`), m.msg(`  Software installed to 'C:\\Program Files\\${name}'`));
    }
    body.push(m.msg(''), m.msg(`Chocolatey installed ${list.length}/${list.length} packages. `), m.msg(' See the log for details (C:\\ProgramData\\chocolatey\\logs\\chocolatey.log).'));
  } else if (kind === 1) {
    const features = WINDOWS_FEATURES.filter(() => rng() < 0.5);
    body.push(m.msg(''), m.msg('Success Restart Needed Exit Code      Feature Result'), m.msg('------- -------------- ---------      --------------'));
    m.advance(30000, 240000);
    body.push(m.msg(`True    No             Success        {${features.join(', ') || 'Telnet Client'}}`), m.msg(''));
  } else {
    body.push(m.msg('>>> Configuring the image'));
    const settings = ['Disable IE Enhanced Security Configuration', 'Set time zone to UTC', 'Disable Server Manager at logon', 'Enable RDP', 'Set power plan to High performance', 'Configure Windows Defender exclusions', 'Remove built-in AppX packages'];
    for (const s of settings.filter(() => rng() < 0.6)) {
      body.push(m.msg(`  ${s} ... done`));
    }
    if (rng() < 0.5) body.push(m.say('WARNING: The names of some imported commands from the module \'PSWindowsUpdate\' include unapproved verbs that might make them less discoverable.'));
    body.push(m.msg(`Completed in ${int(rng, 2, 90)}.${int(rng, 100, 999)} seconds`));
  }
  const tail = [
    m.plugin(`[INFO] command '${command}' exited with code: 0`),
    m.plugin('[INFO] RPC endpoint: Communicator ended with: 0'),
    m.core(`[INFO] ${int(rng, 100, 20000)} bytes written for 'stdout'`),
    m.core(`[INFO] 0 bytes written for 'stderr'`),
    m.core('[INFO] RPC client: Communicator ended with: 0'),
    m.telemetryEnd('powershell'),
  ];
  return { head, body, tail };
}

/** The DeprovisioningScript.ps1 AIB runs, as the powershell provisioner echoes it before running it. */
export const DEPROVISION_PS1: readonly string[] = [
  "Write-Output '>>> Waiting for GA Service (RdAgent) to start ...'",
  "while ((Get-Service RdAgent) -and ((Get-Service RdAgent).Status -ne 'Running')) { Start-Sleep -s 5 }",
  "Write-Output '>>> Waiting for GA Service (WindowsAzureTelemetryService) to start ...'",
  "while ((Get-Service WindowsAzureTelemetryService) -and ((Get-Service WindowsAzureTelemetryService).Status -ne 'Running')) { Start-Sleep -s 5 }",
  "Write-Output '>>> Waiting for GA Service (WindowsAzureGuestAgent) to start ...'",
  "while ((Get-Service WindowsAzureGuestAgent) -and ((Get-Service WindowsAzureGuestAgent).Status -ne 'Running')) { Start-Sleep -s 5 }",
  "Write-Output '>>> Sysprepping VM ...'",
  'if( Test-Path $Env:SystemRoot\\system32\\Sysprep\\unattend.xml ) {',
  '  Remove-Item $Env:SystemRoot\\system32\\Sysprep\\unattend.xml -Force',
  '}',
  '& $Env:SystemRoot\\System32\\Sysprep\\Sysprep.exe /oobe /generalize /quiet /quit',
  'while($true) {',
  '  $imageState = (Get-ItemProperty HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Setup\\State).ImageState',
  '  Write-Output $imageState',
  "  if ($imageState -eq 'IMAGE_STATE_GENERALIZE_RESEAL_TO_OOBE') { break }",
  '  Start-Sleep -s 5',
  '}',
  "Write-Output '>>> Sysprep complete ...'",
];

export function windowsDeprovision(m: LineMaker): string[] {
  const lines = [
    m.telemetryStart('powershell'),
    m.plugin('Found command: if( TEST-PATH c:\\DeprovisioningScript.ps1 ){cat c:\\DeprovisioningScript.ps1} else {echo "Deprovisioning script [c:\\DeprovisioningScript.ps1] could not be found. Image build may fail or the VM created from the Image may not boot. Please make sure the deprovisioning script is not accidentally deleted by a Customizer in the Template."}'),
    m.say(`Provisioning with powershell script: /tmp/powershell-provisioner${int(m.rng, 100000000, 999999999)}`),
  ];
  for (const l of DEPROVISION_PS1) lines.push(m.msg(l));
  lines.push(m.msg('>>> Waiting for GA Service (RdAgent) to start ...'), m.msg('>>> Waiting for GA Service (WindowsAzureTelemetryService) to start ...'), m.msg('>>> Waiting for GA Service (WindowsAzureGuestAgent) to start ...'), m.msg('>>> Sysprepping VM ...'));
  m.advance(5000, 15000);
  lines.push(m.msg('IMAGE_STATE_COMPLETE'));
  for (let i = 0, n = int(m.rng, 3, 9); i < n; i++) {
    m.advance(5000, 5200);
    lines.push(m.msg('IMAGE_STATE_UNDEPLOYABLE'));
  }
  m.advance(5000, 5200);
  lines.push(m.msg('IMAGE_STATE_GENERALIZE_RESEAL_TO_OOBE'), m.msg('>>> Sysprep complete ...'), m.core('[INFO] RPC client: Communicator ended with: 0'), m.telemetryEnd('powershell'));
  return lines;
}

export const SCENARIO_WINDOWS_FEATURES = ['Web-Server', 'Web-Asp-Net45', 'NET-Framework-45-Core', 'RSAT-AD-PowerShell', 'Telnet-Client', 'Containers', 'Web-Mgmt-Console'] as const;
export const SCENARIO_WINDOWS_DOWNLOADS = [
  'https://aka.ms/vs/17/release/vc_redist.x64.exe',
  'https://download.microsoft.com/download/dotnet/8.0/windowsdesktop-runtime-8.0.5-win-x64.exe',
  'https://github.com/PowerShell/PowerShell/releases/download/v7.4.2/PowerShell-7.4.2-win-x64.msi',
  'https://aka.ms/installazurecliwindowsx64',
] as const;

export function windowsPowerShellFiller(w: LogWriter, n: number): void {
  for (let i = 0; i < n; i++) {
    w.tick(6);
    const feature = w.pick(SCENARIO_WINDOWS_FEATURES);
    w.write(w.pick([
      `    azure-arm: Installing ${feature}...`,
      `    azure-arm: Downloading ${w.pick(SCENARIO_WINDOWS_DOWNLOADS)}`,
      '    azure-arm: Success Restart Needed Exit Code      Feature Result',
      `    azure-arm: True    No             Success        {${feature}}`,
      `    azure-arm: VERBOSE: Performing the operation "Set-ItemProperty" on target "HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\${feature}".`,
      `ERR packer-provisioner-powershell plugin: [INFO] ${Math.floor(w.rnd() * 3000) + 64} bytes written for 'stdout'`,
      'ERR packer-provisioner-powershell plugin: [INFO] RPC client: Communicator ended with: 0',
    ]));
  }
}

/** The hidden last customizer of a Windows scenario build (Sysprep); `failure` replaces its ending. */
export function windowsScenarioDeprovision(w: LogWriter, failure?: LogLine[]): void {
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
