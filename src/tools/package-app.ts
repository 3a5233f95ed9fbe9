import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { buildAppPackage, readInputs } from './app-package/build';
import { PackageError } from './app-package/errors';
import { DEFAULT_OUTPUT } from './app-package/paths';
import { parseEnvFile } from './app-package/placeholders';

// `npm run package [-- --env-file FILE] [-- --out FILE]`: builds appPackage/build/aib-chatops.zip for upload to
// Teams. Values come from the environment; an --env-file fills in what the environment does not set.

export interface PackageResult {
  path: string;
  bytes: number;
  sha256: string;
}

function parseArgs(argv: readonly string[]): { envFile?: string; out: string } {
  let envFile: string | undefined;
  let out = DEFAULT_OUTPUT;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if ((arg === '--env-file' || arg === '--out') && value && !value.startsWith('--')) {
      if (arg === '--env-file') envFile = resolve(value);
      else out = resolve(value);
      i++;
    } else {
      throw new PackageError('usage', `unexpected argument "${arg}"; usage: package-app [--env-file FILE] [--out FILE]`);
    }
  }
  return { envFile, out };
}

export function packageApp(argv: readonly string[], env: NodeJS.ProcessEnv): PackageResult {
  const { envFile, out } = parseArgs(argv);
  let fromFile: Record<string, string> = {};
  if (envFile) {
    try {
      fromFile = parseEnvFile(readFileSync(envFile, 'utf8'));
    } catch (err) {
      throw new PackageError('env-file-unreadable', `cannot read --env-file ${envFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  // An empty environment variable counts as unset, so an exported-but-blank BOT_ID does not hide the file's value.
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const { zip } = buildAppPackage(readInputs(), { ...fromFile, ...defined });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, zip);
  return { path: out, bytes: zip.length, sha256: createHash('sha256').update(zip).digest('hex') };
}

if (require.main === module) {
  try {
    const result = packageApp(process.argv.slice(2), process.env);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } catch (err) {
    if (!(err instanceof PackageError)) throw err;
    process.stderr.write(`package-app: ${err.code}: ${err.message}\n`);
    process.exitCode = 1;
  }
}
