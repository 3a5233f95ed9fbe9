import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startApp, type RunningApp } from '../../src/app';
import { createAzureGateways } from '../../src/azure';
import { loadConfig } from '../../src/config';
import { createLogger, silentLogger } from '../../src/logger';
import { launchChromium, recordBrowser, type Browser } from './helpers/chromium';
import { buttonLabels, CARD_WAIT_MS, cardTitled, cutAtTheEdge, lastCardWith, openChat, say } from './helpers/playground-page';
import { startPlayground, type RunningPlayground } from './helpers/playground-process';

// The real bot, started as users start it, with the Microsoft 365 Agents Playground as its channel and a headless
// Chromium (Debian's, or the one inside @sparticuz/chromium) as the person in front of it: what is asserted is what
// renders on screen, not the JSON the bot sent.

const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
const TEST_MS = 120000;

let app: RunningApp | undefined;
let playground: RunningPlayground | undefined;
let browser: Browser | undefined;
let page: Page;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // Chromium first: when none can be launched the suite fails with the install hint before starting anything.
  browser = await launchChromium();
  recordBrowser(browser, ARTIFACTS);
  // The watcher polls every second and announces only runs from the last minute: the seeded failures stay quiet, and
  // the run the notification test starts is what arrives.
  app = await startApp(
    { ...loadConfig({ PORT: '1', AIB_WATCH_INTERVAL_MS: '1000', AIB_WATCH_CATCH_UP_MINUTES: '1' }), port: 0 },
    { logger: process.env.AIB_TEST_LOG ? createLogger('debug') : silentLogger, host: '127.0.0.1', sandbox: { bigLog: false, stepMs: 200 } },
  );
  playground = await startPlayground(`${app.url}/api/messages`);
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await openChat(page, playground.url);
}, TEST_MS);

afterAll(async () => {
  await browser?.close();
  await playground?.stop();
  if (app) {
    await app.idle();
    await app.stop();
  }
}, 60000);

/** On failure, keep what the page showed: a browser test's assertion message alone rarely says why. */
async function keepScreenOnFailure<T>(name: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (e) {
    await page.screenshot({ path: join(ARTIFACTS, `${name}-failed.png`) }).catch(() => undefined);
    throw e;
  }
}

test(
  'asking why a template failed renders the diagnosis card with its failure and labelled buttons',
  () =>
    keepScreenOnFailure('playground-diagnosis', async () => {
      await say(page, 'why did template win2019-minimal fail?');
      const card = cardTitled(page, 'Diagnosis: win2019-minimal');
      // The tail-first answer may be replaced once the whole log is read; wait for the failure it must name.
      await card.getByText('Sysprep ran before the Azure guest agent was ready').waitFor({ timeout: CARD_WAIT_MS });
      await card.getByRole('button', { name: 'Recreate with a larger VM' }).waitFor({ timeout: CARD_WAIT_MS });

      const text = await card.innerText();
      expect(text).toContain('win2019-minimal');
      expect(text).toContain('Sysprep ran before the Azure guest agent was ready');
      const labels = await buttonLabels(card);
      expect(labels).toEqual(expect.arrayContaining(['Recreate with a larger VM', 'Show log']));
      // Every button a person can press says what it does.
      for (const label of labels) expect(label).toMatch(/\S/);

      await card.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, 'playground-diagnosis.png') });
    }),
  TEST_MS,
);

