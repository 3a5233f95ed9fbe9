import RE2 from 're2';
import { CATALOG } from './catalog';

// Everything the scanner looks for, compiled once: the catalog's signatures plus the structural markers of a
// customization.log (telemetry, connection, deprovisioning, cleanup). RE2 is linear-time whatever the input and
// its DFA costs the same per byte for one pattern or a hundred (V8's cost grows with each pattern: see
// failure-analysis anchors part B).
//
// Locating matches is the hot path. One pass of a single alternation of every pattern stops at each offset where
// something may start; only there does an anchored RE2.Set say which patterns do start, and a sticky regex per
// pattern gives the match's end (and the captured group). The result is exactly what each pattern's own global
// regex over the block would find (its leftmost, non-overlapping matches), for one DFA pass per block. Asking a
// set which patterns occur and then running each of those over the block took one pass more per pattern found,
// and packer's telemetry and SSH lines put three or four of them in every block (profiled: 1.1 s of a 1.6 s scan
// of 200 MB; now about 0.7 s of 1.0 s).

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
   * Every match in `block`, ordered by offset then pattern index, at most `limit` per pattern (the first ones).
   * The same matches as a global regex per pattern run over the whole block.
   */
  matchesIn(block: Buffer, limit: number): PatternMatch[];
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
  const result = { sources, targets, unless, matchesIn: createMatcher(sources) };
  compiled.set(key, result);
  return result;
}

function createMatcher(sources: string[]): CompiledPatterns['matchesIn'] {
  const n = sources.length;
  // Anchored sets answer "which patterns start exactly here". `\C` (any one byte) gives the pattern the byte before
  // the offset, so a leading `\b` sees the same context as it does in the block; offset 0 has no byte before it.
  const startingAfterByte = new RE2.Set(sources.map((s) => `\\C(?:${s})`), PATTERN_FLAGS, { anchor: 'start' });
  let startingAtZero: InstanceType<typeof RE2.Set> | undefined;
  // Most patterns never match a given log: their sticky regexes are compiled on first use (startup is a tenth of
  // the scan of a 10 MB log).
  const sticky: Array<RE2 | undefined> = new Array(n);
  const rewritten = sources.map(locatorOf);
  const locators = rewritten.map((r) => r.source);
  // node-re2 builds a result object per exec (5-7 µs, a tenth of the scan on a log full of telemetry lines);
  // test() moves a sticky regex's lastIndex to the match end for 1 µs. exec only where a group is wanted.
  const capturing = rewritten.map((r) => r.groups > 0);
  // The alternation used to skip to the next candidate offset, without the patterns already at their limit in
  // this block (so a block of ten thousand identical error lines costs one pass, not ten thousand stops). It is
  // searched from an offset inside the block, where it cannot see the byte before; its patterns have their word
  // boundaries removed, so it finds a superset of the offsets and never misses one (the set above decides).
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
    // Where each pattern's next match may start: the end of its previous one (matches of one pattern never overlap).
    const resume = new Array<number>(n).fill(0);
    const done = new Array<boolean>(n).fill(false);
    let any = alternationWithout(done);
    let from = 0;
    while (any && from <= block.length) {
      // search() reports where the next match starts, which exec() also does but at several times the cost.
      const at = any.search(from === 0 ? block : block.subarray(from));
      if (at < 0) break;
      const offset = from + at;
      const starting =
        offset === 0
          ? (startingAtZero ??= new RE2.Set(sources, PATTERN_FLAGS, { anchor: 'start' })).match(block)
          : startingAfterByte.match(block.subarray(offset - 1));
      let capped = false;
      for (const index of starting) {
        if (done[index] || resume[index] > offset) continue;
        const re = (sticky[index] ??= new RE2(sources[index], `${PATTERN_FLAGS}y`));
        re.lastIndex = offset;
        let group: Buffer | undefined;
        if (capturing[index]) {
          const m = re.exec(block);
          if (m === null) continue;
          group = (m as unknown as Array<Buffer | undefined>)[1];
        } else if (!re.test(block)) continue;
        const end = re.lastIndex;
        resume[index] = end > offset ? end : offset + 1;
        found.push({ offset, index, group: group ? group.toString('utf8') : undefined });
        if (++counts[index] >= limit) {
          done[index] = true;
          capped = true;
        }
      }
      from = offset + 1;
      if (capped) any = alternationWithout(done);
    }
    return found;
  };
}

/**
 * A pattern for locating candidate offsets: capturing groups made non-capturing (groups would make RE2 run its
 * slower submatch engine) and `\b`/`\B` dropped (they depend on the byte before, which a search starting at an
 * offset does not see). It matches wherever the pattern does, and possibly elsewhere.
 */
function locatorOf(source: string): { source: string; groups: number } {
  let out = '';
  let groups = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      const next = source[i + 1] ?? '';
      i++;
      if (!inClass && (next === 'b' || next === 'B')) continue;
      out += ch + next;
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
      if (ch === ']') inClass = false;
      out += ch;
    } else if (ch === '[') {
      inClass = true;
      out += ch;
      // A `]` right after `[` or `[^` is a literal member, not the end of the class.
      if (source[i + 1] === '^') out += source[++i];
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
