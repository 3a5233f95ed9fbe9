/**
 * Recognising a pasted error (DevOps task output, CLI error, template status JSON, customization.log lines) as
 * opposed to a question. A paste goes to the diagnosis engine whole; a question goes to the rule tables.
 */

// Any one of these means the message is, or contains, machine output. Literal-ish patterns only: they run over the
// whole message, which may be 100 kB.
const MACHINE_OUTPUT: readonly RegExp[] = [
  /##\[error\]/i,
  /##\[(?:section|warning|debug)\]/,
  /"code"\s*:/i,
  /\{\s*"error"/i,
  /"(?:runState|runSubState|provisioningState|lastRunStatus|provisioningError)"\s*:/,
  /\bPACKER (?:OUT|ERR)\b/,
  /\(telemetry\)/,
  /\bDeployment failed\b/i,
  /\bCode: \S/,
  /\bStatusCode=\d{3}\b/,
  /\bOriginal Error:/,
  /\bCorrelation ID:/i,
  /\bfailed with message '/,
  /\bpackerizer\b/i,
  /^ERROR: /m,
  // Stack traces: JavaScript/.NET frames, Python, Go and PowerShell error records.
  /^[ \t]+at [^\n]{1,300}:\d+(?::\d+)?\)?[ \t\r]*$/m,
  /\bTraceback \(most recent call last\)/,
  /\bgoroutine \d+ \[/,
  /\+ (?:CategoryInfo|FullyQualifiedErrorId)\s*:/,
];

// Weaker hints: enough to treat an otherwise unrecognised message as an error to diagnose, not enough to override a
// question that names a template ("why did X fail with QuotaExceeded?").
const ERROR_HINTS: readonly RegExp[] = [
  /\b[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:Error|Failed|Failure|NotFound|Exceeded|Conflict|Denied|Invalid|Timeout|Unavailable|Forbidden|Exception)\b/,
  /\b(?:error|exception|failure|failed|fatal)\s*:/i,
  /\[attempt \d+ of \d+\]/i,
  // Vocabulary that only appears in build output, never in a question about a template.
  /\b(?:Windows Modules Installer|IMAGE_STATE_[A-Z_]+|azure-arm:|packer-(?:builder|provisioner)-[\w-]+)/i,
  /\bexit (?:status|code):? \d+/i,
  /\bStatus=\d{3}\b/,
  /\bDetails:/,
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/m,
];

/** Longer than this with no command in it, a message is a paste. */
export const PASTE_MIN_CHARS = 300;

/** A multi-line message this short may still be a question typed with Shift+Enter. */
export const SHORT_MULTILINE = { maxLines: 3, maxChars: 300 } as const;

export function looksLikeMachineOutput(text: string): boolean {
  return MACHINE_OUTPUT.some((pattern) => pattern.test(text));
}

export function hasErrorHints(text: string): boolean {
  return ERROR_HINTS.some((pattern) => pattern.test(text));
}
