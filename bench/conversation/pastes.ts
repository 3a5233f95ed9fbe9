import { synthesizeLog } from '../../src/sandbox/log';

// 100 kB pastes for the adversarial-paste benchmark. The pathological ones are what makes a backtracking regex, a
// quadratic scan or a recursive unescape blow up: long runs of one character that patterns around paths, URLs and
// escapes consume and give back, and JSON escaped inside JSON until the backslashes outnumber the text. Each starts
// with `##[error]` so the bot takes it as a pasted error, as a person pasting DevOps output would be understood.

export const PASTE_BYTES = 100 * 1024;

export interface Paste {
  kind: string;
  text: string;
}

function fill(prefix: string, unit: string, suffix = ''): string {
  const room = PASTE_BYTES - prefix.length - suffix.length;
  return prefix + unit.repeat(Math.ceil(room / unit.length)).slice(0, room) + suffix;
}

/** The same JSON error, each level carried as an escaped string in the `message` of the next, cut at 100 kB. */
function nestedEscapedJson(): string {
  let inner = JSON.stringify({ error: { code: 'DeploymentFailed', message: 'At least one resource deployment operation failed.' } });
  while (inner.length < PASTE_BYTES) {
    inner = JSON.stringify({ error: { code: 'InternalOperationError', message: inner, details: [{ code: 'Conflict', message: inner.slice(0, 200) }] } });
  }
  return `##[error]${inner}`.slice(0, PASTE_BYTES);
}

export function pathologicalPastes(): Paste[] {
  return [
    // One line: a Windows path whose separators never end, then a character no path pattern expects.
    { kind: 'backslash-run', text: fill("##[error]Copy-Item : Cannot find path 'C:", '\\', "x' because it does not exist.") },
    // A run of non-blanks before a download-progress line: a pattern that starts with `\S+` matches at every offset
    // of the run, and a scanner that looks again one byte after each match reads the run once per byte.
    { kind: 'non-blank-run', text: fill('##[error]', 'x', ' 1 B / 2 B  10.00%') },
    { kind: 'question-mark-run', text: fill('##[error]Invoke-WebRequest : 403 Forbidden https://stimages.blob.core.windows.net/scripts/setup.ps1', '?') },
    { kind: 'nested-escaped-json', text: nestedEscapedJson() },
    // Blanks, unclosed mention tags and half entities: the clean-up that runs before anything reads the text.
    { kind: 'blanks-and-open-tags', text: fill('##[error]Script exited with non-zero exit status: 1 ', ' \t<at>&#x&amp') },
  ];
}

/** An ordinary paste of the same size: the start of a real-looking customization.log that ends in a failure. */
export async function ordinaryPaste(): Promise<Paste> {
  const parts: Buffer[] = [];
  for await (const chunk of synthesizeLog({
    os: 'linux',
    targetBytes: PASTE_BYTES,
    seed: 3,
    failures: [{ atFraction: 0.9, lines: ['    azure-arm: E: Unable to locate package contoso-agent', '==> azure-arm: Script exited with non-zero exit status: 100. Allowed exit codes are: [0]'] }],
  })) {
    parts.push(chunk);
  }
  const log = Buffer.concat(parts).toString('utf8').slice(0, PASTE_BYTES);
  return { kind: 'ordinary-log', text: `##[error]${log.slice(0, log.lastIndexOf('\n'))}`.slice(0, PASTE_BYTES) };
}
