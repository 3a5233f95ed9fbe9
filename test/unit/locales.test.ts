import * as fs from 'fs';
import * as path from 'path';
import { CATALOG } from '../../src/diagnosis/catalog';
import { ACTION_NAMES, PHASES } from '../../src/diagnosis/types';
import { CUSTOMIZATION_IDS } from '../helpers/catalog-ids';

// The locale files are read from disk rather than imported so that a malformed file fails this test with the
// file's name instead of breaking compilation of every test that imports it.
const LOCALE_DIR = path.join(__dirname, '..', '..', 'locales');
const LOCALES = ['en', 'zh-CN', 'pt-BR', 'it-IT', 'fr-FR', 'ja-JP'] as const;
type LocaleName = (typeof LOCALES)[number];
const REFERENCE: LocaleName = 'en';

// The DESIGN.md list as a literal, so a catalog entry dropped by mistake shows up here as well as in the catalog's tests.
const CATALOG_IDS = [
  // submission
  'template-exists',
  'identity-unusable',
  'identity-not-authorized',
  'deployment-failed-permissions',
  'template-validation-failed',
  'required-field-missing',
  'distribute-target-removed',
  'provider-not-registered',
  'operation-not-allowed-in-state',
  // build
  'authorization-failed',
  'disk-authorization',
  'source-image-not-found',
  'policy-violation',
  'quota-exceeded',
  'aci-provider-unregistered',
  'aci-quota-exceeded',
  'aci-too-many',
  'isolated-build-failure',
  'jwt-expiry',
  'nic-not-found',
  'no-artifacts',
  'service-error',
  // customization
  ...CUSTOMIZATION_IDS,
  // distribution
  'gallery-replication-timeout',
  'distribution-failed',
  // pipeline
  'devops-task-canceled',
  'devops-task-error',
  // after the build
  'windows-modules-installer',
  'vm-creation-failed',
  // benign
  'no-artifacts-warning',
  'image-creation-skipped',
  'resource-deletion-retry',
  // fallback
  'unknown',
  // wave 2 (issue 10): classes the real world shows, and the success answer
  'purchase-plan-missing',
  'storage-access-refused',
  'vm-size-unavailable',
  'unknown-template-property',
  'identity-required',
  'user-not-authorized',
  'waagent-missing',
  'hyperv-generation-mismatch',
  'security-type-mismatch',
  'client-tooling-failed',
  'no-failure',
  // issue 13: the validation phase (API 2022-02-14) and triggers (2022-07-01)
  'validation-failed',
  'trigger-disabled',
] as const;

const MAX_TITLE_CHARS = 70;
const MIN_FIX_STEPS = 2;
const MAX_FIX_STEPS = 5;

type Leaf = string | string[];
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface CatalogText {
  title: string;
  cause: string;
  fix: string[];
}

interface LocaleFile {
  meta: { locale: string; languageName: string };
  phase: Record<string, string>;
  confidence: Record<string, string>;
  action: Record<string, string>;
  cli: Record<string, string>;
  catalog: Record<string, CatalogText>;
}

function readLocale(name: LocaleName): { raw: Json; file: LocaleFile } {
  const text = fs.readFileSync(path.join(LOCALE_DIR, `${name}.json`), 'utf8');
  const raw = JSON.parse(text) as Json;
  return { raw, file: raw as unknown as LocaleFile };
}

/** Flattens nested objects to dotted keys; arrays are leaves because fix steps are compared as a whole. */
function flatten(value: Json, prefix: string, out: Map<string, Leaf>, problems: string[]): Map<string, Leaf> {
  if (typeof value === 'string') {
    out.set(prefix, value);
  } else if (Array.isArray(value)) {
    const strings = value.filter((item): item is string => typeof item === 'string');
    if (strings.length !== value.length) problems.push(`${prefix}: array holds a non-string`);
    out.set(prefix, strings);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      flatten(child, prefix === '' ? key : `${prefix}.${key}`, out, problems);
    }
  } else {
    problems.push(`${prefix}: ${JSON.stringify(value)} is not text`);
  }
  return out;
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

function placeholders(leaf: Leaf): string[] {
  const names = new Set<string>();
  for (const text of textsOf(leaf)) {
    for (const match of text.matchAll(PLACEHOLDER)) names.add(match[1]);
  }
  return [...names].sort();
}

function textsOf(leaf: Leaf): string[] {
  return typeof leaf === 'string' ? [leaf] : leaf;
}

const loaded = new Map(LOCALES.map((name) => [name, readLocale(name)] as const));
const flat = new Map(
  LOCALES.map((name) => {
    const problems: string[] = [];
    const leaves = flatten(loaded.get(name)!.raw, '', new Map(), problems);
    return [name, { leaves, problems }] as const;
  }),
);
const reference = flat.get(REFERENCE)!.leaves;
const others = LOCALES.filter((name) => name !== REFERENCE);

