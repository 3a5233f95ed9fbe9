// Reading cards the way a person does: every text on them, and the buttons wherever they sit. Used by the fake
// channel and the HTTP harness alike, so it imports nothing from the app.

/** Every text in a card, flattened: what a person would read. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      for (const [k, v] of Object.entries(n)) {
        if ((k === 'text' || k === 'title' || k === 'value' || k === 'altText' || k === 'placeholder') && typeof v === 'string') out.push(v);
        else walk(v);
      }
    }
  };
  walk(card);
  return out.join('\n');
}

/** Action.Execute actions of a card, wherever they sit (actions, ActionSets, selectAction). */
export function cardActions(card: unknown): Array<{ type: string; verb?: string; title?: string; data?: any; mode?: string }> {
  const out: Array<any> = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Action.')) out.push(o);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

/** The Action.Execute button with this verb; a missing one fails with the card's text. */
export function button(card: any, verb: string) {
  const b = cardActions(card).find((a) => a.type === 'Action.Execute' && a.verb === verb);
  if (!b) throw new Error(`no ${verb} button on the card: ${cardText(card)}`);
  return b;
}

export function allInputs(card: any): Array<{ id: string; value?: string }> {
  const out: Array<{ id: string; value?: string }> = [];
  const walk = (n: any) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      if (typeof n.type === 'string' && n.type.startsWith('Input.')) out.push(n);
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return out;
}

export type CardObject = Record<string, unknown>;
export const isCardObject = (v: unknown): v is CardObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every object with a `type` in the card, depth first, skipping the Action.Submit fallbacks of old clients. */
export function cardElements(node: unknown, out: CardObject[] = []): CardObject[] {
  if (Array.isArray(node)) node.forEach((child) => cardElements(child, out));
  else if (isCardObject(node)) {
    if (typeof node.type === 'string') out.push(node);
    for (const [key, child] of Object.entries(node)) if (key !== 'fallback') cardElements(child, out);
  }
  return out;
}

/** The card as a person sees it before opening anything: hidden elements (`isVisible: false`) pruned whole. */
export function withoutHidden(node: unknown): unknown {
  if (Array.isArray(node)) return node.filter((child) => !(isCardObject(child) && child.isVisible === false)).map(withoutHidden);
  if (!isCardObject(node)) return node;
  return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, withoutHidden(child)]));
}

export function visibleElements(node: unknown): CardObject[] {
  return cardElements(withoutHidden(node));
}

/**
 * What a card shows at a glance: its text elements (a TextBlock, a RichTextBlock, each row of a FactSet) and its
 * buttons outside the "…" overflow (Teams hides `mode: secondary` card actions there).
 */
export function atAGlance(card: CardObject): { texts: number; actions: number; hiddenTexts: number } {
  const texts = (elements: CardObject[]) =>
    elements.reduce((n, e) => n + (e.type === 'TextBlock' || e.type === 'RichTextBlock' ? 1 : e.type === 'FactSet' ? (e.facts as unknown[]).length : 0), 0);
  const visible = visibleElements(card.body);
  const bodyActions = visible.filter((e) => String(e.type).startsWith('Action.')).length;
  const cardLevel = ((card.actions as CardObject[] | undefined) ?? []).filter((a) => a.mode !== 'secondary').length;
  return { texts: texts(visible), actions: bodyActions + cardLevel, hiddenTexts: texts(cardElements(card.body)) - texts(visible) };
}

/** Size of an activity as Teams counts it against its limit: the JSON in UTF-16, two bytes per code unit. */
export function teamsBytes(activity: unknown): number {
  return JSON.stringify(activity).length * 2;
}
