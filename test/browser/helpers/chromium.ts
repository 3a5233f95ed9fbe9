import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

// Debian's chromium, headless, with a throw-away profile. The machine has no internet: every request that is not
// to loopback (the Playground's CDN fonts and animations) is aborted at once, so nothing ever waits on a DNS lookup
// or a connect time-out and nothing leaves the machine.

export const CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export class ChromiumMissingError extends Error {
  readonly code = 'CHROMIUM_MISSING';
  constructor() {
    super(`${CHROMIUM_PATH} not found: the browser tests need Debian's chromium. Install it with: apt-get update && apt-get install -y --no-install-recommends chromium`);
  }
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new ChromiumMissingError();
  const profile = mkdtempSync(join(tmpdir(), 'aib-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
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
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
