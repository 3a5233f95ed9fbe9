import RE2 from 're2';
import { CATALOG } from './catalog';
import { foldForLiterals, requiredLiterals } from './required-literals';

// Everything the scanner looks for, compiled once: the catalog's signatures plus the structural markers of a
// customization.log (telemetry, connection, deprovisioning, cleanup). RE2 is linear-time whatever the input and
// its DFA costs the same per byte for one pattern or a hundred (V8's cost grows with each pattern: see
// failure-analysis anchors part B).
//
// Locating matches is the hot path. Signatures are line patterns (see catalog.ts), and what the scanner records
// is per line (a hit counts lines, a marker notes a line), so matching is done a line at a time, and only on the
// lines that may hold something: one pass of a single alternation of every pattern over the block finds the next
// line where something may match; on that line the patterns' required literals (or, once a process has scanned
// enough lines for it to pay, an unanchored RE2.Set) say which patterns may match, and each of those
// finds its first match in the line (its offset and captured group). Every step is linear in the bytes it reads
// and each line is read a bounded number of times, whatever it holds.
//
// That bound is the point. Looking for a pattern's next match one byte after the previous offset (the way a
// global regex per pattern would, which this replaced) re-reads the whole rest of the line at every offset where
// an overlapping match begins: `\S+ \d+ B / …` after a 20 kB run of non-blanks took 3.5 s, a 1 MiB line hours.

export type MarkerKind =
  | 'telemetry-start'
  | 'telemetry-end'
  | 'finalizing'
  | 'ssh-waiting'
  | 'ssh-connected'
  | 'winrm-waiting'
  | 'winrm-connected'
  | 'deprovision'
  | 'cleanup'
  | 'logs-exported'
  | 'exit-code'
  | 'build-errored'
  | 'artifacts'
  | 'restart-ok'
  | 'terminated';

export type PatternTarget = { kind: 'signature'; entryId: string } | { kind: 'marker'; marker: MarkerKind };

const MARKERS: Array<[MarkerKind, string]> = [
  ['telemetry-start', '\\(telemetry\\) Starting provisioner ([A-Za-z0-9_.-]+)'],
  ['telemetry-end', '\\(telemetry\\) ending ([A-Za-z0-9_.-]+)'],
  ['finalizing', '\\(telemetry\\) Finalizing'],
  ['ssh-waiting', 'Waiting for SSH'],
  ['ssh-connected', 'Connected to SSH!'],
  ['winrm-waiting', 'Waiting for WinRM'],
  ['winrm-connected', 'WinRM connected'],
  ['deprovision', 'DeprovisioningScript\\.(?:ps1|sh)'],
  ['cleanup', 'deleting individual resources|Removing the created Deployment object|Cleanup requested, deleting resource group|Deleting resource group'],
  ['logs-exported', 'Done exporting Packer logs'],
  ['exit-code', 'exited with code:? -?[1-9]\\d*|non-zero exit status|exit status -?[1-9]\\d*|returned with exit code:? -?[1-9]\\d*'],
  ['build-errored', "Build '[^'\\n]+' errored|Some builds didn't complete successfully"],
  // Packer's last word on a build that worked: the artifacts list.
  ['artifacts', 'Builds finished\\. The artifacts of successful builds are'],
  ['restart-ok', 'Machine successfully restarted'],
  ['terminated', 'Cancelling build after receiving terminated'],
];

/** Flags every pattern is matched with: the catalog's signatures are case-insensitive. */
export const PATTERN_FLAGS = 'i';

export interface PatternMatch {
  offset: number;
  /** Index into `sources` / `targets`. */
  index: number;
  /** The first capture group, when the pattern has one (the provisioner type of a telemetry line). */
  group?: string;
}

export interface CompiledPatterns {
  /** RE2 sources in index order: the catalog's signatures, then the markers. */
  sources: string[];
  targets: PatternTarget[];
  /** Lines matching these are not hits for the entry (see CatalogEntry.unless). */
  unless: Map<string, RE2>;
  /**
   * The first match of each pattern in each line of `block` that has one, ordered by offset then pattern index,
   * for at most `limit` lines per pattern (the first ones; one limit for all, or one per pattern by index).
   */
  matchesIn(block: Buffer, limit: number | readonly number[]): PatternMatch[];
}

const compiled = new Map<string, CompiledPatterns>();

/**
 * The patterns for one kind of input. A customization.log is scanned without the entries that only count in
 * pasted text (client-tool crashes): each pattern costs the 200 MB scan its share of the DFA.
 */
