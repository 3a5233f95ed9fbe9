// Typed input errors of the pure core. Stable codes: the CLI maps them to exit 2, the bot to a helpful card.

export type DiagnosisInputErrorCode = 'template-not-json' | 'template-not-object' | 'template-unrecognised' | 'no-input';

export class DiagnosisInputError extends Error {
  constructor(
    readonly code: DiagnosisInputErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DiagnosisInputError';
  }
}