test(
  'Delete template, then Confirm, updates the card to say the template was deleted and removes it from Azure',
  () =>
    keepScreenOnFailure('playground-deleted', async () => {
      const sandbox = app!.sandbox!;
      const templateUrl = `${sandbox.armEndpoint}/subscriptions/${sandbox.subscriptionId}/resourceGroups/aib-sandbox/providers/Microsoft.VirtualMachineImages/imageTemplates/win2019-iis?api-version=2025-10-01`;
      // Without this the 404 at the end could be a wrong URL rather than the deletion.
      expect((await fetch(templateUrl)).status).toBe(200);

      await say(page, 'why did template win2019-iis fail?');
      const diagnosis = cardTitled(page, 'Diagnosis: win2019-iis');
      await diagnosis.getByText('A template with this name already exists').waitFor({ timeout: CARD_WAIT_MS });
      await diagnosis.getByRole('button', { name: 'Delete template' }).click();

      const confirmation = cardTitled(page, 'Delete win2019-iis?');
      await confirmation.getByRole('button', { name: 'Confirm' }).waitFor({ timeout: CARD_WAIT_MS });
      expect(await buttonLabels(confirmation)).toEqual(['Confirm', 'Cancel']);
      await confirmation.getByRole('button', { name: 'Confirm' }).click();

      const deleted = page.locator('.ac-adaptiveCard').filter({ hasText: 'win2019-iis was deleted' });
      await deleted.first().waitFor({ timeout: CARD_WAIT_MS });
      // Updated in place: the confirmation card is gone rather than followed by a new message.
      await confirmation.waitFor({ state: 'detached', timeout: CARD_WAIT_MS });
      expect(await deleted.count()).toBe(1);
      // Nothing erased: the confirmation came as its own reply, so the diagnosis it was asked from is still there.
      expect(await cardTitled(page, 'Diagnosis: win2019-iis').count()).toBe(1);

      await deleted.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, 'playground-deleted.png') });

      expect((await fetch(templateUrl)).status).toBe(404);
    }),
  TEST_MS,
);

test(
  'after subscribe, a build that fails on the sandbox clock arrives in the Playground as its diagnosis card',
  () =>
    keepScreenOnFailure('playground-notification', async () => {
      const sandbox = app!.sandbox!;
      // A seeded failure none of the other tests shows, so the card on screen can only be the notification.
      const scenario = sandbox.scenarios.find((s) => s.resourceGroup === sandbox.resourceGroup && s.state === 'Failed' && s.expectedId === 'customizer-failed' && !/win2019-(minimal|iis)/.test(s.name))!;
      await say(page, 'subscribe');
      await page.getByText('Subscribed: this conversation now gets a card for every failed build of all templates.').first().waitFor({ timeout: CARD_WAIT_MS });
      expect(await cardTitled(page, `Diagnosis: ${scenario.name}`).count()).toBe(0);

      const gateways = createAzureGateways(loadConfig(sandbox.env).azure);
      await gateways.templates.run(sandbox.resourceGroup, scenario.name);
      const card = cardTitled(page, `Diagnosis: ${scenario.name}`);
      await card.first().waitFor({ timeout: CARD_WAIT_MS });
      expect(await card.first().innerText()).toContain(scenario.name);
      expect(await buttonLabels(card.first())).toEqual(expect.arrayContaining(['Rerun build']));

      await card.first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, 'playground-notification.png') });
      await say(page, 'unsubscribe');
    }),
  TEST_MS,
);

test(
  'the diagnosis card shows the essentials; Details opens the cause and the identifiers',
  () =>
    keepScreenOnFailure('playground-details', async () => {
      await say(page, 'why did template ubuntu2204-web fail?');
      const card = cardTitled(page, 'Diagnosis: ubuntu2204-web').last();
      await card.getByText('A customizer script failed').waitFor({ timeout: CARD_WAIT_MS });
      const cause = card.getByText(/^Packer stopped with 'exit status 1'/);
      // Above the fold: the failing step and the first fix; the cause waits behind Details.
      expect(await card.innerText()).toContain('Failing step:');
      expect(await cause.isVisible()).toBe(false);
      expect(await cutAtTheEdge(card)).toEqual([]);
      await card.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, 'playground-diagnosis-glance.png') });

      await card.getByRole('button', { name: 'Details' }).click();
      await cause.waitFor({ state: 'visible', timeout: CARD_WAIT_MS });
      expect(await card.innerText()).toContain('Identifiers');
      // Long values (operation ids, log URLs) wrap or become links: nothing opened by Details runs off the card.
      expect(await cutAtTheEdge(card)).toEqual([]);
      await card.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, 'playground-diagnosis-details.png') });
    }),
  TEST_MS,
);