export function compiledPatterns(source: 'status' | 'text' | 'log' = 'log'): CompiledPatterns {
  const key = source === 'log' ? 'log' : 'pasted';
  const cached = compiled.get(key);
  if (cached) return cached;
  const sources: string[] = [];
  const targets: PatternTarget[] = [];
  for (const entry of CATALOG) {
    if (entry.sources && !entry.sources.includes(source)) continue;
    // One pattern per entry: a hit names the entry, not the phrasing, and every extra pattern in the set costs
    // the 200 MB scan time (measured: wave 2's 70 phrasings as separate patterns took the scan ~10 % slower).
    if (!entry.signatures.length) continue;
    sources.push(entry.signatures.length === 1 ? entry.signatures[0] : entry.signatures.map((sig) => `(?:${sig})`).join('|'));
    targets.push({ kind: 'signature', entryId: entry.id });
  }
  for (const [marker, source] of MARKERS) {
    sources.push(source);
    targets.push({ kind: 'marker', marker });
  }
  const unless = new Map<string, RE2>();
  for (const entry of CATALOG) {
    if (entry.unless?.length) unless.set(entry.id, new RE2(entry.unless.map((u) => `(?:${u})`).join('|'), PATTERN_FLAGS));
  }
  const result = { sources, targets, unless, matchesIn: patternMatcher(sources) };
  compiled.set(key, result);
  return result;
}

const NL = 0x0a;

export interface MatcherOptions {
  /**
   * How a candidate line is told which patterns match it. 'set' asks an RE2.Set (one call, under 1 µs a line warm,
   * but ~9 ms to compile and an automaton that warms up over the first lines); 'literals' runs only the patterns
   * one of whose required literals the line holds (one walk over the line through an index of the literals by
   * their first three characters, ~3 µs a line, nothing to compile). The results
   * are the same (a property test compares them). 'adaptive' (the default) starts with literals, so a status
   * message, a paste or a small log never pays for the set, and builds the set once the process has met
   * SET_AFTER_LINES candidate lines, where it starts to pay.
   */
  lineTest?: 'set' | 'literals' | 'adaptive';
}

/**
 * Candidate lines after which the adaptive matcher compiles its RE2.Set: its ~9 ms over the ~2 µs a line it saves
 * (a 10 MB build log has about 1,100 candidate lines, a 1 MiB tail about 110).
 */
const SET_AFTER_LINES = 4000;