describe('locale files', () => {
  test.each(LOCALES)('%s holds only strings and string arrays', (name) => {
    expect(flat.get(name)!.problems).toEqual([]);
  });

  test.each(LOCALES)('%s names itself in meta.locale', (name) => {
    const { meta } = loaded.get(name)!.file;
    expect(meta.locale).toBe(name);
    expect(meta.languageName.trim()).not.toBe('');
  });

  test.each(others)('%s has exactly the keys of en', (name) => {
    const keys = [...flat.get(name)!.leaves.keys()];
    const missing = [...reference.keys()].filter((key) => !flat.get(name)!.leaves.has(key));
    const extra = keys.filter((key) => !reference.has(key));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  test.each(others)('%s uses the same {placeholders} as en for every key', (name) => {
    const mismatches: string[] = [];
    for (const [key, leaf] of flat.get(name)!.leaves) {
      const expected = reference.get(key);
      if (expected === undefined) continue;
      const want = placeholders(expected).join(',');
      const got = placeholders(leaf).join(',');
      if (want !== got) mismatches.push(`${key}: expected {${want}} got {${got}}`);
    }
    expect(mismatches).toEqual([]);
  });

  test.each(LOCALES)('%s has no empty or padded strings and no stray braces', (name) => {
    const bad: string[] = [];
    for (const [key, leaf] of flat.get(name)!.leaves) {
      const texts = textsOf(leaf);
      if (texts.length === 0) bad.push(`${key}: empty array`);
      for (const text of texts) {
        if (text.trim() === '') bad.push(`${key}: empty string`);
        else if (text !== text.trim()) bad.push(`${key}: leading or trailing whitespace`);
        // A brace left after removing well-formed placeholders is a typo such as "{ line}" or "{line".
        if (/[{}]/.test(text.replace(PLACEHOLDER, ''))) bad.push(`${key}: malformed placeholder in "${text}"`);
      }
    }
    expect(bad).toEqual([]);
  });

  test.each(LOCALES)('%s names every phase, confidence level and card action', (name) => {
    const file = loaded.get(name)!.file;
    expect(Object.keys(file.phase).sort()).toEqual([...PHASES].sort());
    expect(Object.keys(file.action).sort()).toEqual([...ACTION_NAMES].sort());
    expect(Object.keys(file.confidence).sort()).toEqual(['high', 'low', 'medium']);
  });
});

describe('catalog texts', () => {
  test('the id list has no duplicates', () => {
    expect(new Set(CATALOG_IDS).size).toBe(CATALOG_IDS.length);
  });

  test.each(LOCALES)('%s has texts for exactly the catalog ids', (name) => {
    const ids = Object.keys(loaded.get(name)!.file.catalog);
    const missing = CATALOG_IDS.filter((id) => !ids.includes(id));
    const extra = ids.filter((id) => !(CATALOG_IDS as readonly string[]).includes(id));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  test('the id list and the catalog module name the same failures', () => {
    const catalogIds = CATALOG.map((entry) => entry.id).sort();
    expect(catalogIds).toEqual([...CATALOG_IDS].sort());
  });

  test.each(LOCALES)('%s has a title, cause and fix for every CATALOG entry', (name) => {
    const texts = loaded.get(name)!.file.catalog;
    const missing = CATALOG.map((entry) => entry.id).filter(
      (id) => !texts[id] || !texts[id].title || !texts[id].cause || !Array.isArray(texts[id].fix),
    );
    expect(missing).toEqual([]);
  });

  test.each(LOCALES)('%s gives every id a short title, a cause and 2-5 fix steps', (name) => {
    const bad: string[] = [];
    for (const [id, text] of Object.entries(loaded.get(name)!.file.catalog)) {
      if (typeof text.title !== 'string' || typeof text.cause !== 'string' || !Array.isArray(text.fix)) {
        bad.push(`${id}: needs title, cause and fix`);
        continue;
      }
      // Code points, not UTF-16 units, so a CJK title is measured the way a reader sees it.
      const titleLength = [...text.title].length;
      if (titleLength > MAX_TITLE_CHARS) bad.push(`${id}: title has ${titleLength} characters`);
      if (text.fix.length < MIN_FIX_STEPS || text.fix.length > MAX_FIX_STEPS) {
        bad.push(`${id}: ${text.fix.length} fix steps`);
      }
      if (Object.keys(text).sort().join(',') !== 'cause,fix,title') bad.push(`${id}: unexpected fields`);
    }
    expect(bad).toEqual([]);
  });

  test.each(others)('%s has as many fix steps per id as en', (name) => {
    const en = loaded.get(REFERENCE)!.file.catalog;
    const mismatches = Object.entries(loaded.get(name)!.file.catalog)
      .filter(([id, text]) => en[id] !== undefined && en[id].fix.length !== text.fix.length)
      .map(([id, text]) => `${id}: ${text.fix.length} steps, en has ${en[id].fix.length}`);
    expect(mismatches).toEqual([]);
  });

  test.each(others)('%s translates every title and cause instead of copying the English', (name) => {
    const en = loaded.get(REFERENCE)!.file.catalog;
    const copied = Object.entries(loaded.get(name)!.file.catalog)
      .filter(([id, text]) => en[id] !== undefined && (text.title === en[id].title || text.cause === en[id].cause))
      .map(([id]) => id);
    expect(copied).toEqual([]);
  });

  // Romanized or machine-mixed text would pass the structural checks, so look at the script itself.
  const KANA = /[\u3040-\u30ff]/;
  const HAN = /[\u4e00-\u9fff]/;
  test.each([
    ['ja-JP', (text: string) => KANA.test(text)],
    ['zh-CN', (text: string) => HAN.test(text) && !KANA.test(text)],
  ] as const)('%s titles, causes and fix steps are written in its own script', (name, inScript) => {
    const wrong: string[] = [];
    for (const [id, text] of Object.entries(loaded.get(name)!.file.catalog)) {
      for (const [field, value] of [['title', text.title], ['cause', text.cause], ...text.fix.map((step, i) => [`fix[${i}]`, step])]) {
        if (!inScript(value)) wrong.push(`${id}.${field}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
