// Everything that can stop `npm run package`, with stable codes so scripts and tests can tell the causes apart.

export type PackageErrorCode =
  | 'placeholder-missing'
  | 'placeholder-invalid'
  | 'manifest-unreadable'
  | 'manifest-invalid'
  | 'icon-invalid'
  | 'env-file-unreadable'
  | 'usage';

export class PackageError extends Error {
  constructor(
    readonly code: PackageErrorCode,
    message: string,
    /** The environment variables the error is about, when it is about some. */
    readonly variables: readonly string[] = [],
  ) {
    super(message);
    this.name = 'PackageError';
  }
}
