import { COMMON_ARGS, DEBIAN_CHROMIUM, mergeArgs, pickSource } from './helpers/browser-choice';

// The choice rule on its own, without launching anything: the README promises Debian's chromium when it is installed
// and the packaged one otherwise.

test("Debian's chromium is used when /usr/bin/chromium exists", () => {
  expect(pickSource((p) => p === DEBIAN_CHROMIUM)).toBe('debian');
});

test('the Chromium inside @sparticuz/chromium is used when /usr/bin/chromium is absent', () => {
  expect(pickSource(() => false)).toBe('npm');
});

test("merged flags keep the package's value for a repeated flag and leave headless mode to playwright", () => {
  const merged = mergeArgs(["--headless='shell'", '--no-sandbox', '--use-gl=angle'], ['--use-gl=swiftshader', ...COMMON_ARGS]);
  expect(merged.filter((a) => a.startsWith('--headless'))).toEqual([]);
  expect(merged.filter((a) => a.startsWith('--use-gl'))).toEqual(['--use-gl=angle']);
  expect(merged.filter((a) => a === '--no-sandbox')).toHaveLength(1);
  expect(merged).toEqual(expect.arrayContaining(COMMON_ARGS));
});
