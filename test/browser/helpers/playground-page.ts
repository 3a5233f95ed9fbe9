import type { Locator, Page } from 'playwright-core';

// What a person does on the Playground's page, in terms of what they see: the compose box, the send button, cards
// named by their heading. The Playground's DOM is undocumented, so selectors are roles and accessible names; the
// one class used, `ac-adaptiveCard`, belongs to the Adaptive Cards renderer (its documented styling hook), not to
// the Playground.

export const CARD_WAIT_MS = 60000;

export async function openChat(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  // The welcome card the bot sends on installationUpdate proves the Playground reached the bot.
  await page.getByRole('heading', { name: /I explain failed Image Builder builds/ }).first().waitFor({ timeout: CARD_WAIT_MS });
}

export async function say(page: Page, text: string): Promise<void> {
  // A Lexical editor: it listens to key events, so type rather than set the DOM's text.
  const compose = page.getByRole('textbox');
  await compose.click();
  await page.keyboard.type(text);
  await page.getByRole('button', { name: 'Send Message' }).click();
}

/** The Adaptive Card whose heading has this exact text. */
export function cardTitled(page: Page, heading: string): Locator {
  return page.locator('.ac-adaptiveCard').filter({ has: page.getByRole('heading', { name: heading, exact: true }) });
}

/** Accessible names of the card's buttons, in order. */
export async function buttonLabels(card: Locator): Promise<string[]> {
  const buttons = await card.getByRole('button').all();
  const labels: string[] = [];
  for (const b of buttons) labels.push(((await b.getAttribute('aria-label')) ?? (await b.innerText())).trim());
  return labels;
}
