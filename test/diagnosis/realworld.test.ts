import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classify, scanText, templateFacts } from '../../src/diagnosis';
import {
  accuracyBy,
  defaultDevSetDir,
  evaluate,
  formatTable,
  inputForCase,
  isRight,
  loadLabelledCases,
  resultOf,
  type CaseResult,
} from '../../src/tools/diagnosis-accuracy';
import { SECOND_SAMPLES, TEMPLATE_MESSAGES } from './second-samples';

// The development set of real failures (../shared/realworld beside the clone), table-driven: every case must
// answer one of its accepted ids (or the wave-2 class that refines its `other:` label), and so must the second
// sample written for it in other words. A missing folder fails here on purpose: it never skips.

const DIR = defaultDevSetDir();

test('the development set is where the tests expect it', () => {
  if (!existsSync(join(DIR, 'accepted-ids.json'))) {
    throw new Error(`development set not found at ${DIR}: put shared/realworld beside the clone (../shared/realworld)`);
  }
});

const cases = existsSync(join(DIR, 'accepted-ids.json')) ? loadLabelledCases(DIR) : [];
const byId = new Map(cases.map((c) => [c.id, c]));

test('it holds the 26 cases its README describes', () => {
  expect(cases.map((c) => c.id)).toHaveLength(26);
});

describe('development set', () => {
  test.each(cases.map((c) => [c.id, c] as const))('case %s answers an accepted id', (_id, c) => {
    const d = classify(inputForCase(c));
    expect({ case: c.id, answered: d.diagnosis.id, right: isRight(d.diagnosis.id, c) }).toEqual({
      case: c.id,
      answered: d.diagnosis.id,
      right: true,
    });
    // `unknown` is never said with confidence, and a guess is never `high`.
    if (d.diagnosis.id === 'unknown') expect(d.diagnosis.confidence).toBe('low');
  });
});

describe('second samples (the same failures in other words)', () => {
  test('there is one for every development-set case', () => {
    expect(SECOND_SAMPLES.map((s) => s.of).sort()).toEqual(cases.map((c) => c.id).sort());
  });

  test.each(SECOND_SAMPLES.map((s) => [s.of, s.how, s] as const))('case %s, %s', (of, _how, sample) => {
    const c = byId.get(of);
    if (!c) throw new Error(`second sample for case ${of}, which the development set does not have`);
    const input = inputForCase(sample);
    const tm = TEMPLATE_MESSAGES[of];
    if (tm) {
      input.template = templateFacts({
        properties: { provisioningState: 'Succeeded', lastRunStatus: { runState: sample.runState ?? 'Failed', runSubState: tm.runSubState, message: tm.message } },
      });
    }
    const d = classify(input);
    expect({ of, answered: d.diagnosis.id, right: isRight(d.diagnosis.id, c) }).toEqual({ of, answered: d.diagnosis.id, right: true });
  });
});

describe('accuracy tables (printed for the closing note)', () => {
  test('per class and per confidence level, development set plus second samples', () => {
    const dev = evaluate(cases);
    const second: CaseResult[] = SECOND_SAMPLES.map((s) => {
      const c = byId.get(s.of)!;
      const input = inputForCase(s);
      const tm = TEMPLATE_MESSAGES[s.of];
      if (tm) {
        input.template = templateFacts({
          properties: { provisioningState: 'Succeeded', lastRunStatus: { runState: 'Failed', runSubState: tm.runSubState, message: tm.message } },
        });
      }
      return resultOf(`${s.of}b`, c, classify(input));
    });
    // The catalog's own samples (one or more per class, written for this project) count too.
    const samplesDir = join(__dirname, '..', 'fixtures', 'samples');
    const index = JSON.parse(readFileSync(join(samplesDir, 'index.json'), 'utf8')) as Array<{ file: string; expectedId: string; kind: string }>;
    const samples: CaseResult[] = index.map((s) => {
      const text = readFileSync(join(samplesDir, s.file), 'utf8');
      const d =
        s.kind === 'template'
          ? classify({ template: templateFacts(JSON.parse(text)) })
          : s.kind === 'log'
            ? classify({ log: scanText(text, 'log') })
            : classify({ texts: [text] });
      const right = d.diagnosis.id === s.expectedId;
      return { id: s.file, expected: s.expectedId, accepted: [s.expectedId], answered: d.diagnosis.id, confidence: d.diagnosis.confidence, right, strict: right };
    });
    const all = [...dev, ...second, ...samples];
    const report = [
      formatTable('class (development set)', accuracyBy(dev, (r) => r.expected)),
      formatTable('confidence (dev set + second samples)', accuracyBy([...dev, ...second], (r) => r.confidence)),
      formatTable('confidence (+ catalog samples)', accuracyBy(all, (r) => r.confidence)),
    ].join('\n\n');
    // Printed so `npx jest test/diagnosis -t accuracy` gives the numbers; asserted so a regression shows.
    process.stdout.write(`${report}\n`);
    const high = all.filter((r) => r.confidence === 'high');
    expect(high.filter((r) => !r.right).map((r) => `${r.id}: ${r.answered}`)).toEqual([]);
  });
});
