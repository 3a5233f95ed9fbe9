// The sandbox's customization.log generator: `synthesizeLog` streams a log of any size with planted failures (the
// 200 MB sandbox log, benchmarks); `buildCustomizationLog` renders a seeded scenario's LogSpec. One module family:
// Linux, Windows and failure blocks each live in their own file.

export { buildCustomizationLog, partialLog } from './scenario-log';
export { synthesizeLog } from './synthesize';
export type { LogContext } from './packer-lines';
export type { BenignNoise, CustomizerLog, LogFailure, LogLine, LogSpec, Os, ProvisionerType, SynthFailure, SynthOptions, SynthOs } from './types';
export { buildValidationLog } from './validation';
export type { ValidationLogSpec, ValidatorSpec } from './validation';
