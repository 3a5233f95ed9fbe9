// Shapes shared by the pure diagnosis core. Nothing here does I/O.

export const PHASES = [
  'submission',
  'build',
  'customization',
  'validation',
  'distribution',
  'pipeline',
  'after-build',
  'benign',
  'fallback',
  'success',
] as const;
export type Phase = (typeof PHASES)[number];

export const ACTION_NAMES = [
  'delete-template',
  'rerun',
  'cancel-run',
  'recreate-larger-timeout',
  'recreate-larger-vm',
  'grant-permissions',
  'show-log',
  'open-support-case',
  'cleanup-staging',
] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

export type Confidence = 'high' | 'medium' | 'low';

/** Where a piece of text came from: the template status, a pasted message, or the customization.log. */
export type EvidenceSource = 'status' | 'text' | 'log';

export interface Evidence {
  source: EvidenceSource;
  /** 1-based line number in the source text or log. */
  line: number;
  text: string;
}

export interface CustomizerRef {
  /** Packer provisioner type as telemetry prints it: shell, powershell, file, windows-restart, windows-update… */
  type: string;
  /** 0-based index into the template's `customize` array, when the template is known. */
  index?: number;
  /** The customizer's `name` in the template, when known. */
  name?: string;
  /** The line of its `(telemetry) Starting provisioner` entry. */
  startLine?: number;
  /** Whether telemetry shows it ending (false: it was still running when the log stopped). */
  finished: boolean;
  /** True for the hidden deprovisioning step AIB adds after the user's customizers. */
  deprovision?: boolean;
  /**
   * True when this is an in-VM validator (`validate.inVMValidations`) rather than a customizer: `type` is then
   * the validator's type as the template writes it (Shell, PowerShell, File) and `index` points into that list.
   */
  validator?: boolean;
}

export interface DiagnosisIds {
  operationId?: string;
  correlationId?: string;
  packerRunId?: string;
  templateId?: string;
  logUrl?: string;
}
