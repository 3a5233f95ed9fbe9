/**
 * Recognising a pasted error (DevOps task output, CLI error, template status JSON, customization.log lines) as
 * opposed to a question, by what it contains rather than by how long it is: a one-line ARM error ending in
 * "(CODE: 409)" is as much a paste as 10 kB of Packer output. Case does not matter (people retype codes, tools
 * upper-case them). A paste goes to the diagnosis engine whole; a question goes to the rule tables.
 */
import { extractErrors } from '../../diagnosis/envelopes';

// Any one of these means the message is, or contains, machine output. Literal-ish patterns only: they run over the
// whole message, which may be 100 kB.
const MACHINE_OUTPUT: readonly RegExp[] = [
  /##\[(?:error|section|warning|debug)\]/i,
  /"code"\s*:/i,
  /\{\s*"error"/i,
  /"error"\s*:\s*\{/i,
  /"(?:runState|runSubState|provisioningState|lastRunStatus|provisioningError)"\s*:/i,
  /\bPACKER (?:OUT|ERR)\b/i,
  // Packer's own lines, as a pipeline prints them without the customization.log prefix.
  /==>\s*azure-arm:/i,
  /\bBuild '[^'\n]{1,100}' errored\b/i,
  /\(telemetry\)/i,
  /\bDeployment failed\b/i,
  // `Code: X`, `ErrorCode=X`, `(CODE: 409)`: the shapes ARM, the CLI and the portal print a code in.
  /(?:^|[\s(;,])(?:error)?code\s*[:=]\s*"?[a-z][a-z0-9]{2,80}\b/im,
  /\(code:\s*[1-5]\d\d\)/i,
  /\bStatusCode=\d{3}\b/i,
  /\bOriginal Error:/i,
  /\bCorrelation ID:/i,
  /\bfailed with message '/i,
  /\bpackerizer\b/i,
  /^ERROR: /m,
  // Stack traces: JavaScript/.NET frames, Python, Go and PowerShell error records.
  /^[ \t]+at [^\n]{1,300}:\d+(?::\d+)?\)?[ \t\r]*$/m,
  /\bTraceback \(most recent call last\)/i,
  /\bgoroutine \d+ \[/,
  /\+ (?:CategoryInfo|FullyQualifiedErrorId)\s*:/i,
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

/**
 * Weaker evidence of a paste: one of the hints, or an error envelope the diagnosis engine itself reads (the CLI's
 * `(Code) message`, ARM JSON, a status summary line). Asked only of a message no rule recognised.
 */
export function hasErrorHints(text: string): boolean {
  return ERROR_HINTS.some((pattern) => pattern.test(text)) || extractErrors(text).some((record) => record.code !== undefined);
}
