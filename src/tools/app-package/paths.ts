import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Found by walking up from this file, so the tools behave the same from src/ (ts-jest) and dist/src/ (compiled).
function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'aib-chatops') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no aib-chatops package.json above ${__dirname}`);
    dir = parent;
  }
}

export const PROJECT_ROOT = projectRoot();
export const PACKAGE_JSON_PATH = join(PROJECT_ROOT, 'package.json');
export const APP_PACKAGE_DIR = join(PROJECT_ROOT, 'appPackage');
export const MANIFEST_PATH = join(APP_PACKAGE_DIR, 'manifest.json');
export const SCHEMA_PATH = join(APP_PACKAGE_DIR, 'schema', 'MicrosoftTeams.v1.23.schema.json');
export const DEFAULT_OUTPUT = join(APP_PACKAGE_DIR, 'build', 'aib-chatops.zip');
