import { ARM, armLro, armRequest, armRg } from './build-vm';
import type { LineMaker, LogContext, LogWriter } from './packer-lines';
import { int } from './random';
import type { BenignNoise, LogLine, SynthOs } from './types';

// The end of a build that went through: power-off, capture, clean-up and Packer's artifact summary (synthesized
// logs, with the benign warnings a successful build may print), and the capture and verdict of scenario logs.

export function formatDuration(ms: number): string {
  const total = Math.max(1, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const min = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts: string[] = [];
  if (h > 0) parts.push(`${h} hour${h === 1 ? '' : 's'}`);
  if (min > 0) parts.push(`${min} minute${min === 1 ? '' : 's'}`);
  parts.push(`${s} second${s === 1 ? '' : 's'}`);
  return parts.join(' ');
}

export function successFooter(m: LineMaker, os: SynthOs, benign: ReadonlySet<BenignNoise>, startMs: number): string[] {
  const n = m.names;
  const vmUrl = `${armRg(n)}/providers/Microsoft.Compute/virtualMachines/${n.vm}`;
  const diskId = `/subscriptions/${n.subscription}/resourceGroups/${n.stagingRg}/providers/Microsoft.Compute/disks/${n.osDisk}`;
  const imageId = `/subscriptions/${n.subscription}/resourceGroups/${n.stagingRg}/providers/Microsoft.Compute/images/${n.imageName}`;
  const lines = [
    m.say("Querying the machine's properties ..."),
    m.say(` -> ResourceGroupName : '${n.stagingRg}'`),
    m.say(` -> ComputeName       : '${n.vm}'`),
    m.say(` -> Managed OS Disk   : '${diskId}'`),
    armRequest(m, 'GET', vmUrl),
    m.say("Querying the machine's additional disks properties ..."),
    m.say(` -> ResourceGroupName : '${n.stagingRg}'`),
    m.say(` -> ComputeName       : '${n.vm}'`),
    m.say('Powering off machine ...'),
    m.say(` -> ResourceGroupName : '${n.stagingRg}'`),
    m.say(` -> ComputeName       : '${n.vm}'`),
    ...armLro(m, 'POST', `${vmUrl}/powerOff`, '', int(m.rng, 2, 4)),
  ];
  if (benign.has('image-creation-skipped')) {
    lines.push(m.say('Skipping image creation...'));
  } else {
    lines.push(
      m.say('Capturing image ...'),
      m.say(` -> Compute ResourceGroupName : '${n.stagingRg}'`),
      m.say(` -> Compute Name              : '${n.vm}'`),
      m.say(` -> Compute Location          : '${n.location}'`),
      m.say(` -> Image ResourceGroupName   : '${n.stagingRg}'`),
      m.say(` -> Image Name                : '${n.imageName}'`),
      m.say(` -> Image Location            : '${n.location}'`),
      ...armLro(m, 'POST', `${vmUrl}/generalize`, '', 1),
      ...armLro(m, 'PUT', `${ARM}${imageId}`, `{\\"location\\":\\"${n.location}\\",\\"properties\\":{\\"sourceVirtualMachine\\":{\\"id\\":\\"${vmUrl.slice(ARM.length)}\\"}}}`, int(m.rng, 2, 5)),
    );
  }
  lines.push(
    m.say(`Removing the created Deployment object: '${n.deployment}'`),
    armRequest(m, 'DELETE', `${armRg(n)}/providers/Microsoft.Resources/deployments/${n.deployment}`),
    m.say(''),
    m.say('The resource group was not created by Packer, deleting individual resources ...'),
    m.say(`Adding to deletion queue -> Microsoft.Compute/virtualMachines : '${n.vm}'`),
    m.say(`Adding to deletion queue -> Microsoft.Network/networkInterfaces : '${n.nic}'`),
    m.say(`Adding to deletion queue -> Microsoft.Network/virtualNetworks : '${n.vnet}'`),
    m.say(`Adding to deletion queue -> Microsoft.Network/publicIPAddresses : '${n.ip}'`),
    m.say('Waiting for deletion of all resources...'),
    armRequest(m, 'DELETE', vmUrl),
    armRequest(m, 'DELETE', `${armRg(n)}/providers/Microsoft.Network/networkInterfaces/${n.nic}`),
    armRequest(m, 'DELETE', `${armRg(n)}/providers/Microsoft.Network/publicIPAddresses/${n.ip}`),
  );
  if (benign.has('resource-deletion-retry')) {
    const ipId = `/subscriptions/${n.subscription}/resourceGroups/${n.stagingRg}/providers/Microsoft.Network/publicIPAddresses/${n.ip}`;
    const nicId = `/subscriptions/${n.subscription}/resourceGroups/${n.stagingRg}/providers/Microsoft.Network/networkInterfaces/${n.nic}`;
    lines.push(
      m.say('Error deleting resource. Will retry.'),
      m.say(`Name: ${n.ip}`),
      m.say(`Error: network.PublicIPAddressesClient#Delete: Failure sending request: StatusCode=400 -- Original Error: Code="PublicIPAddressCannotBeDeleted" Message="Public IP address ${ipId} can not be deleted since it is still allocated to resource ${nicId}/ipConfigurations/ipconfig. In order to delete the public IP, disassociate/detach the Public IP address from the resource.  To learn how to do this, see aka.ms/deletepublicip." Details=[]`),
      m.say(''),
    );
    m.advance(10000, 30000);
    lines.push(
      armRequest(m, 'DELETE', `${armRg(n)}/providers/Microsoft.Network/virtualNetworks/${n.vnet}`),
      m.say('Error deleting resource. Will retry.'),
      m.say(`Name: ${n.vnet}`),
      m.say(`Error: network.VirtualNetworksClient#Delete: Failure sending request: StatusCode=400 -- Original Error: Code="InUseSubnetCannotBeDeleted" Message="Subnet ${n.vnet}-subnet is in use by ${nicId}/ipConfigurations/ipconfig and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet. See aka.ms/deletesubnet." Details=[]`),
      m.say(''),
    );
    m.advance(10000, 30000);
    lines.push(armRequest(m, 'DELETE', `${armRg(n)}/providers/Microsoft.Network/publicIPAddresses/${n.ip}`));
  }
  lines.push(
    armRequest(m, 'DELETE', `${armRg(n)}/providers/Microsoft.Network/virtualNetworks/${n.vnet}`),
    m.say(` Deleting -> Microsoft.Compute/disks : '${diskId}'`),
    armRequest(m, 'DELETE', `${ARM}${diskId}`),
  );
  if (os === 'windows') {
    lines.push(m.say(`Removing the created Deployment object: '${n.kvDeployment}'`), armRequest(m, 'DELETE', `${armRg(n)}/providers/Microsoft.Resources/deployments/${n.kvDeployment}`), m.say(` Deleting -> Microsoft.KeyVault/vaults : '${n.keyVault}'`));
  }
  const took = formatDuration(m.elapsedSince(startMs));
  lines.push(m.core('[INFO] (telemetry) ending azure-arm'), m.out(`Build 'azure-arm' finished after ${took}.`), m.out(''), m.out(`==> Wait completed after ${took}`), m.out(''));
  if (benign.has('no-artifacts-warning') || benign.has('image-creation-skipped')) {
    lines.push(m.out('==> Builds finished but no artifacts were created.'));
  } else {
    lines.push(
      m.out('==> Builds finished. The artifacts of successful builds are:'),
      m.out('--> azure-arm: Azure.ResourceManagement.VMImage:'),
      m.out(''),
      m.out(`OSType: ${os === 'linux' ? 'Linux' : 'Windows'}`),
      m.out(`ManagedImageResourceGroupName: ${n.stagingRg}`),
      m.out(`ManagedImageName: ${n.imageName}`),
      m.out(`ManagedImageId: ${imageId}`),
      m.out(`ManagedImageLocation: ${n.location}`),
      m.out(''),
    );
  }
  lines.push(m.core('[INFO] (telemetry) Finalizing.'), m.core('waiting for all plugin processes to complete...'), m.core('/usr/bin/packer: plugin process exited'), `Done exporting Packer logs to Azure for Packer prefix: [${n.runId}] PACKER OUT`);
  return lines;
}

export function scenarioCapture(w: LogWriter, ctx: LogContext, extra: LogLine[] = []): void {
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

export function scenarioTrailer(w: LogWriter, ctx: LogContext, erroredWith?: string, noArtifacts = false): void {
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
