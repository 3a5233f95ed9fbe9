import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOG, catalogEntry, classify, scanText, templateFacts, ACTION_NAMES, type Diagnosis } from '../../src/diagnosis';
import { GENERATED_LOGS } from '../fixtures/logs/generate-evil';

// One catalog entry = one failure class: each has positive samples shaped like what AIB prints, and none of the
// long successful builds may trip a non-benign signature.

interface Sample {
  file: string;
  expectedId: string;
  kind: 'template' | 'text' | 'log';
  note?: string;
  customizer?: string | null;
  deprovision?: boolean;
  warnings?: string[];
}

const samplesDir = join(__dirname, '..', 'fixtures', 'samples');
const logsDir = join(__dirname, '..', 'fixtures', 'logs');
const samples: Sample[] = JSON.parse(readFileSync(join(samplesDir, 'index.json'), 'utf8'));

function diagnoseSample(sample: Sample): Diagnosis {
  const text = readFileSync(join(samplesDir, sample.file), 'utf8');
  if (sample.kind === 'template') return classify({ template: templateFacts(JSON.parse(text)) });
  if (sample.kind === 'log') return classify({ log: scanText(text, 'log') });
  return classify({ texts: [text] });
}

describe('catalog entries', () => {
  test.each(CATALOG.map((e) => [e.id, e] as const))('%s is complete', (_id, entry) => {
    expect(entry.docs.current).toMatch(/^[a-z0-9-]+$/);
    if (entry.docs.guide2020) expect(entry.docs.guide2020).toMatch(/^[a-z0-9-]+$/);
    expect(entry.actions.length).toBeGreaterThan(0);
    for (const a of entry.actions) expect(ACTION_NAMES).toContain(a);
    // `unknown` and `no-failure` are decided from facts, never from a phrase.
    if (entry.id !== 'unknown' && entry.id !== 'no-failure') expect(entry.signatures.length).toBeGreaterThan(0);
  });

  test('every id except unknown has at least one positive sample', () => {
    // A benign class shows in a successful build's warnings (no-failure), which is where a sample holds it.
    const sampled = new Set(samples.flatMap((s) => [s.expectedId, ...(s.warnings ?? [])]));
    const missing = CATALOG.map((e) => e.id).filter((id) => id !== 'unknown' && !sampled.has(id));
    expect(missing).toEqual([]);
  });
});

describe('positive samples', () => {
  test.each(samples.map((s) => [s.file, s] as const))('%s', (_file, sample) => {
    const d = diagnoseSample(sample);
    expect(d.diagnosis.id).toBe(sample.expectedId);
    expect(d.evidence.length).toBeGreaterThan(0);
    for (const w of sample.warnings ?? []) expect(d.warnings?.map((x) => x.id)).toContain(w);
    if (sample.kind === 'log' && sample.customizer !== undefined) {
      if (sample.customizer === null) expect(d.customizer).toBeNull();
      else expect(d.customizer).toMatchObject({ type: sample.customizer, ...(sample.deprovision ? { deprovision: true } : {}) });
    }
    // Nothing we print carries a SAS signature.
    expect(JSON.stringify(d)).not.toMatch(/sig=(?!\[redacted\])[A-Za-z0-9%]/);
  });
});

interface LogFixture {
  file: string;
  expectedId: string | null;
  customizer: string | null;
  generated?: boolean;
  committed?: boolean;
  benign?: string[];
}

const logFixtures: LogFixture[] = JSON.parse(readFileSync(join(logsDir, 'index.json'), 'utf8'));
const readLog = (f: LogFixture): Buffer =>
  f.committed === false ? GENERATED_LOGS[f.file]() : readFileSync(join(logsDir, f.file));

describe('negative: successful builds trip nothing but benign warnings', () => {
  test.each(logFixtures.filter((f) => f.expectedId === null && f.file !== 'empty.log').map((f) => [f.file, f] as const))(
    '%s',
    (_file, fixture) => {
      const scan = scanText(readLog(fixture).toString('utf8'), 'log');
      const failures = scan.hits.filter((h) => !catalogEntry(h.entryId).benign);
      expect(failures.map((h) => `${h.entryId} @${h.first.line}: ${h.first.text}`)).toEqual([]);
      expect(scan.steps.length).toBeGreaterThan(3);
      expect(scan.steps.every((s) => s.endLine !== undefined)).toBe(true);
      expect(scan.finalizingLine).toBeDefined();
    },
  );
});

describe('evil logs', () => {
  test.each(logFixtures.filter((f) => f.expectedId !== null).map((f) => [f.file, f] as const))('%s', (_file, fixture) => {
    const d = classify({ log: scanText(readLog(fixture).toString('utf8'), 'log') });
    expect(d.diagnosis.id).toBe(fixture.expectedId);
    if (fixture.customizer) expect(d.customizer?.type).toBe(fixture.customizer);
    expect(JSON.stringify(d)).not.toMatch(/sig=(?!\[redacted\])[A-Za-z0-9%]/);
  });

  test('an empty log alone is nothing to diagnose', () => {
    expect(classify({ log: scanText('', 'log') }).diagnosis.id).toBe('unknown');
  });
});
