import RE2 from 're2';
import { classify, scanText } from '../../src/diagnosis';

// A paste (or a log line) is stranger-controlled: no shape of it may make the diagnosis read it more than a fixed
// number of times. These tests count the bytes handed to RE2 (every regex of the scanner, the envelopes and the
// redaction is RE2) rather than timing anything: with the scanner that looked for each pattern's next match one
// byte after the last, the first input here made it read ~5·10^11 bytes (hours); the bound below is 40 passes.

const MIB = 1024 * 1024;
const MAX_PASSES = 40;

/**
 * Bytes RE2 reads while `run` runs, as far as can be seen from outside: a string is converted whole on every call;
 * a Buffer is read from its lastIndex (global and sticky regexes) to the end of the match found, or to its end when
 * nothing matched (search() only tells where a match starts, so its reads are counted to there); a set reads it all.
 */
function bytesReadBy<T>(run: () => T): { result: T; bytes: number } {
  let bytes = 0;
  const spies: jest.SpyInstance[] = [];
  const count = (proto: object, method: string, read: (input: Buffer, from: number, out: unknown, after: number) => number) => {
    const original = (proto as Record<string, (...a: unknown[]) => unknown>)[method];
    spies.push(
      jest.spyOn(proto as never, method as never).mockImplementation(function (this: { lastIndex?: number; global?: boolean; sticky?: boolean }, ...args: unknown[]) {
        const input = args[0] as Buffer | string;
        const from = this.global || this.sticky ? (this.lastIndex ?? 0) : 0;
        const out = original.apply(this, args);
        bytes += Buffer.isBuffer(input) ? read(input, from, out, this.lastIndex ?? 0) : input.length;
        return out;
      } as never),
    );
  };
  const toEnd = (input: Buffer, from: number) => input.length - from;
  count(RE2.prototype, 'exec', (input, from, m) => (m ? (m as { index: number }).index + (m as Buffer[])[0].length - from : toEnd(input, from)));
  count(RE2.prototype, 'test', (input, from, ok, after) => (ok ? after - from : toEnd(input, from)));
  count(RE2.prototype, 'search', (input, _from, at) => ((at as number) >= 0 ? (at as number) + 1 : input.length));
  count(RE2.prototype, 'replace', (input) => input.length);
  count(RE2.prototype, 'match', (input) => input.length);
  count(RE2.Set.prototype, 'match', (input) => input.length);
  try {
    return { result: run(), bytes };
  } finally {
    for (const s of spies) s.mockRestore();
  }
}

function fill(prefix: string, unit: string, suffix: string, size = MIB): string {
  const room = size - prefix.length - suffix.length;
  return prefix + unit.repeat(Math.ceil(room / unit.length)).slice(0, room) + suffix;
}

describe('pathological pastes cost a bounded number of passes', () => {
  test('a 1 MiB run of non-blanks before a download-progress line (overlapping matches at every offset)', () => {
    const text = fill('', 'x', ' 1 B / 2 B  10.00%');
    const { result, bytes } = bytesReadBy(() => scanText(text, 'text'));
    expect(result.hits.map((h) => h.entryId)).toEqual(['large-file-download']);
    expect(bytes).toBeLessThan(MAX_PASSES * text.length);
  });

  test('the same run of backslashes in a Windows path', () => {
    const text = fill("##[error]Copy-Item : Cannot find path 'C:", '\\', " 1 B / 2 B  10.00%' because it does not exist.");
    const { result, bytes } = bytesReadBy(() => scanText(text, 'text'));
    expect(result.hits.map((h) => h.entryId).sort()).toEqual(['devops-task-error', 'large-file-download']);
    expect(bytes).toBeLessThan(MAX_PASSES * text.length);
  });

  test('a line full of near-misses for a word-bounded code (the locator matches, the pattern does not)', () => {
    const text = fill('', '(AuthorizationFailedx', ' 1 B / 2 B  10.00%');
    const { result, bytes } = bytesReadBy(() => scanText(text, 'text'));
    expect(result.hits.map((h) => h.entryId)).toEqual(['large-file-download']);
    expect(bytes).toBeLessThan(MAX_PASSES * text.length);
  });

  test('a code whose separator runs over a hundred thousand blank lines matches nothing and reads each line a bounded number of times', () => {
    const text = fill('', '"code"\n', ': "AuthorizationFailed"');
    const { result, bytes } = bytesReadBy(() => scanText(text, 'text'));
    // Signatures are line patterns: a code on the line after its key is not a match.
    expect(result.hits).toEqual([]);
    expect(bytes).toBeLessThan(MAX_PASSES * text.length);
  });

  test.each([
    ['backslash-run', fill("##[error]Copy-Item : Cannot find path 'C:", '\\', "x' because it does not exist.")],
    ['question-mark-run', fill('##[error]Invoke-WebRequest : 403 Forbidden https://stimages.blob.core.windows.net/scripts/setup.ps1', '?', '')],
    ['blanks-and-open-tags', fill('##[error]Script exited with non-zero exit status: 1 ', ' \t<at>&#x&amp', '')],
    ['ten thousand code lines', fill('##[error]\n', 'Code: AuthorizationFailed\n(QuotaExceeded) over\n', '')],
  ])('classifying a 1 MiB %s paste', (_kind, text) => {
    const { result, bytes } = bytesReadBy(() => classify({ texts: [text] }));
    expect(result.diagnosis.id).not.toBe('unknown');
    expect(bytes).toBeLessThan(MAX_PASSES * text.length);
  });
});
