import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { checkImports, describe as describeViolation, type SourceText } from './import-rules/checker';

// The layout in DESIGN.md, kept true by reading every src/ file's imports. The checker is first run on a small
// synthetic tree that breaks each rule exactly once (so a forbidden import provably fails the test), then on src/.

const ROOT = join(__dirname, '..', '..');

function sourcesUnder(dir: string): SourceText[] {
  const out: SourceText[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourcesUnder(path));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.push({ path: relative(ROOT, path).split(sep).join('/'), text: readFileSync(path, 'utf8') });
    }
  }
  return out;
}

const file = (path: string, ...lines: string[]): SourceText => ({ path, text: `${lines.join('\n')}\n` });

/** Imports every rule allows: the shape of the real tree in miniature. */
const CLEAN: SourceText[] = [
  file('src/model/template-id.ts', "import { createHash } from 'node:crypto';", 'export const x = 1;'),
  file('src/diagnosis/classify.ts', "import type { X } from '../model/template-id';", "import RE2 from 're2';"),
  file('src/azure/templates.ts', "import { ImageBuilderClient } from '@azure/arm-imagebuilder';", "import { classify } from '../diagnosis/classify';"),
  file('src/usecases/diagnose.ts', "import { t } from '../azure/templates';", "import { c } from '../diagnosis/classify';"),
  file('src/cards/render.ts', "import { Template } from 'adaptivecards-templating';", "import type { D } from '../diagnosis/classify';"),
  file('src/bot/bot.ts', "import { TeamsActivityHandler } from 'botbuilder';", "import { d } from '../usecases/diagnose';", "import { r } from '../cards/render';"),
  file('src/server.ts', "import restify from 'restify';", "import { b } from './bot/bot';"),
  file('src/sandbox/seed.ts', "import { BlobServiceClient } from '@azure/storage-blob';", "import { readFile } from 'node:fs/promises';"),
];

test('a tree that keeps every rule passes', () => {
  expect(checkImports(CLEAN)).toEqual([]);
});

test('each forbidden arrow is reported once, with its file, line and import', () => {
  const broken: SourceText[] = [
    ...CLEAN,
    file('src/diagnosis/log-scan.ts', '// reads the log itself', "import { createReadStream } from 'node:fs';"),
    file('src/model/subject.ts', "import { request } from 'http';"),
    file('src/diagnosis/texts.ts', "import type { Card } from '../cards/render';"),
    file('src/diagnosis/hint.ts', "const { s } = require('../sandbox/seed');"),
    file('src/diagnosis/reply.ts', "export { b } from '../bot/bot';"),
    file('src/azure/support.ts', "import { seed } from '../sandbox/seed';"),
    file('src/azure/notify.ts', "import type { TurnContext } from 'botbuilder-core';"),
    file('src/cards/error-card.ts', "import { GatewayError } from '../azure/templates';"),
    file('src/cards/diagnosis-card.ts', "async function f() { return import('../usecases/diagnose'); }"),
    file('src/usecases/support.ts', "import { MicrosoftSupport } from '@azure/arm-support';"),
    file('src/sandbox/arm.ts', "import { ImageBuilderClient } from '@azure/arm-imagebuilder';"),
    file('src/app.ts', "import { CloudAdapter } from 'botbuilder';"),
    file('src/cli.ts', "import restify from 'restify';"),
  ];
  const found = checkImports(broken).map((v) => [v.rule, v.file, v.line, v.imports]);
  expect(found).toEqual([
    ['bot-framework-outside-chat', 'src/app.ts', 1, 'botbuilder'],
    ['bot-framework-outside-chat', 'src/azure/notify.ts', 1, 'botbuilder-core'],
    ['gateway-imports-chat-or-sandbox', 'src/azure/support.ts', 1, '../sandbox/seed'],
    ['cards-import-gateways-or-usecases', 'src/cards/diagnosis-card.ts', 1, '../usecases/diagnose'],
    ['cards-import-gateways-or-usecases', 'src/cards/error-card.ts', 1, '../azure/templates'],
    ['bot-framework-outside-chat', 'src/cli.ts', 1, 'restify'],
    ['core-imports-outer-layer', 'src/diagnosis/hint.ts', 1, '../sandbox/seed'],
    ['core-imports-io', 'src/diagnosis/log-scan.ts', 2, 'node:fs'],
    ['core-imports-outer-layer', 'src/diagnosis/reply.ts', 1, '../bot/bot'],
    ['core-imports-outer-layer', 'src/diagnosis/texts.ts', 1, '../cards/render'],
    ['core-imports-io', 'src/model/subject.ts', 1, 'http'],
    ['azure-sdk-outside-gateways', 'src/sandbox/arm.ts', 1, '@azure/arm-imagebuilder'],
    ['azure-sdk-outside-gateways', 'src/usecases/support.ts', 1, '@azure/arm-support'],
  ]);
});

test('an import cycle is reported with every file in it, type-only imports included', () => {
  const cyclic: SourceText[] = [
    ...CLEAN,
    file('src/sandbox/a.ts', "import { b } from './b';"),
    file('src/sandbox/b.ts', "import type { C } from './c/index';"),
    file('src/sandbox/c/index.ts', "import { a } from '../a';"),
    file('src/sandbox/self.ts', "import { me } from './self';"),
  ];
  expect(checkImports(cyclic).map(describeViolation)).toEqual([
    'import-cycle: src/sandbox/a.ts, src/sandbox/b.ts, src/sandbox/c/index.ts',
    'import-cycle: src/sandbox/self.ts',
  ]);
});

test('src/ keeps the layer rules and has no import cycles', () => {
  const sources = sourcesUnder(join(ROOT, 'src'));
  expect(sources.length).toBeGreaterThan(50);
  expect(checkImports(sources).map(describeViolation)).toEqual([]);
});
