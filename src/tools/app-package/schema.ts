import { readFileSync } from 'node:fs';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv-draft-04';
import { SCHEMA_PATH } from './paths';

// Offline validation against the Teams manifest schema kept in appPackage/schema/ (copied from the npm package
// @microsoft/app-manifest, see appPackage/schema/README.md). The Teams tooling fetches the schema from the
// manifest's $schema URL instead, which fails without network.

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    // The schema only uses "uri", on $schema and add-in URLs; ajv-formats would be a dependency for one check.
    ajv.addFormat('uri', (value: string) => {
      try {
        return Boolean(new URL(value).protocol);
      } catch {
        return false;
      }
    });
    compiled = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);
  }
  return compiled;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || '(root)';
  const extra =
    error.keyword === 'additionalProperties' ? ` "${(error.params as { additionalProperty: string }).additionalProperty}"` : '';
  return `${where} ${error.message ?? error.keyword}${extra}`;
}

/** Schema violations as readable lines; empty when the manifest is valid. */
export function schemaProblems(manifest: unknown): string[] {
  const validate = validator();
  return validate(manifest) ? [] : (validate.errors ?? []).map(describe);
}

interface BotLike {
  commandLists?: { commands?: { title?: string }[] }[];
}

/**
 * Rules Teams applies at upload that the JSON schema does not encode. Only the ones this manifest can break:
 * command titles are cut at 32 characters in the command menu, and validDomains takes hosts, not URLs.
 */
export function teamsRuleProblems(manifest: { bots?: BotLike[]; validDomains?: string[] }): string[] {
  const problems: string[] = [];
  for (const bot of manifest.bots ?? []) {
    for (const list of bot.commandLists ?? []) {
      for (const command of list.commands ?? []) {
        if ((command.title ?? '').length > 32) problems.push(`bot command title "${command.title}" is longer than 32 characters`);
      }
    }
  }
  for (const domain of manifest.validDomains ?? []) {
    if (/[/:]/.test(domain)) problems.push(`validDomains entry "${domain}" must be a host name without scheme, port or path`);
  }
  return problems;
}
