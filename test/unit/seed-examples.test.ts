import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classify, scanText } from '../../src/diagnosis';

// Every error example of the 2020 guide (its 16 error sections), verbatim, classifies to its catalog id.

interface SeedExample {
  anchor: string;
  file: string;
  expectedId: string;
  kind: 'text' | 'log';
}

const dir = join(__dirname, '..', 'fixtures', 'seed-examples');
const examples: SeedExample[] = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));

test('the index covers the guide’s 16 error sections', () => {
  expect(examples).toHaveLength(16);
  expect(new Set(examples.map((e) => e.anchor)).size).toBe(16);
});

test.each(examples.map((e) => [e.anchor, e] as const))('%s', (_anchor, example) => {
  const text = readFileSync(join(dir, example.file), 'utf8');
  const result =
    example.kind === 'log' ? classify({ log: scanText(text, 'log') }) : classify({ texts: [text] });
  expect(result.diagnosis.id).toBe(example.expectedId);
  expect(result.evidence.length).toBeGreaterThan(0);
});