/** The matcher over `sources` (see CompiledPatterns.matchesIn). Exported for the tests that compare its modes. */
export function patternMatcher(sources: string[], options: MatcherOptions = {}): CompiledPatterns['matchesIn'] {
  const n = sources.length;
  const mode = options.lineTest ?? 'adaptive';
  // Which patterns match in one line: unanchored, over the line alone (a line's first byte has no byte before it,
  // so `\b` sees the line start as the block's start, as grep does).
  let inLine: InstanceType<typeof RE2.Set> | undefined;
  let linesSeen = 0;
  const literals = sources.map(requiredLiterals);
  const prefilter = literalIndex(literals);
  // Which patterns a line's literals allow, marked with the number of the line being tested (no clearing).
  const allowed = new Int32Array(n);
  let stamp = 0;
  const byLiterals = (line: Buffer, done: boolean[]): number[] => {
    const folded = foldForLiterals(line.toString('utf8'));
    stamp++;
    // Each position's first three characters name the literals that may start there (a few at most); each of
    // those is then compared whole. One walk over the line, whatever the number of literals.
    for (let i = 0; i + MIN_LITERAL_CHARS <= folded.length; i++) {
      const starting = prefilter.byTrigram.get(trigramAt(folded, i));
      if (!starting) continue;
      for (const { literal, patterns } of starting) {
        if (folded.startsWith(literal, i)) for (const p of patterns) allowed[p] = stamp;
      }
    }
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (!done[i] && (prefilter.always[i] || allowed[i] === stamp)) out.push(i);
    return out;
  };
  const candidates = (line: Buffer, done: boolean[]): number[] => {
    if (mode === 'literals' || (mode === 'adaptive' && !inLine && ++linesSeen <= SET_AFTER_LINES)) return byLiterals(line, done);
    return (inLine ??= new RE2.Set(sources, PATTERN_FLAGS)).match(line);
  };
  // Most patterns never match a given log: their own regexes are compiled on first use.
  const own: Array<RE2 | undefined> = new Array(n);
  const rewritten = sources.map(locatorOf);
  const locators = rewritten.map((r) => r.source);
  // node-re2 builds a result object per exec (4-7 µs); search() only gives the offset (0.2 µs). exec only where
  // a group is wanted, and even there the group is first read by V8's regex, anchored at RE2's offset (0.2 µs:
  // telemetry lines are most of a build log's candidates); RE2's exec decides whenever V8 does not match there.
  const capturing = rewritten.map((r) => r.groups > 0);
  const groupReaders = sources.map((src, i) => (capturing[i] ? groupReaderOf(src) : undefined));
  // The alternation that skips to the next line worth a look, without the patterns already at their limit in this
  // block (so a block of ten thousand identical error lines costs one pass, not ten thousand stops). Its patterns
  // have their word boundaries removed and never cross a newline, so it finds a superset of the lines and a match
  // of it never runs into the lines after (the set above decides).
  const alternations = new Map<string, RE2 | null>();
  const alternationWithout = (done: boolean[]): RE2 | null => {
    const key = done.map((d) => (d ? '1' : '0')).join('');
    let alt = alternations.get(key);
    if (alt === undefined) {
      const live = locators.filter((_, i) => !done[i]).map((s) => `(?:${s})`).join('|');
      alt = live ? new RE2(live, PATTERN_FLAGS) : null;
      if (alternations.size > 64) alternations.clear();
      alternations.set(key, alt);
    }
    return alt;
  };

  return (block, limit) => {
    const found: PatternMatch[] = [];
    const counts = new Array<number>(n).fill(0);
    const done = new Array<boolean>(n).fill(false);
    let any = alternationWithout(done);
    let from = 0; // always a line start
    while (any && from < block.length) {
      const at = any.search(from === 0 ? block : block.subarray(from));
      if (at < 0) break;
      const candidate = from + at;
      const start = candidate <= 0 ? 0 : block.lastIndexOf(NL, candidate - 1) + 1;
      const nl = block.indexOf(NL, candidate);
      const end = nl < 0 ? block.length : nl;
      const line = block.subarray(start, end);
      const inThisLine: PatternMatch[] = [];
      let capped = false;
      for (const index of candidates(line, done)) {
        if (done[index]) continue;
        const re = (own[index] ??= new RE2(sources[index], PATTERN_FLAGS));
        let offset: number;
        let group: Buffer | undefined;
        if (capturing[index]) {
          const read = groupReaders[index];
          const at = read ? re.search(line) : -1;
          const quick = at >= 0 ? read!(line, at) : undefined;
          if (quick) {
            offset = at;
            group = quick;
          } else {
            re.lastIndex = 0;
            const m = re.exec(line);
            if (m === null) continue;
            offset = m.index;
            group = (m as unknown as Array<Buffer | undefined>)[1];
          }
        } else {
          offset = re.search(line);
          if (offset < 0) continue;
        }
        inThisLine.push({ offset: start + offset, index, group: group ? group.toString('utf8') : undefined });
        if (++counts[index] >= (typeof limit === 'number' ? limit : limit[index])) {
          done[index] = true;
          capped = true;
        }
      }
      inThisLine.sort((a, b) => a.offset - b.offset || a.index - b.index);
      found.push(...inThisLine);
      from = end + 1;
      if (capped) any = alternationWithout(done);
    }
    return found;
  };
}

/** Every literal is at least this long (required-literals.ts drops shorter ones). */
const MIN_LITERAL_CHARS = 3;

/** The first three characters at `i` as one number (a character past U+00FF may share it: only a lookup key). */
function trigramAt(text: string, i: number): number {
  return ((text.charCodeAt(i) & 0xffff) * 65536 + (text.charCodeAt(i + 1) & 0xff) * 256 + (text.charCodeAt(i + 2) & 0xff)) | 0;
}

interface LiteralIndex {
  /** The literals by their first three characters, each with the patterns that require it. */
  byTrigram: Map<number, Array<{ literal: string; patterns: number[] }>>;
  /** Patterns without literals: a candidate on every line. */
  always: boolean[];
}

function literalIndex(literals: Array<string[] | undefined>): LiteralIndex {
  const byLiteral = new Map<string, number[]>();
  const always = literals.map((required, p) => {
    if (required === undefined || required.some((l) => l.length < MIN_LITERAL_CHARS)) return true;
    for (const literal of required) byLiteral.set(literal, [...(byLiteral.get(literal) ?? []), p]);
    return false;
  });
  const byTrigram = new Map<number, Array<{ literal: string; patterns: number[] }>>();
  for (const [literal, patterns] of byLiteral) {
    const key = trigramAt(literal, 0);
    byTrigram.set(key, [...(byTrigram.get(key) ?? []), { literal, patterns }]);
  }
  return { byTrigram, always };
}

