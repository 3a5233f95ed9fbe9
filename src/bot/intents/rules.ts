/**
 * Runs the language tables over one request: help first (whole message), then the resource-group clause comes
 * out, then show-log, list, status and diagnose rules in that order, each across all six tables. The order settles
 * overlaps: "show the log of X" is not a list, "status of all templates" is a list, "status" beats "failed" in
 * "what's the status of the failed X".
 */
import { FAILED_ONLY, LANGUAGE_TABLES, NAME_FILTER_CLAUSES, RESOURCE_GROUP_CLAUSES, type LanguageRules, type Rule } from './languages';
import { NAME_TOKEN, RESOURCE_GROUP_TOKEN, cleanResourceGroup, firstNameToken, toTemplateRef, type CapturedRef } from './names';
import { normalizePunctuation, stripCourtesy, trimSentencePunctuation } from './normalize';

export type Command =
  | { kind: 'help' }
  | { kind: 'list'; failedOnly: boolean; resourceGroup?: string; nameContains?: string }
  | { kind: 'diagnose' | 'status' | 'show-log'; target: CapturedRef };

type TargetKind = 'show-log' | 'status' | 'diagnose';

export type QuestionLanguage = LanguageRules['lang'];

/**
 * The languages a request's words read as: the one whose rule matched first, and whether another language's own
 * rules read it too (asked only for the client's language, so a request costs one extra table at most).
 */
export interface QuestionLanguages {
  readonly first?: QuestionLanguage;
  reads(lang: QuestionLanguage): boolean;
}

/** Words that tell no language (a greeting, "?"): every language reads them. */
export const NO_LANGUAGE: QuestionLanguages = { reads: () => true };

/** A recognised command and the languages its words read as. */
export interface Matched {
  readonly command: Command;
  readonly languages: QuestionLanguages;
}

interface CompiledRule {
  readonly pattern: RegExp;
  /** The pattern has a {N} slot; otherwise the name is looked for anywhere in the text. */
  readonly slot: boolean;
  readonly withoutName: boolean;
}

interface CompiledTable {
  readonly lang: QuestionLanguage;
  readonly appliesTo?: RegExp;
  readonly showLog: readonly CompiledRule[];
  readonly list: readonly CompiledRule[];
  readonly status: readonly CompiledRule[];
  readonly diagnose: readonly CompiledRule[];
  readonly listScope?: RegExp;
}

const WORD_CHAR = String.raw`[\p{L}\p{N}_]`;
// A \b written before a word only needs "no letter before", after a word "no letter after". The one-sided forms
// let the engine skip ahead to the keyword; a two-sided alternation cost ~10 µs per rule and message.
const WORD_START = `(?<!${WORD_CHAR})`;
const WORD_END = `(?!${WORD_CHAR})`;

/** A name fragment to narrow a list by: quoted, or the characters of a template name plus a glob's `*`. */
const NAME_FILTER_TOKEN = String.raw`(?<filter>"[^"\n]{1,64}"|[-\w.*]{1,64})`;

