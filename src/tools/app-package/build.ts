import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PackageError } from './errors';
import { ICONS, iconProblems } from './icon-check';
import { APP_PACKAGE_DIR, MANIFEST_PATH, PACKAGE_JSON_PATH } from './paths';
import { fillPlaceholders } from './placeholders';
import { schemaProblems, teamsRuleProblems } from './schema';
import { writeZip } from './zip';

// Manifest + icons → the zip Teams accepts for upload: files at the root of the archive, the manifest with every
// placeholder filled and checked against the schema before anything is written.

export interface AppPackageInputs {
  manifestText: string;
  /** Icon file name → bytes. */
  icons: Record<string, Uint8Array>;
  /** package.json's version: the manifest's APP_VERSION, so the app and the code it talks to share a version. */
  version: string;
}

export interface AppPackage {
  zip: Buffer;
  manifest: Record<string, unknown>;
}

export function readInputs(dir = APP_PACKAGE_DIR): AppPackageInputs {
  const read = (path: string) => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new PackageError('manifest-unreadable', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  };
  const version = (JSON.parse(read(PACKAGE_JSON_PATH).toString('utf8')) as { version: string }).version;
  const manifestPath = dir === APP_PACKAGE_DIR ? MANIFEST_PATH : join(dir, 'manifest.json');
  return {
    manifestText: read(manifestPath).toString('utf8'),
    icons: Object.fromEntries(ICONS.map((icon) => [icon.file, read(join(dir, icon.file))])),
    version,
  };
}

/**
 * `env` supplies every placeholder except APP_VERSION, which always comes from package.json: a version typed by
 * hand drifts from the code it describes.
 */
export function buildAppPackage(inputs: AppPackageInputs, env: Readonly<Record<string, string | undefined>>): AppPackage {
  const text = fillPlaceholders(inputs.manifestText, { ...env, APP_VERSION: inputs.version });
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new PackageError('manifest-unreadable', `manifest.json is not valid JSON after filling placeholders: ${(err as Error).message}`);
  }
  const problems = [...schemaProblems(manifest), ...teamsRuleProblems(manifest)];
  if (problems.length > 0) throw new PackageError('manifest-invalid', `manifest.json: ${problems.join('; ')}`);

  const declared = manifest.icons as Record<string, string>;
  const iconEntries = ICONS.map((spec) => {
    const data = inputs.icons[spec.file];
    if (!data) throw new PackageError('icon-invalid', `${spec.file} is missing`);
    if (!Object.values(declared).includes(spec.file)) throw new PackageError('manifest-invalid', `manifest.json does not reference ${spec.file}`);
    const iconIssues = iconProblems(spec, data);
    if (iconIssues.length > 0) throw new PackageError('icon-invalid', iconIssues.join('; '));
    return { name: spec.file, data };
  });

  const zip = writeZip([{ name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') }, ...iconEntries]);
  return { zip, manifest };
}
