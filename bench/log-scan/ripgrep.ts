import { spawnSync } from 'node:child_process';
import { childOutput } from '../lib/child-output';

// ripgrep as the second baseline: the peer to beat (issue 15). Run with `--no-unicode`, so `-i` and `\b` are ASCII
// as they are for grep in the C locale: the same semantics for both baselines, and ripgrep's fastest mode (with
// Unicode word boundaries and a few non-ASCII bytes in the log, ripgrep 13 leaves its DFA and takes 20 s for
// 10 MB). When `rg` is not installed the benchmark says so in its JSON and on stderr instead of skipping quietly.

export const RG_ARGS = ['--no-config', '--no-unicode', '-c'];
export const RG_INSTALL_HINT = 'install ripgrep (Debian/Ubuntu: apt-get install -y ripgrep; macOS: brew install ripgrep) and run npm run bench again';

export type RipgrepStatus = { available: true; version: string } | { available: false; reason: string };

/** Whether `rg` runs here and accepts the translated patterns, checked once before any timing. */
export function ripgrepStatus(patternsFile: string, caseInsensitive: boolean): RipgrepStatus {
  const version = spawnSync('rg', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    return { available: false, reason: `rg not found on PATH (${version.error?.message ?? `exit ${version.status}`}): ${RG_INSTALL_HINT}` };
  }
  // Exit 1 is "no match" on the empty input: the patterns compiled. Anything else is rg refusing one of them.
  const probe = spawnSync('rg', [...RG_ARGS, ...(caseInsensitive ? ['-i'] : []), '-f', patternsFile, '/dev/null'], { encoding: 'utf8' });
  if (probe.status !== 0 && probe.status !== 1) {
    return { available: false, reason: `rg refused the translated patterns: ${probe.stderr.trim().split('\n')[0] ?? `exit ${probe.status}`}` };
  }
  return { available: true, version: version.stdout.split('\n')[0]!.trim() };
}

export async function ripgrepCount(file: string, patternsFile: string, caseInsensitive: boolean): Promise<{ ms: number; count: number }> {
  const { code, out, err, ms } = await childOutput('rg', [...RG_ARGS, ...(caseInsensitive ? ['-i'] : []), '-f', patternsFile, file]);
  // Like grep, 1 means no line matched: a complete run, count 0.
  if (code !== 0 && code !== 1) throw new Error(`rg exited ${code}: ${err.trim()}`);
  return { ms, count: Number(out.trim() || 0) };
}
