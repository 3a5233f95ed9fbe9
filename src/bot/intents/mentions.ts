import he from 'he';

/**
 * Turning a Teams message into the words the person typed: mentions of the bot, HTML the client added and
 * invisible characters all go before anything tries to understand the text.
 */

export type MentionEntity = { type?: string; text?: string; mentioned?: { id?: string; name?: string } };

// Teams wraps every mention in <at>…</at>; a mention is never a template name nor a command word, so the whole
// tag goes, including mentions of other people in group chats, with the blanks after it (blanks before it are not
// part of the pattern: a leading [ \t]* makes the scan quadratic on a long run of blanks).
const AT_TAG = /<at\b[^>]{0,200}>[\s\S]{0,300}?<\/at>([ \t]*)/gi;
// A mention between two words still has to leave a space between them; next to a space it leaves nothing.
const replaceMention = (_tag: string, spacesAfter: string, offset: number, whole: string): string =>
  spacesAfter || offset === 0 || /\s/.test(whole.charAt(offset - 1)) ? '' : ' ';

// Zero-width spaces/joiners, word joiner, BOM, bidi marks and isolates: invisible, but they split words for a regex.
const INVISIBLE = /[\u200B-\u200F\u2060-\u2064\u2066-\u2069\u202A-\u202E\uFEFF\u180E\u00AD]/g;

// Formatted messages reach the bot as HTML. Only these tags are removed: a pasted error keeps placeholders such
// as `<rgName>` or `<subId>` that must survive for the diagnosis engine.
const FORMATTING_TAG = /<\/?(?:p|div|span|br|b|strong|i|em|u|s|strike|del|code|pre|blockquote|ul|ol|li|a|font|h[1-6]|hr|img|table|thead|tbody|tr|td|th|sup|sub|emoji)\b[^<>]{0,500}>/gi;
const LINE_BREAKING_TAG = /<(?:br|\/p|\/div|\/li|\/pre|\/blockquote|\/h[1-6]|\/tr|hr)\b[^<>]{0,500}>/gi;

// Entities the Teams client sends (any named one, decimal, hex) are decoded by `he`, one complete `&…;` at a time:
// `he` alone would also decode legacy forms without the semicolon ("&copy=1" in a pasted URL) and turn a code
// point that cannot exist into U+FFFD, where keeping what the person typed is more useful.
const ENTITY = /&(?:#\d{1,8}|#x[0-9a-f]{1,7}|[a-z][a-z0-9]{1,31});/gi;
const REPLACEMENT_CHARACTER = /^&#(?:0*65533|x0*fffd);$/i;

function decodeEntities(text: string): string {
  return text.replace(ENTITY, (entity) => {
    const decoded = he.decode(entity);
    if (decoded === '\uFFFD' && !REPLACEMENT_CHARACTER.test(entity)) return entity;
    return decoded === '\u00A0' ? ' ' : decoded;
  });
}

/** Light clean-up that is safe to apply twice: used by parseIntent for callers that skipped stripMentions. */
export function removeMentionTagsAndInvisibles(text: string): string {
  return text.replace(AT_TAG, replaceMention).replace(/&nbsp;/gi, ' ').replace(INVISIBLE, '').replace(/\u00A0/g, ' ').trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isBotMention(entity: MentionEntity, botId: string | undefined): boolean {
  if (!entity || typeof entity !== 'object') return false;
  if (typeof entity.type === 'string' && entity.type.toLowerCase() !== 'mention') return false;
  // Without the bot's id every mention entity counts: in a chat with the bot, the first mention is the bot.
  if (!botId) return true;
  return entity.mentioned?.id === botId;
}

/**
 * Removes Teams @mentions of the bot (`<at>…</at>` tags and the text of the bot's mention entities, which some
 * clients send without tags), a leading bot name, `&nbsp;`, invisible characters and formatting HTML, then trims.
 */
export function stripMentions(text: string, entities?: MentionEntity[], botId?: string): string {
  if (typeof text !== 'string' || text.length === 0) return '';
  try {
    return stripBotMentions(text, entities, botId);
  } catch {
    // Entities come from the wire and may have any shape; a bad one must not cost the person their answer.
    return removeMentionTagsAndInvisibles(text);
  }
}

function stripBotMentions(text: string, entities: MentionEntity[] | undefined, botId: string | undefined): string {
  const botEntities = (Array.isArray(entities) ? entities : []).filter((entity) => isBotMention(entity, botId));
  const mentionTexts = botEntities.map((entity) => entity.text).filter((t): t is string => typeof t === 'string' && t.trim().length > 0);
  const botNames = botEntities
    .map((entity) => entity.mentioned?.name)
    .filter((n): n is string => typeof n === 'string' && n.trim().length > 0)
    .map((n) => n.trim());
  const opening = text.trimStart().toLowerCase();
  const startedWithMention =
    /^<at\b/.test(opening) || [...mentionTexts, ...botNames].some((m) => opening.startsWith(m.toLowerCase()) || opening.startsWith(`@${m.toLowerCase()}`));
  let out = text;
  for (const mention of mentionTexts) out = out.split(mention).join(' ');
  out = out.replace(AT_TAG, replaceMention);
  out = out.replace(LINE_BREAKING_TAG, '\n').replace(FORMATTING_TAG, '');
  out = decodeEntities(out).replace(INVISIBLE, '').replace(/\u00A0/g, ' ');
  // Clients that render the mention as plain text leave "@AIB Bot" or "AIB Bot" in front of the question.
  for (const name of botNames) {
    out = out.replace(new RegExp(`^\\s*@?${escapeRegExp(name)}(?![\\p{L}\\p{N}_])`, 'iu'), ' ');
  }
  out = out.trim();
  // "<at>Bot</at>, why …" leaves the comma behind; it belonged to the mention, not to the question.
  if (startedWithMention) out = out.replace(/^[,:;]+\s*/, '');
  return out;
}
