import en from '../../locales/en.json';
import zhCN from '../../locales/zh-CN.json';
import ptBR from '../../locales/pt-BR.json';
import itIT from '../../locales/it-IT.json';
import frFR from '../../locales/fr-FR.json';
import jaJP from '../../locales/ja-JP.json';

// Locale resolution and message lookup. Every user-facing string comes from locales/*.json; a key missing in a
// locale falls back to English as a whole message (never half a sentence in each language).

export const LOCALES = ['en', 'zh-CN', 'pt-BR', 'it-IT', 'fr-FR', 'ja-JP'] as const;
export type Locale = (typeof LOCALES)[number];

type Messages = typeof en;
const MESSAGES: Record<Locale, Messages> = {
  en,
  'zh-CN': zhCN as Messages,
  'pt-BR': ptBR as Messages,
  'it-IT': itIT as Messages,
  'fr-FR': frFR as Messages,
  'ja-JP': jaJP as Messages,
};

const BY_LANGUAGE: Record<string, Locale> = { en: 'en', zh: 'zh-CN', pt: 'pt-BR', it: 'it-IT', fr: 'fr-FR', ja: 'ja-JP' };

/** `en-US`, `zh-cn`, `pt`, `ja_JP` → a supported locale; anything else → English. */
export function resolveLocale(tag: string | undefined | null): Locale {
  if (!tag) return 'en';
  const norm = tag.replace('_', '-').toLowerCase();
  const exact = LOCALES.find((l) => l.toLowerCase() === norm);
  if (exact) return exact;
  return BY_LANGUAGE[norm.split('-')[0]] ?? 'en';
}

export function isSupportedLocale(tag: string): boolean {
  const norm = tag.replace('_', '-').toLowerCase();
  return LOCALES.some((l) => l.toLowerCase() === norm) || norm.split('-')[0] in BY_LANGUAGE;
}

function lookup(messages: unknown, key: string): unknown {
  let node: unknown = messages;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function fill(template: string, params?: Record<string, string | number | undefined>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = params[name];
    return v === undefined ? m : String(v);
  });
}

/** A message by dotted key (`cli.cause`), with `{name}` placeholders filled. */
export function t(locale: Locale, key: string, params?: Record<string, string | number | undefined>): string {
  const own = lookup(MESSAGES[locale], key);
  const value = typeof own === 'string' ? own : lookup(MESSAGES.en, key);
  if (typeof value !== 'string') throw new Error(`missing message: ${key}`);
  return fill(value, params);
}

export interface CatalogText {
  title: string;
  cause: string;
  fix: string[];
}

export function catalogText(locale: Locale, id: string): CatalogText {
  const own = lookup(MESSAGES[locale], `catalog.${id}`) as CatalogText | undefined;
  const text = own?.title ? own : (lookup(MESSAGES.en, `catalog.${id}`) as CatalogText | undefined);
  if (!text) throw new Error(`missing catalog text: ${id}`);
  return text;
}
