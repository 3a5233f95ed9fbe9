// Required literals: for a pattern, words one of which every match must contain. A line that holds none of them
// cannot match, and saying so is a substring search instead of a regex (ripgrep's prefilter, in small).
//
// The reading is conservative: anything it does not understand ends the current literal, so a literal is only
// ever shorter than it could be, never wrong. Literals are ASCII and lowercase; `foldForLiterals` brings a line
// to the same form, including the two non-ASCII characters RE2's case-insensitive matching folds onto ASCII
// letters (KELVIN SIGN onto k, LONG S onto s), so a line the prefilter drops is one RE2 would not have matched.

/** Literals shorter than this prefilter too little to pay for the search. */
const MIN_LITERAL = 3;

/** Escapes that stand for one character of their own; every other escape is a class or an assertion. */
const LITERAL_ESCAPES = new Set([...'.()[]{}|?*+^$\\/-\'" :=<>#&%!@,;~`_']);

/**
 * One literal per top-level alternative of `source`, each the longest that every match of that alternative
 * contains (lowercase); undefined when some alternative has none at least MIN_LITERAL long (no prefilter then).
 */
export function requiredLiterals(source: string): string[] | undefined {
  const literals: string[] = [];
  for (const alternative of splitTopLevel(source)) {
    const best = longestRun(alternative);
    if (best === undefined || best.length < MIN_LITERAL) return undefined;
    literals.push(best);
  }
  return [...new Set(literals)];
}

/** `line` as the literals are written: lowercase, with RE2's non-ASCII folds of ASCII letters undone. */
export function foldForLiterals(line: string): string {
  return line.toLowerCase().replace(/\u017f/g, 's');
}

/** The index of the last character of the escape or bracket expression starting at `i`, or `i` for anything else. */
function atomEnd(source: string, i: number): number {
  if (source[i] === '\\') return i + 1;
  if (source[i] === '[') return groupEndOfClass(source, i) - 1;
  return i;
}

function splitTopLevel(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < source.length; i = atomEnd(source, i) + 1) {
    const ch = source[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) {
      parts.push(source.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(source.slice(from));
  return parts;
}

/** Index just past the `)` that closes the group opened at `open`. */
function groupEnd(source: string, open: number): number {
  let depth = 0;
  for (let i = open; i < source.length; i = atomEnd(source, i) + 1) {
    if (source[i] === '(') depth++;
    else if (source[i] === ')' && --depth === 0) return i + 1;
  }
  return source.length;
}

/** Whether the quantifier at `i` lets its atom occur zero times. */
function optionalAt(source: string, i: number): boolean {
  const q = source[i];
  return q === '?' || q === '*' || (q === '{' && /^\{0[,}]/.test(source.slice(i, i + 3)));
}

function quantifierLength(source: string, i: number): number {
  const q = source[i];
  let len = 0;
  if (q === '?' || q === '*' || q === '+') len = 1;
  else if (q === '{') {
    const close = source.indexOf('}', i);
    if (close > i && /^\{\d+(?:,\d*)?\}$/.test(source.slice(i, close + 1))) len = close + 1 - i;
  }
  // A lazy quantifier's `?` belongs to it.
  if (len && source[i + len] === '?') len++;
  return len;
}

/** The longest literal every match of one alternative (a sequence, no top-level `|`) contains. */
function longestRun(sequence: string): string | undefined {
  let best = '';
  let run = '';
  const end = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < sequence.length; ) {
    const ch = sequence[i];
    let atom: string | undefined; // the character this atom stands for, when it is one literal character
    let next: number;
    if (ch === '(') {
      next = groupEnd(sequence, i);
      const inner = sequence.slice(i, next);
      const body = inner.startsWith('(?:') ? inner.slice(3, -1) : inner.startsWith('(?') ? undefined : inner.slice(1, -1);
      const q = quantifierLength(sequence, next);
      const optional = q > 0 && optionalAt(sequence, next);
      end();
      // A group that must occur, with one alternative inside: its own longest literal counts for this sequence.
      if (!optional && body !== undefined && splitTopLevel(body).length === 1) {
        const innerBest = longestRun(body);
        if (innerBest && innerBest.length > best.length) best = innerBest;
      }
      i = next + q;
      continue;
    } else if (ch === '[') {
      next = groupEndOfClass(sequence, i);
    } else if (ch === '\\') {
      const e = sequence[i + 1] ?? '';
      next = i + 2;
      if (LITERAL_ESCAPES.has(e)) atom = e;
    } else if (ch === '.' || ch === '^' || ch === '$') {
      next = i + 1;
    } else {
      next = i + 1;
      atom = ch;
    }
    const q = quantifierLength(sequence, next);
    if (atom !== undefined && atom.charCodeAt(0) < 0x80 && (q === 0 || !optionalAt(sequence, next))) {
      run += atom.toLowerCase();
      // `x+` or `x{2,5}`: one x is certain, what follows is not adjacent to it.
      if (q > 0) end();
    } else end();
    i = next + q;
  }
  end();
  return best || undefined;
}

function groupEndOfClass(source: string, open: number): number {
  let i = open + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') i++;
  for (; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === '[' && source[i + 1] === ':') {
      const close = source.indexOf(':]', i + 2);
      if (close > 0) i = close + 1;
    } else if (source[i] === ']') return i + 1;
  }
  return source.length;
}
