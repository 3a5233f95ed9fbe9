import { spawnSync } from 'node:child_process';

// The baseline runs GNU grep over the same signature set the scanner uses, so the patterns are translated from
// RE2 syntax to POSIX ERE. Where the two dialects mean different things:
// - grep matches one line at a time. RE2 sees a whole block, so `\s` could match a newline there; the catalog's rule
//   is that signatures never cross a line, which makes both engines look at the same text.
// - grep runs with LC_ALL=C (its fastest mode): `-i` folds ASCII letters only, RE2's `i` folds Unicode. Packer's
//   output is ASCII, so the two find the same lines in the benchmark logs.
// - `\b` is a GNU extension to ERE with the same ASCII word characters in the C locale.
// - `grep -c` counts lines with at least one match; the scanner records every match (up to a cap per block).
// Anything with no ERE equivalent (`\n` outside a class, `(?i)` flags, `\p{..}`) is refused rather than
// approximated, so a catalog change that breaks the baseline shows up as an error, not as a skewed figure.

export class UnsupportedPatternError extends Error {
  readonly code = 'bench-pattern-unsupported';
  constructor(readonly source: string, reason: string) {
    super(`cannot translate ${JSON.stringify(source)} to ERE: ${reason}`);
    this.name = 'UnsupportedPatternError';
  }
}

const OUTSIDE_CLASS: Record<string, string> = {
  d: '[0-9]',
  D: '[^0-9]',
  s: '[[:space:]]',
  S: '[^[:space:]]',
  w: '[[:alnum:]_]',
  W: '[^[:alnum:]_]',
  b: '\\b',
  B: '\\B',
  '/': '/',
};
const INSIDE_CLASS: Record<string, string> = { d: '0-9', s: '[:space:]', w: '[:alnum:]_' };
const ERE_SPECIAL = '.[]()*+?{}|^$\\';

export function re2ToEre(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      const next = source[i + 1];
      i++;
      if (next === undefined) throw new UnsupportedPatternError(source, 'trailing backslash');
      if (next in OUTSIDE_CLASS) out += OUTSIDE_CLASS[next];
      else if (ERE_SPECIAL.includes(next)) out += `\\${next}`;
      else if (/[A-Za-z0-9]/.test(next)) throw new UnsupportedPatternError(source, `escape \\${next}`);
      else out += next;
    } else if (ch === '(' && source[i + 1] === '?') {
      if (source[i + 2] !== ':') throw new UnsupportedPatternError(source, 'group flags or named groups');
      out += '(';
      i += 2;
    } else if (ch === '[') {
      const { ere, end } = bracket(source, i);
      out += ere;
      i = end;
    } else {
      out += ch;
    }
  }
  return out;
}

/** Translates the bracket expression starting at `start`; returns it and the index of its closing `]`. */
function bracket(source: string, start: number): { ere: string; end: number } {
  let i = start + 1;
  const negated = source[i] === '^';
  if (negated) i++;
  let body = '';
  let closeBracket = false;
  let dash = false;
  let droppedNewline = false;
  for (let first = true; i < source.length; i++, first = false) {
    const ch = source[i];
    if (ch === ']' && !first) break;
    if (ch === ']') closeBracket = true;
    else if (ch === '\\') {
      const next = source[++i];
      if (next === 'n') droppedNewline = true;
      else if (next === ']') closeBracket = true;
      else if (next === '-') dash = true;
      else if (next in INSIDE_CLASS) body += INSIDE_CLASS[next];
      else if (next !== undefined && /[A-Za-z0-9]/.test(next)) throw new UnsupportedPatternError(source, `escape \\${next} in a class`);
      // Inside an ERE bracket a backslash is an ordinary character, so `\\`, `\^`, `\[` become the character itself.
      else if (next !== undefined) body += next;
    } else if (ch === '-' && (first || source[i + 1] === ']')) dash = true;
    else body += ch;
  }
  if (source[i] !== ']') throw new UnsupportedPatternError(source, 'unterminated class');
  // grep never sees a newline inside a line, so dropping it from a class changes nothing; `[^\n]` is any character.
  if (!body && !closeBracket && !dash) {
    if (negated && droppedNewline) return { ere: '.', end: i };
    throw new UnsupportedPatternError(source, 'empty class');
  }
  // A leading `^` in a non-negated class would negate it in ERE: move it after the first member.
  if (!negated && body.startsWith('^') && body.length > 1) body = `${body.slice(1)}^`;
  return { ere: `[${negated ? '^' : ''}${closeBracket ? ']' : ''}${body}${dash ? '-' : ''}]`, end: i };
}

/** Checks that grep compiles each pattern (exit 2 is a syntax error; 1 is "no match" on the empty input). */
export function assertGrepAccepts(patterns: readonly string[]): void {
  for (const p of patterns) {
    const r = spawnSync('grep', ['-E', '-i', '-e', p], { input: '', env: { ...process.env, LC_ALL: 'C' } });
    if (r.error) throw r.error;
    if (r.status !== 1) throw new UnsupportedPatternError(p, `grep exited ${r.status}: ${r.stderr.toString().trim()}`);
  }
}
