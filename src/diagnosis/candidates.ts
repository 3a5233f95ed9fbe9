import en from '../../locales/en.json';
import zhCN from '../../locales/zh-CN.json';
import ptBR from '../../locales/pt-BR.json';
import itIT from '../../locales/it-IT.json';
import frFR from '../../locales/fr-FR.json';
import jaJP from '../../locales/ja-JP.json';
import { CATALOG, type CatalogEntry } from './catalog';

// The second stage, for text no signature matched: rank the catalog's classes by weighted term overlap between
// the decisive lines and each class's own words (the literal words of its signatures, its id, and its title,
// cause and fix in all six locales, since people paste errors from localized tools). Rare words weigh more
// (inverse document frequency over the classes). The answer stays `unknown`: these are "possible causes".

export interface RankedCandidate {
  id: string;
  /** Sum of the matched terms' weights, rounded to two decimals. */
  score: number;
  /** The words that matched, most telling first (at most five). */
  terms: string[];
}

const MAX_CANDIDATES = 3;
/** A class needs at least this much overlap to be named at all (one rare word is not enough). */
const MIN_SCORE = 4;
const MAX_QUERY_CHARS = 64 * 1024;

const LOCALE_FILES = [en, zhCN, ptBR, itIT, frFR, jaJP] as unknown as Array<{ catalog: Record<string, { title: string; cause: string; fix: string[] }> }>;

// Words that every class's texts share and that tell nothing apart.
const STOP = new Set(
  'the and for with that this from your you are was were not has have had can into when then than what which will would could should there their them they its also only any all one more most other some such use using used been being does did done image images template templates build builds builder azure error errors failed failure fails fail message messages step steps run runs log logs line lines check open case support rerun again after before while'.split(
    ' ',
  ),
);

/** Lower-case word tokens: Latin words of 4+ letters, code-like words, and CJK bigrams. */
export function terms(text: string): string[] {
  const out: string[] = [];
  const t = text.length > MAX_QUERY_CHARS ? text.slice(0, MAX_QUERY_CHARS) : text;
  // Split CamelCase codes too: QuotaExceeded → quota, exceeded (and the whole code).
  const words = t.match(/[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ0-9]{2,40}/g) ?? [];
  for (const w of words) {
    const lower = w.toLowerCase();
    if (lower.length >= 4 && !STOP.has(lower)) out.push(lower);
    if (/[a-z][A-Z]/.test(w)) {
      for (const part of w.split(/(?<=[a-z0-9])(?=[A-Z])/)) {
        const p = part.toLowerCase();
        if (p.length >= 4 && !STOP.has(p)) out.push(p);
      }
    }
  }
  const cjk = t.match(/[\u3040-\u30ff\u4e00-\u9fff]+/g) ?? [];
  for (const run of cjk) for (let i = 0; i + 1 < run.length && i < 2000; i++) out.push(run.slice(i, i + 2));
  return out;
}

/** The literal words of an RE2 pattern: escapes and classes removed, what is left split into words. */
function signatureWords(pattern: string): string {
  return pattern
    .replace(/\\[a-zA-Z]/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\(\?[:!=]?/g, ' ')
    .replace(/[()|?*+.^$\\'"]/g, ' ');
}

interface Vocabulary {
  byEntry: Map<string, Map<string, number>>;
  idf: Map<string, number>;
}

let vocabulary: Vocabulary | undefined;

function ranked(entry: CatalogEntry): boolean {
  return !entry.benign && entry.id !== 'unknown';
}

function buildVocabulary(): Vocabulary {
  const byEntry = new Map<string, Map<string, number>>();
  const df = new Map<string, number>();
  for (const entry of CATALOG.filter(ranked)) {
    const weights = new Map<string, number>();
    const add = (text: string, weight: number) => {
      for (const term of terms(text)) weights.set(term, Math.max(weights.get(term) ?? 0, weight));
    };
    // Signature words count double: they are how the failure is worded, the texts are how we explain it.
    for (const sig of entry.signatures) add(signatureWords(sig), 2);
    add(entry.id.replace(/-/g, ' '), 2);
    for (const file of LOCALE_FILES) {
      const text = file.catalog[entry.id];
      if (text) add([text.title, text.cause, ...text.fix].join(' '), 1);
    }
    byEntry.set(entry.id, weights);
    for (const term of weights.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  }
  const n = byEntry.size;
  const idf = new Map<string, number>();
  for (const [term, count] of df) idf.set(term, Math.log((n + 1) / count));
  return { byEntry, idf };
}

/** Up to three classes whose words overlap the text most, best first; none when nothing overlaps enough. */
export function rankCandidates(text: string): RankedCandidate[] {
  vocabulary ??= buildVocabulary();
  const query = new Set(terms(text));
  const scored: RankedCandidate[] = [];
  for (const [id, weights] of vocabulary.byEntry) {
    let score = 0;
    const matched: Array<[string, number]> = [];
    for (const term of query) {
      const w = weights.get(term);
      if (w === undefined) continue;
      const s = w * (vocabulary.idf.get(term) ?? 0);
      if (s <= 0) continue;
      score += s;
      matched.push([term, s]);
    }
    if (score >= MIN_SCORE) {
      matched.sort((a, b) => b[1] - a[1]);
      scored.push({ id, score: Math.round(score * 100) / 100, terms: matched.slice(0, 5).map(([t]) => t) });
    }
  }
  return scored.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, MAX_CANDIDATES);
}
