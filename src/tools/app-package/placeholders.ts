import { PackageError } from './errors';

// `${{NAME}}` placeholders in the manifest (the Teams Toolkit convention, so the same file works with its tooling),
// filled from the environment. A value that is missing, empty or of the wrong shape stops the build: a package with
// a placeholder or a wrong bot id still uploads to Teams and then fails in ways that are hard to trace back.

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))].sort();
}

const GUID = /^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
// The all-zero GUID is what appPackage/.env.example holds: a copied example must not become a real package.
const realGuid = (v: string) => GUID.test(v) && !/^[0-]+$/.test(v);
// A bare host name: Teams compares validDomains with hosts, and a scheme or path there silently matches nothing.
const HOST = /^(?=.{1,253}$)(?:\*\.)?(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

const SHAPES: Record<string, { test: (v: string) => boolean; expected: string }> = {
  TEAMS_APP_ID: { test: realGuid, expected: 'a GUID other than all zeros (generate one once per deployment, e.g. with `uuidgen`)' },
  BOT_ID: { test: realGuid, expected: "a GUID other than all zeros: the client id of the bot's managed identity (deployment output botId)" },
  BOT_DOMAIN: { test: (v) => HOST.test(v), expected: 'a host name without scheme or path, e.g. app-aibchat-x.azurewebsites.net' },
  DEVELOPER_WEBSITE_URL: { test: (v) => /^https:\/\/\S+$/.test(v), expected: 'an https:// URL' },
  PRIVACY_URL: { test: (v) => /^https:\/\/\S+$/.test(v), expected: 'an https:// URL' },
  TERMS_OF_USE_URL: { test: (v) => /^https:\/\/\S+$/.test(v), expected: 'an https:// URL' },
  DEVELOPER_NAME: { test: (v) => v.length <= 32, expected: 'at most 32 characters' },
};

/** Replaces every placeholder in a JSON text; values are JSON-escaped so a quote in a name cannot break the file. */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string | undefined>>): string {
  const names = placeholdersIn(text);
  const missing = names.filter((name) => !values[name]?.trim());
  if (missing.length > 0) {
    throw new PackageError(
      'placeholder-missing',
      `no value for ${missing.join(', ')}: set ${missing.length === 1 ? 'it' : 'them'} in the environment or in the --env-file`,
      missing,
    );
  }
  const invalid = names.filter((name) => SHAPES[name] && !SHAPES[name].test(values[name]!.trim()));
  if (invalid.length > 0) {
    throw new PackageError(
      'placeholder-invalid',
      invalid.map((name) => `${name} must be ${SHAPES[name].expected}`).join('; '),
      invalid,
    );
  }
  const filled = text.replace(PLACEHOLDER, (_, name: string) => JSON.stringify(values[name]!.trim()).slice(1, -1));
  // A malformed placeholder (`${{ BOT ID }}`, `${BOT_ID}`) escapes the pattern above; it must not reach Teams either.
  const leftover = /\$\{\{?[^}]*\}\}?/.exec(filled);
  if (leftover) throw new PackageError('placeholder-invalid', `malformed placeholder left in the manifest: ${leftover[0]}`);
  return filled;
}

/** KEY=VALUE lines, `#` comments, optional surrounding quotes: the subset of .env files the toolkit writes. */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2].trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    values[match[1]] = value;
  }
  return values;
}
