import type { CardAttachment } from '../cards/bind';
import { isSupportedLocale, resolveLocale, type Locale } from '../i18n';

// A question answered in another language than the client's (see `replyLocale`) keeps that language through the
// clicks that follow: the buttons of such a card carry the reply's locale, and the click is answered in it. A
// forged value can only pick another of the six languages, so the server takes it as a preference, nothing more.

/** The locale a clicked card asks to be answered in, when it names a supported one. */
export function cardLocale(data: Readonly<Record<string, unknown>>): Locale | undefined {
  const value = data.locale;
  return typeof value === 'string' && value.length <= 16 && isSupportedLocale(value) ? resolveLocale(value) : undefined;
}

/** The card with `locale` added to the data of every Action.Execute (and its Action.Submit fallback). */
export function withCardLocale(card: CardAttachment, locale: Locale): CardAttachment {
  const stamp = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(stamp);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) out[key] = stamp(value);
    const type = out.type;
    if ((type === 'Action.Execute' || type === 'Action.Submit') && isObject(out.data) && !isImBack(out.data)) out.data = { ...out.data, locale };
    return out;
  };
  return { ...card, content: stamp(card.content) as Record<string, unknown> };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
// An imBack posts its text as a message: the message is read (and its language understood) like any other.
const isImBack = (data: Record<string, unknown>) => isObject(data.msteams);