test(
  'Rerun build answers in a new reply that ends as "failed again"; the diagnosis card stays',
  () =>
    keepScreenOnFailure('playground-rerun', async () => {
      await say(page, 'why did template ubuntu2204-nightly-01 fail?');
      const diagnosis = cardTitled(page, 'Diagnosis: ubuntu2204-nightly-01').last();
      await diagnosis.getByRole('button', { name: 'Rerun build' }).waitFor({ timeout: CARD_WAIT_MS });
      await diagnosis.getByRole('button', { name: 'Rerun build' }).click();

      const again = page.locator('.ac-adaptiveCard').filter({ has: page.getByRole('heading', { name: /^ubuntu2204-nightly-01 failed again/ }) });
      await again.first().waitFor({ timeout: CARD_WAIT_MS * 2 });
      // The card that was clicked is still there, as it was.
      expect(await cardTitled(page, 'Diagnosis: ubuntu2204-nightly-01').count()).toBeGreaterThanOrEqual(1);
      expect(await diagnosis.getByRole('button', { name: 'Rerun build' }).isVisible()).toBe(true);

      await again.first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, 'playground-rerun-failed-again.png') });
    }),
  CARD_WAIT_MS * 3,
);

// Every kind of card a person meets, one screenshot each in test-artifacts/ for a person to look at, with what the
// card must say and nothing cut at the card's edge. The diagnosis and its Details are shot by the tests above.
const EVERY_CARD: Array<{ name: string; ask?: string; heading: string; says: string[] }> = [
  { name: 'welcome', heading: 'Hello! I explain failed Image Builder builds', says: ['Why did template win2019-minimal fail?'] },
  { name: 'help', ask: 'help', heading: 'What I can do', says: ['Try for example:'] },
  // The sandbox's clock moves the running build on (a slow machine sees it finish), so only the headline is fixed.
  { name: 'status', ask: 'status of win2022-running', heading: 'Status: win2022-running', says: ['win2022-running'] },
  { name: 'list', ask: 'list templates', heading: 'Image templates', says: ['Show more'] },
  { name: 'log', ask: 'show the log of win2016-wu', heading: 'Build log: win2016-wu', says: ['Where the full log is'] },
  { name: 'choice', ask: 'why did template win2022-base fail?', heading: 'Several templates are called win2022-base: which one?', says: ['Pick the one to diagnose.'] },
  { name: 'not-understood', ask: 'what is the weather like on Mars', heading: "I didn't understand", says: ['Diagnose this text as an error'] },
];

test.each(EVERY_CARD)(
  'the $name card says what it must, with nothing cut at its edge',
  ({ name, ask, heading, says }) =>
    keepScreenOnFailure(`playground-card-${name}`, async () => {
      if (ask) await say(page, ask);
      const card = lastCardWith(page, heading);
      await card.waitFor({ timeout: CARD_WAIT_MS });
      for (const text of says) await card.getByText(text, { exact: false }).first().waitFor({ timeout: CARD_WAIT_MS });
      expect(await cutAtTheEdge(card)).toEqual([]);
      await card.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, `playground-card-${name}.png`) });
    }),
  TEST_MS,
);

test(
  'Open support case brings the form in a new reply, under the diagnosis that stays; the form fits the card',
  () =>
    keepScreenOnFailure('playground-card-support-form', async () => {
      // A failure nothing in the catalog fixes: the card offers a support case (in the "…" overflow menu when the
      // visible actions are taken).
      await say(page, 'why did template ubuntu2204-cis fail?');
      const diagnosis = cardTitled(page, 'Diagnosis: ubuntu2204-cis').last();
      await diagnosis.getByRole('button').first().waitFor({ timeout: CARD_WAIT_MS });
      const before = await cardTitled(page, 'Diagnosis: ubuntu2204-cis').count();
      const visible = diagnosis.getByRole('button', { name: 'Open support case' });
      if (await visible.count()) await visible.click();
      else {
        await diagnosis.getByRole('button', { name: /^(\.\.\.|…)$/ }).click();
        await page.getByText('Open support case', { exact: true }).last().click();
      }
      const form = lastCardWith(page, 'Open an Azure support case');
      await form.waitFor({ timeout: CARD_WAIT_MS });
      expect(await cardTitled(page, 'Diagnosis: ubuntu2204-cis').count()).toBe(before);
      expect(await cutAtTheEdge(form)).toEqual([]);
      await form.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, 'playground-card-support-form.png') });
    }),
  TEST_MS,
);
