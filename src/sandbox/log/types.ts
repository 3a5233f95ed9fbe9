// What callers ask the log generator for: a synthesized log of a given size with planted failures (benchmarks, the
// 200 MB sandbox log), or a scenario's LogSpec rendered around the lines a catalog entry needs.

export type SynthOs = 'linux' | 'windows';

/** Harmless oddities a successful AIB build can print; each maps to a benign catalog id. */
export type BenignNoise = 'no-artifacts-warning' | 'image-creation-skipped' | 'resource-deletion-retry';

export interface SynthFailure {
  /** Where the lines go, as a fraction (0..1) of the generated size. */
  atFraction: number;
  /**
   * Lines written in order. A line that already starts with `[` (an AIB prefix) or `Done exporting` is kept
   * as is; any other line gets this log's `[<run>] PACKER OUT ` prefix.
   */
  lines: string[];
  /**
   * Provisioner type to open around the lines (`shell`, `powershell`, `file`, `windows-restart`…). Defaults
   * to `shell` on Linux and `powershell` on Windows. Nothing is opened when the lines carry their own
   * `(telemetry) Starting provisioner` line.
   */
  customizer?: string;
}

export interface SynthOptions {
  os: SynthOs;
  targetBytes: number;
  seed?: number;
  /** Without failures the log is a complete successful build. The last failure's customizer never ends. */
  failures?: SynthFailure[];
  packerRunId?: string;
  /** Benign warnings to weave into a successful build (ignored once a failure is present). */
  benign?: BenignNoise[];
}

export type Os = SynthOs;

/** Packer provisioner names as AIB's telemetry lines print them. */
export type ProvisionerType = 'shell' | 'powershell' | 'file' | 'windows-restart' | 'windows-update';

/**
 * A log line. 'OUT text' and 'ERR text' become `[<packer run id>] PACKER OUT|ERR …` (ERR lines get Packer's
 * timestamp); 'RAW text' is written as is; any other text is treated as 'OUT'.
 */
export type LogLine = string;

export interface CustomizerLog {
  type: ProvisionerType;
  /** Name of the customizer in the template (shown by telemetry as the script it ran). */
  name?: string;
  /** What the customizer printed; generic filler of the right flavour surrounds it. */
  output?: LogLine[];
  /** Filler lines to add before `output` (default 25). */
  filler?: number;
}

export interface LogFailure {
  /** 'build': while deploying the build VM; a number: that customizer; 'deprovision': the hidden last step. */
  at: 'build' | number | 'deprovision' | 'distribute';
  lines: LogLine[];
  /** Packer's verdict: "Build 'azure-arm' errored after …: <erroredWith>". Absent: no verdict line. */
  erroredWith?: string;
  /** The service stopped the build: the log ends after the cancellation lines, without Packer's summary. */
  abrupt?: boolean;
}

export interface LogSpec {
  os: Os;
  customizers: CustomizerLog[];
  /** Absent: the build ran through. */
  failure?: LogFailure;
  /** Lines written after the customizers of a build that went through (benign warnings live here). */
  afterCustomizers?: LogLine[];
  /** Lines written while capturing the image (e.g. "Skipping image creation..."). */
  duringCapture?: LogLine[];
  /** Packer's closing summary of a build that went through says no artifacts were created (AIB captures itself). */
  noArtifacts?: boolean;
  /** Filler volume multiplier; 1 gives a few hundred lines. */
  volume?: number;
}
