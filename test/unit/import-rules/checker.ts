import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import ts from 'typescript';

// The layer rules of docs/DESIGN ("Rules of the house") as a pure function over source texts: the test feeds it
// every file under src/, and a synthetic file set that breaks each rule once, so it is known to catch what it claims.
// Imports are read by the TypeScript compiler's own pre-processor (static imports, `export … from`, `import type`,
// dynamic `import()` and `require()`), not by a regex.

export interface SourceText {
  /** Repository-relative, forward slashes: `src/cards/render.ts`. */
  path: string;
  text: string;
}

export type RuleId =
  | 'core-imports-io'
  | 'core-imports-outer-layer'
  | 'gateway-imports-chat-or-sandbox'
  | 'cards-import-gateways-or-usecases'
  | 'azure-sdk-outside-gateways'
  | 'bot-framework-outside-chat'
  | 'import-cycle';

export interface Violation {
  rule: RuleId;
  /** The importing file (for a cycle: the first file of the cycle in path order). */
  file: string;
  /** What it imports, as written (for a cycle: every file of the cycle, in path order, comma-separated). */
  imports: string;
  line: number;
}

/** Where an import leads: a file of the set, a Node built-in, or an npm package (by package name). */
type Target = { kind: 'file'; path: string } | { kind: 'builtin'; name: string } | { kind: 'package'; name: string } | { kind: 'missing'; path: string };

interface Edge {
  from: string;
  specifier: string;
  line: number;
  target: Target;
}

/** Node built-ins that reach outside the process: files, sockets, processes, threads, the terminal. */
const IO_BUILTINS = new Set(['fs', 'net', 'http', 'https', 'http2', 'child_process', 'dgram', 'dns', 'tls', 'cluster', 'readline', 'worker_threads', 'inspector', 'repl']);
const BUILTINS = new Set(builtinModules);

const isBotFramework = (pkg: string): boolean => /^(?:botbuilder|botframework)(?:-|$)/.test(pkg) || pkg === 'restify';
const isAzureSdk = (pkg: string): boolean => pkg.startsWith('@azure/');

type Layer = 'core' | 'chat' | 'cards' | 'gateways' | 'usecases' | 'sandbox' | 'data' | 'other';

function layerOf(path: string): Layer {
  if (/^src\/(?:diagnosis|model)\//.test(path)) return 'core';
  // The locale tables are static text, resolved at build time: every layer may read them, the pure core included.
  if (/^locales\/[^/]+\.json$/.test(path)) return 'data';
  if (path.startsWith('src/bot/') || path === 'src/server.ts') return 'chat';
  if (path.startsWith('src/cards/')) return 'cards';
  if (path.startsWith('src/azure/')) return 'gateways';
  if (path.startsWith('src/usecases/')) return 'usecases';
  if (path.startsWith('src/sandbox/')) return 'sandbox';
  return 'other';
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function resolve(from: string, specifier: string, files: ReadonlySet<string>): Target {
  if (specifier.startsWith('.')) {
    const base = posix.normalize(posix.join(posix.dirname(from), specifier));
    for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`]) {
      if (files.has(candidate)) return { kind: 'file', path: candidate };
    }
    return { kind: 'missing', path: base };
  }
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  if (specifier.startsWith('node:') || BUILTINS.has(bare)) return { kind: 'builtin', name: bare.split('/')[0]! };
  return { kind: 'package', name: packageName(specifier) };
}

function edgesOf(file: SourceText, files: ReadonlySet<string>): Edge[] {
  const info = ts.preProcessFile(file.text, true, true);
  return info.importedFiles.map((ref) => ({
    from: file.path,
    specifier: ref.fileName,
    line: file.text.slice(0, ref.pos).split('\n').length,
    target: resolve(file.path, ref.fileName, files),
  }));
}

/** The rule an edge breaks, if any; cycles are found separately, over the whole graph. */
function ruleBroken(edge: Edge): RuleId | undefined {
  const from = layerOf(edge.from);
  const t = edge.target;
  const pkg = t.kind === 'package' ? t.name : undefined;
  const to = t.kind === 'file' ? layerOf(t.path) : t.kind === 'missing' ? layerOf(t.path) : undefined;

  if (pkg && isAzureSdk(pkg) && from !== 'gateways' && !(from === 'sandbox' && pkg === '@azure/storage-blob')) return 'azure-sdk-outside-gateways';
  if (pkg && isBotFramework(pkg) && from !== 'chat') return 'bot-framework-outside-chat';
  if (from === 'core') {
    if (t.kind === 'builtin' && IO_BUILTINS.has(t.name)) return 'core-imports-io';
    if (to && to !== 'core' && to !== 'data') return 'core-imports-outer-layer';
  }
  if (from === 'gateways' && (to === 'chat' || to === 'sandbox')) return 'gateway-imports-chat-or-sandbox';
  if (from === 'cards' && (to === 'gateways' || to === 'usecases')) return 'cards-import-gateways-or-usecases';
  return undefined;
}

/** Strongly connected components of two or more files (or a file importing itself), by Tarjan's algorithm. */
function cycles(nodes: readonly string[], next: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (next.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return found;
}

/** Every forbidden import and every import cycle in `sources`, sorted by file and line. */
export function checkImports(sources: readonly SourceText[]): Violation[] {
  const files = new Set(sources.map((s) => s.path));
  const violations: Violation[] = [];
  const next = new Map<string, string[]>();
  for (const source of [...sources].sort((a, b) => a.path.localeCompare(b.path))) {
    const targets: string[] = [];
    for (const edge of edgesOf(source, files)) {
      const rule = ruleBroken(edge);
      if (rule) violations.push({ rule, file: edge.from, imports: edge.specifier, line: edge.line });
      if (edge.target.kind === 'file' && !targets.includes(edge.target.path)) targets.push(edge.target.path);
    }
    next.set(source.path, targets);
  }
  for (const component of cycles([...next.keys()], next)) {
    violations.push({ rule: 'import-cycle', file: component[0]!, imports: component.join(', '), line: 0 });
  }
  return violations.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule));
}

/** One line per violation, for a failure message a person can act on. */
export function describe(v: Violation): string {
  return v.rule === 'import-cycle' ? `${v.rule}: ${v.imports}` : `${v.rule}: ${v.file}:${v.line} imports '${v.imports}'`;
}
