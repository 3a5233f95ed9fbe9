import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import RE2 from 're2';
import { foldForLiterals, requiredLiterals } from '../../src/diagnosis/required-literals';
import { compiledPatterns, patternMatcher, PATTERN_FLAGS, type PatternMatch } from '../../src/diagnosis/signature-set';

// The scanner may skip a pattern on a line that holds none of the pattern's required literals (the prefilter), or
// ask an RE2.Set which patterns match the line. Both must find exactly what each pattern's own regex finds on each
// line: the first match per line, at most `limit` lines per pattern per block.

const LIMIT = 3;

function reference(sources: string[]): (block: Buffer, limit: number) => PatternMatch[] {
  const own = sources.map((s) => new RE2(s, PATTERN_FLAGS));
  return (block, limit) => {
    const found: PatternMatch[] = [];
    const counts = sources.map(() => 0);
    let start = 0;
    while (start < block.length) {
      const nl = block.indexOf(0x0a, start);
      const end = nl < 0 ? block.length : nl;
      const line = block.subarray(start, end);
      const inLine: PatternMatch[] = [];
      own.forEach((re, index) => {
        if (counts[index] >= limit) return;
        re.lastIndex = 0;
        const m = re.exec(line) as unknown as ({ index: number } & Array<Buffer | undefined>) | null;
        if (!m) return;
        counts[index]++;
        inLine.push({ offset: start + m.index, index, group: m[1]?.toString('utf8') });
      });
      found.push(...inLine.sort((a, b) => a.offset - b.offset || a.index - b.index));
      start = end + 1;
    }
    return found;
  };
}

/** Lines that hold something: every line of the committed sample logs and pasted-error samples that any pattern matches. */
function sampleLines(): string[] {
  const dirs = [path.join(__dirname, '..', 'fixtures', 'logs'), path.join(__dirname, '..', 'fixtures', 'samples')];
  const sources = compiledPatterns('text').sources.map((s) => new RE2(s, PATTERN_FLAGS));
  const lines = new Set<string>();
  for (const dir of dirs) {
    for (const file of readdirSync(dir)) {
      if (!/\.(log|txt|json)$/.test(file)) continue;
      for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
        if (line.length < 2000 && sources.some((re) => re.test(line))) lines.add(line);
      }
    }
  }
  return [...lines];
}

const LINES = sampleLines();

/** A line as a person or a console might have changed it: case flipped, letters swapped for their RE2 case folds, cut. */
const mutated = fc.tuple(fc.constantFrom(...LINES), fc.array(fc.nat(), { maxLength: 6 }), fc.constantFrom('none', 'upper', 'lower', 'kelvin', 'long-s', 'cut')).map(([line, picks, how]) => {
  switch (how) {
    case 'upper':
      return line.toUpperCase();
    case 'lower':
      return line.toLowerCase();
    case 'kelvin':
      return line.replace(/k/gi, '\u212a');
    case 'long-s':
      return line.replace(/s/gi, '\u017f');
    case 'cut': {
      const at = picks.length ? picks[0] % Math.max(1, line.length) : 0;
      return line.slice(0, at) + line.slice(at + 1 + (picks[1] ?? 0) % 5);
    }
    default:
      return line;
  }
});
const anyLine = fc.oneof({ weight: 5, arbitrary: mutated }, { weight: 2, arbitrary: fc.string({ maxLength: 120 }) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) });

describe.each(['log', 'text'] as const)('the %s pattern set', (source) => {
  const { sources } = compiledPatterns(source);
  const withPrefilter = patternMatcher(sources, { lineTest: 'literals' });
  const withSet = patternMatcher(sources, { lineTest: 'set' });
  const expected = reference(sources);

  test('the sample lines are a real test: most patterns match some of them', () => {
    const matched = new Set(expected(Buffer.from(LINES.join('\n')), Number.MAX_SAFE_INTEGER).map((m) => m.index));
    expect(matched.size).toBeGreaterThan(sources.length * 0.8);
  });

  test('with and without the prefilter, the matches are each pattern’s own, line by line', () => {
    fc.assert(
      fc.property(fc.array(anyLine, { maxLength: 40 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => {
        const block = Buffer.from(lines.join(eol), 'utf8');
        const want = expected(block, LIMIT);
        expect(withPrefilter(block, LIMIT)).toEqual(want);
        expect(withSet(block, LIMIT)).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });
});

describe('requiredLiterals', () => {
  test.each([
    ['Connected to SSH!', ['connected to ssh!']],
    ['\\(telemetry\\) Starting provisioner ([A-Za-z0-9_.-]+)', ['(telemetry) starting provisioner ']],
    ['(?:"?code"?\\s*[:=]\\s*\\\\?"?|Code=\\\\?"|\\(|ErrorCode:\\s*)QuotaExceeded\\b', ['quotaexceeded']],
    ['(?:Waiting for WinRM)|(?:WinRM connected)', ['waiting for winrm', 'winrm connected']],
    ['exited with code:? -?[1-9]\\d*|non-zero exit status', ['exited with code', 'non-zero exit status']],
    ['Hyper-?V ?Generation', ['generation']],
    ['ab(?:cd)?ef', undefined],
    ['\\S+ \\d+ B / \\d+ B\\s+[1-9]?\\d\\.\\d{2}%', [' b / ']],
    ['[a-z]+\\.ps1|.*', undefined],
  ])('%s', (pattern, literals) => {
    expect(requiredLiterals(pattern)).toEqual(literals);
  });

  test('a line folds to the literals’ form the way RE2 folds case', () => {
    expect(foldForLiterals('WAITING FOR \u212aEY \u017fSH')).toBe('waiting for key ssh');
  });
});