function expand(source: string, table?: LanguageRules): string {
  // Boundaries first, while the source is still the rule as written: what follows \b tells start from end.
  const withBoundaries = source.replace(/\\b(?=(\(\?:|\{|\[|\p{L})?)/gu, (_whole, startsWord: string | undefined) =>
    startsWord ? WORD_START : WORD_END,
  );
  // `\p{N}` in the boundaries is a Unicode class, not the {N} slot.
  return withBoundaries.replace(/(?<!\\p)\{([ANTRF])\}/g, (_whole, key: string) => {
    if (key === 'F') return NAME_FILTER_TOKEN;
    if (key === 'A') return table?.lead ?? '';
    if (key === 'T') return table?.templateWord ?? '';
    if (key === 'N') return `(?<name>${NAME_TOKEN})`;
    return `(?<rg>${RESOURCE_GROUP_TOKEN})`;
  });
}

function compileRule(rule: Rule, table: LanguageRules): CompiledRule {
  const source = typeof rule === 'string' ? rule : rule.pattern;
  const slot = source.includes('{N}');
  return {
    // Slot rules are scanned match by match: the first capture may be a filler word ("show the log of X").
    pattern: new RegExp(expand(source, table), slot ? 'giu' : 'iu'),
    slot,
    withoutName: typeof rule !== 'string' && rule.withoutName,
  };
}

const TABLES: readonly CompiledTable[] = LANGUAGE_TABLES.map((table) => ({
  lang: table.lang,
  appliesTo: table.appliesTo,
  showLog: table.showLog.map((rule) => compileRule(rule, table)),
  list: table.list.map((rule) => compileRule(rule, table)),
  status: table.status.map((rule) => compileRule(rule, table)),
  diagnose: table.diagnose.map((rule) => compileRule(rule, table)),
  listScope: table.listScope ? new RegExp(expand(table.listScope, table), 'iu') : undefined,
}));

const HELP = new RegExp(`^(?:${LANGUAGE_TABLES.flatMap((table) => table.help).join('|')})$`, 'iu');
// Per language, to tell which language a "help" was written in ("help" is English and Italian alike).
const HELP_BY_LANGUAGE = LANGUAGE_TABLES.map((table) => ({ lang: table.lang, pattern: new RegExp(`^(?:${table.help.join('|')})$`, 'iu') }));
const RESOURCE_GROUP_CLAUSE_PATTERNS = RESOURCE_GROUP_CLAUSES.map((clause) => new RegExp(expand(clause), 'giu'));
const FAILED_ONLY_PATTERN = new RegExp(expand(FAILED_ONLY), 'iu');
const NAME_FILTER_PATTERNS = NAME_FILTER_CLAUSES.map((clause) => new RegExp(expand(clause), 'iu'));

/** "named X": the name fragment a list is narrowed by (quotes and a glob's `*` taken off), and the text without it. */
function extractNameFilter(text: string): { text: string; nameContains?: string } {
  for (const pattern of NAME_FILTER_PATTERNS) {
    const match = pattern.exec(text);
    const filter = match?.groups?.filter?.replace(/^"|"$/g, '').replace(/\*/g, '').trim();
    if (match && filter) return { text: `${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)}`.trim(), nameContains: filter };
  }
  return { text };
}

/** Takes "in resource group R" out of the text, so R is never read as a template name. */
function extractResourceGroup(text: string): { text: string; resourceGroup?: string } {
  for (const clause of RESOURCE_GROUP_CLAUSE_PATTERNS) {
    for (const match of allMatches(clause, text)) {
      const resourceGroup = cleanResourceGroup(match.groups?.rg);
      if (!resourceGroup || match.index === undefined) continue;
      const rest = `${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)}`;
      return { text: rest.replace(/\s+/g, ' ').trim(), resourceGroup };
    }
  }
  return { text };
}

/**
 * Every match of a global pattern, reusing the compiled expression: `String.prototype.matchAll` clones the RegExp
 * on each call, which made a short Japanese question cost milliseconds.
 */
function* allMatches(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    // An empty match would leave lastIndex where it is and loop forever.
    if (match[0].length === 0) pattern.lastIndex += 1;
    yield match;
  }
}

function applicable(table: CompiledTable, text: string): boolean {
  return !table.appliesTo || table.appliesTo.test(text);
}

function matchList(text: string, resourceGroup: string | undefined): Matched | undefined {
  for (const table of TABLES) {
    if (!applicable(table, text)) continue;
    for (const rule of table.list) {
      if (!rule.pattern.test(text)) continue;
      // "模板 X" names a template; "名称包含 X 的模板" narrows a list by X, so X is not read as a name there.
      if (rule.withoutName && firstNameToken(extractNameFilter(text).text)) continue;
      let rest = text;
      let scope = resourceGroup;
      if (!scope) {
        for (const other of TABLES) {
          const match = other.listScope?.exec(text);
          const candidate = cleanResourceGroup(match?.groups?.rg);
          if (match && candidate) {
            scope = candidate;
            rest = text.slice(0, match.index);
            break;
          }
        }
      }
      const named = extractNameFilter(rest);
      // Decided on the text without the resource group or the name filter, so "failed-builds" filters nothing.
      const failedOnly = FAILED_ONLY_PATTERN.test(named.text);
      const command: Command = scope ? { kind: 'list', failedOnly, resourceGroup: scope } : { kind: 'list', failedOnly };
      if (named.nameContains) command.nameContains = named.nameContains;
      return { command, languages: languagesOf(table, 'list', text) };
    }
  }
  return undefined;
}

function matchTarget(kind: TargetKind, text: string, resourceGroup: string | undefined): Matched | undefined {
  const key = kind === 'show-log' ? 'showLog' : kind;
  for (const table of TABLES) {
    if (!applicable(table, text)) continue;
    for (const rule of table[key]) {
      if (!rule.slot) {
        if (!rule.pattern.test(text)) continue;
        const target = toTemplateRef(firstNameToken(text), resourceGroup);
        if (target) return { command: { kind, target }, languages: languagesOf(table, key, text) };
        continue;
      }
      for (const match of allMatches(rule.pattern, text)) {
        const target = toTemplateRef(match.groups?.name, resourceGroup);
        if (target) return { command: { kind, target }, languages: languagesOf(table, key, text) };
      }
    }
  }
  return undefined;
}

/** A single-line request → the command it asks for, or undefined when no rule recognises it. */
export function parseCommand(line: string): Command | undefined {
  return understandCommand(line)?.command;
}

/**
 * The command and the languages it reads as, first the one whose rule matched. Empty when the words tell no
 * language (a greeting, "?"): the reply then keeps the client's locale.
 */
export function understandCommand(line: string): Matched | undefined {
  const normalized = normalizePunctuation(line);
  const core = stripCourtesy(normalized);
  if (/^\?+$/.test(core.replace(/\s+/g, ''))) return { command: { kind: 'help' }, languages: NO_LANGUAGE };
  const whole = trimSentencePunctuation(core);
  // Only a greeting or "please" was said: the useful answer is what the bot can do.
  if (!whole) return /[\p{L}\p{N}]/u.test(normalized) ? { command: { kind: 'help' }, languages: NO_LANGUAGE } : undefined;
  if (HELP.test(whole)) return { command: { kind: 'help' }, languages: helpLanguages(whole) };

  const { text, resourceGroup } = extractResourceGroup(whole);
  return (
    matchTarget('show-log', text, resourceGroup) ??
    matchList(text, resourceGroup) ??
    matchTarget('status', text, resourceGroup) ??
    matchTarget('diagnose', text, resourceGroup)
  );
}

// ------------------------------------------------------------------------------------------------ languages

/** Kana only appear in Japanese; Han characters alone may be either Chinese or Japanese. */
const KANA = /[\p{sc=Hiragana}\p{sc=Katakana}]/u;

/**
 * The languages a matched rule's text reads as. The CJK tables share their keywords (失敗, 原因), so the script
 * decides between them; any other language reads the text when a rule of the same kind in its own table matches,
 * so a client whose language also reads the text keeps its locale.
 */
function languagesOf(matched: CompiledTable, key: 'showLog' | 'list' | 'status' | 'diagnose', text: string): QuestionLanguages {
  const kana = KANA.test(text);
  const otherCjk: QuestionLanguage = matched.lang === 'zh-CN' ? 'ja-JP' : 'zh-CN';
  const own: QuestionLanguage[] = !matched.appliesTo ? [matched.lang] : kana ? ['ja-JP'] : [matched.lang, otherCjk];
  return {
    first: own[0],
    reads(lang) {
      if (own.includes(lang)) return true;
      if (kana && lang === 'zh-CN') return false;
      const table = TABLES.find((candidate) => candidate.lang === lang);
      return !!table && applicable(table, text) && table[key].some((rule) => testRule(rule, text));
    },
  };
}

function testRule(rule: CompiledRule, text: string): boolean {
  rule.pattern.lastIndex = 0;
  const hit = rule.pattern.test(text);
  rule.pattern.lastIndex = 0;
  return hit;
}

function helpLanguages(text: string): QuestionLanguages {
  const all = HELP_BY_LANGUAGE.filter((entry) => entry.pattern.test(text)).map((entry) => entry.lang);
  // The CJK help words are shared too (帮助 is Chinese only, but ヘルプ has kana).
  const langs = KANA.test(text) ? all.filter((lang) => lang !== 'zh-CN') : all;
  return { first: langs[0], reads: (lang) => langs.includes(lang) };
}
