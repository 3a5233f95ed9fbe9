import type { BuildNames, LineMaker, LogContext, LogWriter } from './packer-lines';
import { guid, int } from './random';
import type { Os } from './types';

// Packer's azure-arm builder bringing up the build VM: its start-up lines, the ARM requests and long-running
// operations it logs, the deployment of the VM (synthesized logs), and the shorter header and connect step of
// scenario logs.

export const ARM = 'https://management.azure.com';

export function armRg(n: BuildNames): string {
  return `${ARM}/subscriptions/${n.subscription}/resourceGroups/${n.stagingRg}`;
}

export function armRequest(m: LineMaker, method: string, url: string, body = ''): string {
  return m.plugin(`Azure request method="${method}" request="${url}?[REDACTED]" body="${body}"`);
}

export function armResponse(m: LineMaker, status: string, method: string, url: string, body: string): string {
  return m.plugin(`Azure response status="${status}" method="${method}" request="${url}?[REDACTED]" x-ms-request-id="${guid(m.rng)}" body="${body}"`);
}

/** An ARM long-running operation: the request, a few "Running" polls and the final "Succeeded". */
export function armLro(m: LineMaker, method: string, url: string, body: string, polls: number): string[] {
  const lines = [armRequest(m, method, url, body), armResponse(m, method === 'PUT' ? '201 Created' : '202 Accepted', method, url, '')];
  const statusUrl = `${ARM}/subscriptions/${m.names.subscription}/providers/Microsoft.Compute/locations/${m.names.location}/operations/${guid(m.rng)}`;
  for (let i = 0; i < polls; i++) {
    m.advance(4000, 15000);
    lines.push(armRequest(m, 'GET', statusUrl));
    const done = i === polls - 1;
    lines.push(armResponse(m, '200 OK', 'GET', statusUrl, `{\\"startTime\\":\\"${new Date(m.now - 30000).toISOString()}\\",\\"status\\":\\"${done ? 'Succeeded' : 'InProgress'}\\",\\"name\\":\\"${guid(m.rng)}\\"}`));
  }
  return lines;
}

export function packerPreamble(m: LineMaker): string[] {
  return [
    m.core('[INFO] Packer version: 1.8.7 [go1.19.10 linux amd64]'),
    m.core("Checking 'PACKER_CONFIG' for a config file path"),
    m.core("'PACKER_CONFIG' not set; checking the default config file path"),
    m.core('Attempting to open config file: /root/.packerconfig'),
    m.core("[WARN] Config file doesn't exist: /root/.packerconfig"),
    m.core('Setting cache directory: /root/.cache/packer'),
    m.core('[INFO] Setting up 1 builders'),
    m.core('Build debug mode: false'),
    m.core('Force build: false'),
    m.core('On error: cleanup'),
    m.core('Waiting on builds to complete...'),
    m.core('Starting build run: azure-arm'),
    m.core('Running builder: azure-arm'),
    m.core('[INFO] (telemetry) Starting builder azure-arm'),
    m.out('azure-arm: output will be in this color.'),
    m.out(''),
    m.say('Running builder ...'),
    m.say('Getting tokens using Managed Identity for Azure'),
    m.msg('Creating Azure Resource Manager (ARM) client ...'),
  ];
}

export function deploymentLines(m: LineMaker, deployment: string, resources: string[]): string[] {
  const n = m.names;
  const base = `${armRg(n)}/providers/Microsoft.Resources/deployments/${deployment}`;
  const lines = [
    m.say('Validating deployment template ...'),
    m.say(` -> ResourceGroupName : '${n.stagingRg}'`),
    m.say(` -> DeploymentName    : '${deployment}'`),
    armRequest(m, 'POST', `${base}/validate`, '{\\"properties\\":{\\"mode\\":\\"Incremental\\",\\"parameters\\":{\\"adminUsername\\":{\\"value\\":\\"packer\\"}}}}'),
    armResponse(m, '200 OK', 'POST', `${base}/validate`, `{\\"id\\":\\"${base.slice(ARM.length)}\\",\\"name\\":\\"${deployment}\\",\\"properties\\":{\\"provisioningState\\":\\"Succeeded\\"}}`),
    m.say('Deploying deployment template ...'),
    m.say(` -> ResourceGroupName : '${n.stagingRg}'`),
    m.say(` -> DeploymentName    : '${deployment}'`),
    armRequest(m, 'PUT', base, '{\\"properties\\":{\\"mode\\":\\"Incremental\\"}}'),
    armResponse(m, '201 Created', 'PUT', base, '{\\"properties\\":{\\"provisioningState\\":\\"Accepted\\"}}'),
  ];
  const polls = int(m.rng, 3, 7);
  const opId = `0858${int(m.rng, 1000000000, 9999999999)}${int(m.rng, 100000, 999999)}`;
  for (let i = 0; i < polls; i++) {
    m.advance(5000, 15000);
    const url = `${base}/operationStatuses/${opId}`;
    lines.push(armRequest(m, 'GET', url));
    lines.push(armResponse(m, '200 OK', 'GET', url, `{\\"status\\":\\"${i === polls - 1 ? 'Succeeded' : 'Running'}\\"}`));
  }
  lines.push(armRequest(m, 'GET', base));
  lines.push(armRequest(m, 'GET', `${base}/operations`));
  for (const r of resources) {
    lines.push(m.plugin(`[INFO] Deployment operation ${r}: provisioningState=Succeeded`));
  }
  return lines;
}

export function scenarioHeader(w: LogWriter, ctx: LogContext): void {
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

export function scenarioConnect(w: LogWriter, os: Os): void {
  const comm = os === 'windows' ? 'WinRM' : 'SSH';
  w.all([
    `==> azure-arm: Getting the VM's IP address ...`,
    `==> azure-arm:  -> IP Address        : '10.1.0.${Math.floor(w.rnd() * 200) + 4}'`,
    `==> azure-arm: Waiting for ${comm} to become available...`,
  ]);
  w.tick(90);
  w.all([`==> azure-arm: Connected to ${comm}!`, `ERR packer-builder-azure-arm plugin: [INFO] ${comm} connection established`]);
}
