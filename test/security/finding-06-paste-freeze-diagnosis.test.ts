import { classify, findIds, findLogLocation, scanText, unwrapEscapes } from '../../src/diagnosis';
import { reflowWrapped } from '../../src/diagnosis/text';
import { extractErrors } from '../../src/diagnosis/envelopes';
import { rankCandidates } from '../../src/diagnosis/candidates';
import { exitCodeIn } from '../../src/diagnosis/exit-codes';

// Security finding 6: a pasted text of about a megabyte must not freeze the diagnosis. Every entry point that
// reads untrusted text gets each pathological shape and must return a correct, bounded answer. A quadratic pass
// over 1 MB takes minutes, far past jest's timeout, so finishing is the assertion; no clock is read here.

const MB = 1024 * 1024;

const SHAPES: Record<string, string> = {
  backslashes: '\\'.repeat(MB),
  'backslashes before a quote': `${'\\'.repeat(MB)}"`,
  'question marks': '?'.repeat(MB),
  'sig= and question marks': `https://a.blob.core.windows.net/c/x?${'?sig='.repeat(MB / 5)}`,
  'nested quotes': '"\'"'.repeat(MB / 3),
  'deep JSON objects': `${'{"error":'.repeat(MB / 18)}1${'}'.repeat(MB / 18)}`,
  'deep JSON arrays': `${'['.repeat(MB / 2)}${']'.repeat(MB / 2)}`,
  'unclosed braces': '{'.repeat(MB),
  'escaped JSON inside JSON, many levels': `${'{\\"message\\":\\"'.repeat(MB / 32)}x`,
  'blob URLs without a log name': 'https://abc.blob.core.windows.net/packerlogs/'.repeat(MB / 45),
  'long spaces after newlines': `\n${' '.repeat(MB)}x`,
  'CamelCase codes': 'QuotaExceeded'.repeat(MB / 13),
  'exit code words': 'exited with code: '.repeat(MB / 18),
  'one huge line with an error in the middle': `${'x'.repeat(MB / 2)} (QuotaExceeded) Operation results in exceeding quota limits of Core ${'y'.repeat(MB / 2)}`,
};

describe.each(Object.entries(SHAPES))('%s (~1 MB)', (_name, text) => {
  test('unwrapEscapes is linear and loses nothing that is not an escape', () => {
    const out = unwrapEscapes(text);
    expect(out.length).toBeLessThanOrEqual(text.length);
    if (!text.includes('\\')) expect(out).toBe(text);
  });

  test('reflowWrapped is linear', () => {
    expect(reflowWrapped(text).length).toBeLessThanOrEqual(text.length);
  });

  test('extractErrors returns a bounded list', () => {
    expect(extractErrors(text).length).toBeLessThanOrEqual(200);
  });

  test('the id and log-location finders answer', () => {
    expect(findLogLocation(text)).toBeUndefined();
    expect(findIds(text)).toEqual({ operationId: undefined, correlationId: undefined });
  });

  test('the term ranking and the exit-code reader answer', () => {
    expect(rankCandidates(text).length).toBeLessThanOrEqual(3);
    exitCodeIn(text);
  });

  test('the scanner and the classifier answer with a bounded diagnosis', () => {
    expect(scanText(text, 'text').hits.length).toBeLessThan(50);
    const d = classify({ texts: [text] });
    expect(d.evidence.length).toBeLessThanOrEqual(8);
    expect(JSON.stringify(d).length).toBeLessThan(64 * 1024);
  });
});

describe('and the answers stay right', () => {
  test('escapes collapse however many times they were applied', () => {
    expect(unwrapEscapes('a\\\\\\"b\\\\nc\\r\\nd')).toBe('a"b\nc\nd');
    expect(unwrapEscapes('C:\\temp\\app')).toBe('C:\\temp\\app');
    expect(unwrapEscapes('it\\u0027s')).toBe("it's");
  });

  test('a real code inside a megabyte of noise is still found', () => {
    const d = classify({ texts: [SHAPES['one huge line with an error in the middle']] });
    expect(d.diagnosis.id).toBe('quota-exceeded');
  });

  test('a code at the bottom of deep JSON is found when the depth is reasonable, ignored when it is absurd', () => {
    const nested = (n: number) => `${'{"error":{"code":"DeploymentFailed","details":['.repeat(n)}{"code":"QuotaExceeded","message":"x"}${']}}'.repeat(n)}`;
    expect(extractErrors(nested(5)).some((r) => r.code === 'QuotaExceeded')).toBe(true);
    expect(extractErrors(nested(20_000)).length).toBeLessThanOrEqual(200);
  });
});
