import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

// Which Chromium the browser tests drive. Debian's package when it is installed (what CI used to install), else the
// Chromium that ships inside the npm package @sparticuz/chromium, so `npm ci && npm test` needs nothing else on the
// machine. Test tools that download their own browser at run time cannot reach the internet here, which is why the
// fallback is a browser carried in the lockfile rather than fetched.

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';
export const PACKAGED_CHROMIUM = '@sparticuz/chromium';

export type BrowserSource = 'debian' | 'npm';

export interface BrowserChoice {
  source: BrowserSource;
  executablePath: string;
  /** Flags for this binary; playwright adds its own headless flags on top. */
  args: string[];
  /** Where the binary came from, for a person reading the test log or test-artifacts/browser.json. */
  origin: string;
}

/** Flags either binary gets: no GPU, no background traffic, a first run that asks nothing. */
export const COMMON_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export class ChromiumUnavailableError extends Error {
  readonly code = 'CHROMIUM_UNAVAILABLE';
}

/** The rule, kept pure so a test can check it without either browser: Debian's chromium wins when it exists. */
export function pickSource(exists: (path: string) => boolean): BrowserSource {
  return exists(DEBIAN_CHROMIUM) ? 'debian' : 'npm';
}

/** Joins flag lists, first occurrence of a flag name wins; `--headless…` is left to playwright's `headless` option. */
export function mergeArgs(...lists: string[][]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const list of lists) {
    for (const arg of list) {
      const name = arg.split('=')[0]!;
      if (name === '--headless' || seen.has(name)) continue;
      seen.add(name);
      out.push(arg);
    }
  }
  return out;
}

interface PackagedLaunch {
  executablePath: string;
  args: string[];
}

// @sparticuz/chromium is an ES module and jest runs these tests as CommonJS without the VM-modules flag, so the
// package is asked in a short child Node process: it unpacks the binary (to /tmp/chromium, once per machine) and
// prints where it is and which flags it needs.
const ASK_PACKAGE = `
import(process.argv[1]).then(async (m) => {
  const c = m.default;
  process.stdout.write(JSON.stringify({ executablePath: await c.executablePath(), args: c.args }));
}).catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
`;

function packageEntry(): string {
  try {
    return require.resolve(PACKAGED_CHROMIUM);
  } catch {
    throw new ChromiumUnavailableError(
      `${DEBIAN_CHROMIUM} is absent and the npm package ${PACKAGED_CHROMIUM} is not installed: run npm ci (it is a devDependency), or install Debian's chromium (apt-get install -y --no-install-recommends chromium).`,
    );
  }
}

function packageVersion(entry: string): string {
  // The package's exports do not expose package.json; it sits one level above build/index.js.
  const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version?: string };
  return manifest.version ?? 'unknown';
}

function askPackage(entry: string): Promise<PackagedLaunch> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', ASK_PACKAGE, pathToFileURL(entry).href], { timeout: 120000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) {
        reject(new ChromiumUnavailableError(`${PACKAGED_CHROMIUM} could not unpack its Chromium: ${stderr.trim() || error.message}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout) as PackagedLaunch);
      } catch {
        reject(new ChromiumUnavailableError(`${PACKAGED_CHROMIUM} printed something other than its launch details: ${stdout.slice(0, 200)}`));
      }
    });
  });
}

export async function chooseChromium(exists: (path: string) => boolean = existsSync): Promise<BrowserChoice> {
  if (pickSource(exists) === 'debian') {
    return { source: 'debian', executablePath: DEBIAN_CHROMIUM, args: mergeArgs(COMMON_ARGS), origin: `Debian package chromium (${DEBIAN_CHROMIUM})` };
  }
  const entry = packageEntry();
  const launch = await askPackage(entry);
  return {
    source: 'npm',
    executablePath: launch.executablePath,
    args: mergeArgs(launch.args, COMMON_ARGS),
    origin: `npm package ${PACKAGED_CHROMIUM}@${packageVersion(entry)} (unpacked to ${launch.executablePath})`,
  };
}
