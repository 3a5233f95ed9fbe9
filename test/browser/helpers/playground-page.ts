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
  // The compose box, not a card's Input.Text (the list card's "Name contains" is a textbox too).
  const compose = page.locator('[role="textbox"][contenteditable="true"]');
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

/** The last card on screen whose text contains this (a heading, usually): the newest answer of that kind. */
export function lastCardWith(page: Page, text: string): Locator {
  return page.locator('.ac-adaptiveCard').filter({ hasText: text }).last();
}

/**
 * What of a card a person cannot read because it is cut at the edge, as measured in the page: a visible block
 * whose content is wider than its box (clipped, or ellipsized by the renderer), or any visible element that reaches
 * past the card's own left or right edge. Each entry names the element and the start of its text. Inline elements
 * have no client width, so only their boxes are compared with the card's.
 */
export async function cutAtTheEdge(card: Locator): Promise<string[]> {
  // Runs in the page; the project compiles without the DOM library, hence the loose types.
  return card.evaluate((root: any) => {
    const getStyle = (globalThis as any).getComputedStyle as (el: unknown) => { visibility: string; display: string };
    const TEXT_NODE = 3;
    const edge = root.getBoundingClientRect();
    const out: string[] = [];
    for (const el of Array.from(root.querySelectorAll('*')) as any[]) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || el.closest('[aria-hidden="true"]')) continue;
      const style = getStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      const what = `${el.tagName.toLowerCase()}.${el.className} “${(el.innerText ?? '').trim().slice(0, 60)}”`;
      // The renderer's "…" overflow-menu button draws its glyph a few px wider than its box: a glyph, not a text.
      if (/^(\.\.\.|…)$/.test((el.innerText ?? '').trim())) continue;
      const hasText = (Array.from(el.childNodes) as any[]).some((n) => n.nodeType === TEXT_NODE && (n.textContent ?? '').trim() !== '');
      if (hasText && style.display !== 'inline' && el.scrollWidth > el.clientWidth + 1) out.push(`wider than its box (${el.scrollWidth} > ${el.clientWidth}): ${what}`);
      if (r.right > edge.right + 1 || r.left < edge.left - 1) out.push(`past the card's edge (${Math.round(r.left)}–${Math.round(r.right)} vs ${Math.round(edge.left)}–${Math.round(edge.right)}): ${what}`);
    }
    return out;
  });
}
