import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes an action policy to a fresh temp file and returns its path (for ACTION_POLICY). */
export function policyFile(policy: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'aib-policy-')), 'policy.json');
  writeFileSync(file, JSON.stringify(policy));
  return file;
}
