// The packaging tools' errors: a stable code to switch on, and the class's own name in stack traces and logs.

export class CodedError<C extends string> extends Error {
  constructor(
    readonly code: C,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
