// Pasted errors arrive wrapped: JSON inside a JSON string inside a DevOps log line, sometimes escaped twice.
// Undo the escaping so one set of line-based signatures sees the same words whatever the wrapper.
//
// Everything here reads untrusted text of any length, so every pass is a single left-to-right scan: a regex
// such as /\\+"/ restarts at every backslash of a long run and goes quadratic (30,000 backslashes took 9 s).

const BACKSLASH = 0x5c;

/** `\u0027`-style escapes worth undoing (the ones JSON encoders emit for HTML-sensitive characters). */
const UNICODE_ESCAPES: Record<string, string> = { '0027': "'", '0026': '&', '003c': '<', '003e': '>', '0022': '"' };

/**
 * Collapses every run of backslashes in front of an escape letter to the character it stands for, however many
 * times the text was escaped (`\n`, `\\n`, `\\\\n` all become a newline; `\r\n` too), and leaves other
 * backslashes (Windows paths such as C:\temp) alone.
 */
export function unwrapEscapes(text: string): string {
  if (text.indexOf('\\') < 0) return text;
  const out: string[] = [];
  let from = 0; // start of the text not yet copied to `out`
  let i = text.indexOf('\\');
  while (i >= 0 && i < text.length) {
    let j = i;
    while (j < text.length && text.charCodeAt(j) === BACKSLASH) j++;
    const next = text[j];
    let replacement: string | undefined;
    let end = j + 1;
    if (next === 'n') replacement = '\n';
    else if (next === '"') replacement = '"';
    else if (next === 'r') {
      // `\r\n` with any number of backslashes before each letter.
      let k = j + 1;
      while (k < text.length && text.charCodeAt(k) === BACKSLASH) k++;
      if (k > j + 1 && text[k] === 'n') {
        replacement = '\n';
        end = k + 1;
      }
    } else if ((next === 'u' || next === 'U') && j + 5 <= text.length) {
      replacement = UNICODE_ESCAPES[text.slice(j + 1, j + 5).toLowerCase()];
      end = j + 5;
    }
    if (replacement !== undefined) {
      out.push(text.slice(from, i), replacement);
      from = end;
      i = text.indexOf('\\', end);
    } else {
      // Not an escape: keep the run as it is and look after it, never inside it again.
      i = text.indexOf('\\', j);
    }
  }
  out.push(text.slice(from));
  return out.join('');
}

/**
 * PowerShell's Format-List and some consoles wrap long values onto lines indented to the value column. Join
 * those continuation lines so a phrase cut in two ("Packer\n        build command has failed") matches again.
 */
export function reflowWrapped(text: string): string {
  const out: string[] = [];
  let from = 0;
  let i = text.indexOf('\n');
  while (i >= 0) {
    let j = i + 1;
    while (j < text.length && text.charCodeAt(j) === 0x20) j++;
    if (j - i - 1 >= 10) {
      const cut = i > 0 && text.charCodeAt(i - 1) === 0x0d ? i - 1 : i;
      out.push(text.slice(from, cut), ' ');
      from = j;
    }
    i = text.indexOf('\n', j);
  }
  out.push(text.slice(from));
  return out.join('');
}

/** 1-based line number of `offset` in `text`, counting with a precomputed newline index. */
export function lineIndex(text: string): (offset: number) => number {
  const starts: number[] = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return lineOfStarts(starts);
}

/** The same over UTF-8 bytes: `offset` is a byte offset (what RE2 reports for a Buffer). */
export function lineIndexOfBytes(bytes: Buffer): (offset: number) => number {
  const starts: number[] = [0];
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) starts.push(i + 1);
  return lineOfStarts(starts);
}

function lineOfStarts(starts: number[]): (offset: number) => number {
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