/**
 * Reads the first group of `source`'s match at a known byte offset of a line with V8's regex, for a source that
 * is ASCII and means the same in both dialects; undefined (RE2 then reads it) where V8 does not match there.
 */
function groupReaderOf(source: string): ((line: Buffer, at: number) => Buffer | undefined) | undefined {
  // Beyond plain escapes, classes and groups the dialects part ways (named groups, flags, \z, \pN; `\s` and `.`
  // differ on \xa0 and \r): RE2 reads those.
  if (!/^[\x20-\x7e]*$/.test(source) || /\(\?[^:]|\\[^()[\]{}.*+?^$|\\/'"dDwWbB-]/.test(source) || hasBareDot(source)) return undefined;
  let re: RegExp;
  try {
    re = new RegExp(source, `${PATTERN_FLAGS.includes('i') ? 'i' : ''}yd`);
  } catch {
    return undefined;
  }
  return (line, at) => {
    // latin1: one character per byte, so RE2's byte offset is V8's index.
    const text = line.toString('latin1');
    // Past ASCII the dialects fold case differently (RE2's `[a-z]` with `i` takes ſ and the Kelvin sign).
    if (NON_ASCII.test(text.slice(at))) return undefined;
    re.lastIndex = at;
    const span = re.exec(text)?.indices?.[1];
    return span ? line.subarray(span[0], span[1]) : undefined;
  };
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Whether `source` has a `.` outside a bracket expression (an escaped one is a literal). */
function hasBareDot(source: string): boolean {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') {
      inClass = true;
      if (source[i + 1] === '^') i++;
      if (source[i + 1] === ']') i++;
    } else if (ch === '.') return true;
  }
  return false;
}

/** What a Perl class means without the newline, outside a bracket expression and inside one (no signature puts \W or \D inside a positive bracket). */
const WITHOUT_NEWLINE: Record<string, { outside: string; inside?: string }> = {
  s: { outside: '[\\t\\f\\r ]', inside: '\\t\\f\\r ' },
  W: { outside: '[^\\w\\n]' },
  D: { outside: '[^\\d\\n]' },
};

/**
 * A pattern for locating candidate lines: capturing groups made non-capturing (groups would make RE2 run its
 * slower submatch engine), `\b`/`\B` dropped (they depend on the byte before, which a search starting at an
 * offset does not see), and every class that could match a newline made not to (`\s`, `\W`, `\D`, negated
 * brackets), so a match of it never reaches into the next line. Within a line it matches wherever the pattern
 * does, and possibly elsewhere.
 */
export function locatorOf(source: string): { source: string; groups: number } {
  let out = '';
  let groups = 0;
  let inClass = false;
  let negated = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      const next = source[i + 1] ?? '';
      i++;
      if (!inClass && (next === 'b' || next === 'B')) continue;
      const plain = WITHOUT_NEWLINE[next];
      if (plain && !inClass) out += plain.outside;
      else if (plain?.inside && inClass && !negated) out += plain.inside;
      else out += ch + next;
    } else if (inClass) {
      // `[[:space:]]`: a POSIX class inside a bracket expression does not close it at its own `]`.
      if (ch === '[' && source[i + 1] === ':') {
        const close = source.indexOf(':]', i + 2);
        if (close > 0) {
          out += source.slice(i, close + 2);
          i = close + 1;
          continue;
        }
      }
      if (ch === ']') {
        inClass = false;
        // A negated bracket matches a newline unless it says otherwise.
        if (negated) out += '\\n';
      }
      out += ch;
    } else if (ch === '[') {
      inClass = true;
      negated = source[i + 1] === '^';
      out += ch;
      // A `]` right after `[` or `[^` is a literal member, not the end of the class.
      if (negated) out += source[++i];
      if (source[i + 1] === ']') out += source[++i];
    } else if (ch === '(' && source[i + 1] !== '?') {
      out += '(?:';
      groups++;
    } else if (ch === '(' && /^\(\?P?<[A-Za-z]/.test(source.slice(i, i + 5))) {
      // A named group stays as it is (it still only costs time); it counts as a group to read.
      out += ch;
      groups++;
    } else {
      out += ch;
    }
  }
  return { source: out, groups };
}
