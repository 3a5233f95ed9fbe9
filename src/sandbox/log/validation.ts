import { packerTimestamp } from './packer-lines';

// validation.log: the second Packer run that executes `validate.inVMValidations` on a VM made from the captured
// image. Written in the 2025-2026 line shape (`[<id>] PACKER <ts> ui: ==> azure-arm: …`), one block per validator.

export interface ValidatorSpec {
  type: 'Shell' | 'PowerShell' | 'File';
  name: string;
}

export interface ValidationLogSpec {
  validators: ValidatorSpec[];
  /** The validator that fails and the lines it prints before failing; absent when every validator passes. */
  failure?: { validator: string; lines: string[]; exitCode?: number };
}

export function buildValidationLog(spec: ValidationLogSpec, runId: string, start: Date): string {
  let ms = start.getTime();
  const out: string[] = [];
  const ui = (text: string, error = false) => {
    ms += 2000;
    out.push(`[${runId}] PACKER ${packerTimestamp(ms)} ui${error ? ' error' : ''}: ${text}`);
  };
  ui('==> azure-arm: Running validation on a VM created from the captured image ...');
  for (const v of spec.validators) {
    ui(`==> azure-arm: (telemetry) Starting validator ${v.name}`);
    ui(`==> azure-arm: Provisioning with ${v.type === 'PowerShell' ? 'powershell' : v.type === 'File' ? 'file' : 'shell'} validator '${v.name}' ...`);
    if (spec.failure?.validator === v.name) {
      for (const line of spec.failure.lines) ui(`    azure-arm: ${line}`);
      const code = spec.failure.exitCode ?? 1;
      ui(`==> azure-arm: Script exited with non-zero exit status: ${code}. Allowed exit codes are: [0]`, true);
      ui(`==> azure-arm: (telemetry) ending ${v.name}`);
      ui(`Build 'azure-arm' errored after ${Math.round((ms - start.getTime()) / 1000)}s: validator '${v.name}' exited with status ${code}`, true);
      ui('==> Some builds didn\'t complete successfully and had errors:', true);
      return out.join('\n') + '\n';
    }
    ui(`    azure-arm: validator ${v.name} passed`);
    ui(`==> azure-arm: (telemetry) ending ${v.name}`);
  }
  ui("Build 'azure-arm' finished: every validator passed.");
  return out.join('\n') + '\n';
}
