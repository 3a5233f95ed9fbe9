import type { LineMaker, LogWriter } from './packer-lines';
import type { SynthFailure, SynthOs } from './types';

// Failure blocks: the lines a caller plants into a synthesized log (wrapped in the customizer they belong to), and
// Packer's clean-up after a failed provisioning step in a scenario log.

export function failureLines(m: LineMaker, os: SynthOs, failure: SynthFailure, isLast: boolean): string[] {
  const type = failure.customizer ?? (os === 'linux' ? 'shell' : 'powershell');
  const own = failure.lines.some((l) => l.includes('(telemetry) Starting provisioner'));
  const lines: string[] = own ? [] : [m.telemetryStart(type)];
  for (const l of failure.lines) {
    lines.push(l.startsWith('[') || l.startsWith('Done exporting') ? l : m.out(l));
  }
  if (!isLast && !failure.lines.some((l) => l.includes('(telemetry) ending'))) lines.push(m.telemetryEnd(type));
  return lines;
}

export function cleanupAfterFailure(w: LogWriter): void {
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
