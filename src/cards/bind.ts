import { GlobalSettings, Template } from 'adaptivecards-templating';
import { redactDeep } from '../diagnosis/redact';

// Binds a card template (cards/*.json) to its view model with adaptivecards-templating, and refuses to hand out a
// card the engine only half filled: by default the engine leaves an unbound `${field}` in the output and turns a
// `$when` that fails on an object property into `null`, both of which Teams would show or reject.

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface CardAttachment {
  contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  content: Record<string, unknown>;
}

export type CardRenderErrorCode = 'unbound-field' | 'null-value' | 'not-a-card';

export class CardRenderError extends Error {
  constructor(
    readonly code: CardRenderErrorCode,
    readonly card: string,
    message: string,
  ) {
    super(`${card} card: ${message}`);
    this.name = 'CardRenderError';
  }
}

const prepared = new Map<string, Template>();

function templateFor(name: string, payload: object): Template {
  let template = prepared.get(name);
  if (!template) {
    template = new Template(payload);
    prepared.set(name, template);
  }
  return template;
}

export function bindCard(name: string, payload: object, view: object): CardAttachment {
  const template = templateFor(name, payload);
  const unbound: string[] = [];
  // The hook is process-global; expansion is synchronous, so installing it for the duration of this call and
  // restoring it afterwards cannot leak into another card's expansion.
  const previous = GlobalSettings.getUndefinedFieldValueSubstitutionString;
  GlobalSettings.getUndefinedFieldValueSubstitutionString = (path: string) => {
    unbound.push(path);
    return undefined;
  };
  let expanded: unknown;
  try {
    expanded = template.expand({ $root: view });
  } finally {
    GlobalSettings.getUndefinedFieldValueSubstitutionString = previous;
  }
  if (unbound.length) throw new CardRenderError('unbound-field', name, `no value for ${[...new Set(unbound)].join(', ')}`);
  // The engine's expansion warnings are no help here: 2.3.1 warns for every `$when` that is simply false, so a
  // condition on a missing field cannot be told apart from a deliberate "hide"; the typed view models cover that.
  const nullAt = findNull(expanded, '');
  if (nullAt !== undefined) throw new CardRenderError('null-value', name, `null at ${nullAt || '(root)'}`);
  if (typeof expanded !== 'object' || expanded === null || Array.isArray(expanded)) {
    throw new CardRenderError('not-a-card', name, 'the template did not expand to an object');
  }
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: scrubDeep(expanded) as Record<string, unknown> };
}

function findNull(value: unknown, path: string): string | undefined {
  if (value === null) return path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNull(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      const found = findNull(child, path ? `${path}.${key}` : key);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * The view models scrub what they take from Azure; this last pass covers every string of the finished card (action
 * data included) so a SAS signature cannot reach a channel through a field someone adds later.
 */
const scrubDeep = redactDeep;

/** Size of the card as Teams counts it against a message's limit: its JSON in UTF-16, two bytes per code unit. */
export function teamsBytes(card: CardAttachment): number {
  return JSON.stringify(card.content).length * 2;
}

/** Size of the card as Teams receives it (UTF-8 JSON). */
export function cardBytes(card: CardAttachment): number {
  return Buffer.byteLength(JSON.stringify(card.content), 'utf8');
}
