import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { chooseChromium, type BrowserChoice } from './browser-choice';

// A headless Chromium (see browser-choice.ts for which one) with a throw-away profile. The machine has no internet:
// every request that is not to loopback (the Playground's CDN fonts and animations) is aborted at once, so nothing
// ever waits on a DNS lookup or a connect time-out and nothing leaves the machine.

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface Browser {
  context: BrowserContext;
  choice: BrowserChoice;
  /** What the browser itself reports, e.g. "HeadlessChrome/153.0.…" from its user agent. */
  version: string;
  close(): Promise<void>;
}

/** Prints which browser this run used and writes it to `<artifacts>/browser.json`, so a report can name it. */
export function recordBrowser(browser: Browser, artifactsDir: string): void {
  const record = { source: browser.choice.source, origin: browser.choice.origin, executablePath: browser.choice.executablePath, version: browser.version, args: browser.choice.args };
  mkdirSync(artifactsDir, { recursive: true });
  writeFileSync(join(artifactsDir, 'browser.json'), `${JSON.stringify(record, null, 2)}\n`);
  process.stdout.write(`browser tests use ${browser.choice.origin}, ${browser.version}\n`);
}

export async function launchChromium(): Promise<Browser> {
  const choice = await chooseChromium();
  const profile = mkdtempSync(join(tmpdir(), 'aib-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: choice.executablePath,
    headless: true,
    args: choice.args,
    viewport: { width: 1400, height: 1700 },
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    let host = '';
    try {
      host = new URL(url).hostname;
    } catch {
      /* not a URL a network request could go to */
    }
    if (LOOPBACK.has(host) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    return route.abort('internetdisconnected');
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // Evaluated in the page, where `navigator` exists; the test's own lib has no DOM types.
  const userAgent = await page.evaluate(() => (globalThis as unknown as { navigator: { userAgent: string } }).navigator.userAgent);
  const version = /(?:Headless)?Chrom(?:e|ium)\/[\d.]+/.exec(userAgent)?.[0] ?? userAgent;
  return {
    context,
    choice,
    version,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
