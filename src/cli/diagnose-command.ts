import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  classify,
  DiagnosisInputError,
  parseTemplateJson,
  scanLog,
  type DiagnoseInput,
  type Diagnosis,
  type ScanResult,
} from '../diagnosis';
import { templateApiFacts, type TemplateApiExtras, type TemplateApiFacts } from '../diagnosis/template-facts';
import { isSupportedLocale, resolveLocale, type Locale } from '../i18n';
import { scanFile } from '../usecases/file-segments';
import { ScanWorkers } from '../usecases/scan-workers';
import { ANSI, PLAIN, toJson, toText } from './diagnosis-view';
import { UsageError } from './usage-error';

// `aib-chatops diagnose`: files or standard input in, a diagnosis out. The live form (--resource-group/--name)
// fetches the same inputs from Azure or a sandbox and hands them to the same classifier.

export interface CliIO {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** The live diagnosis, with the template as fetched (and its triggers) for the template facts of `--json`. */
export interface LiveResult {
  diagnosis: Diagnosis;
  template: unknown;
  triggers?: TemplateApiExtras['triggers'];
}

export type LiveDiagnose = (args: { resourceGroup: string; name: string; subscription?: string }, io: CliIO) => Promise<LiveResult>;

export async function runDiagnoseCommand(argv: string[], io: CliIO, live?: LiveDiagnose): Promise<number> {
  const { values } = parse(argv);
  const locale = pickLocale(values.locale, io.env);
  const wantsLive = values['resource-group'] !== undefined || values.name !== undefined;
  const files = [values.template, values.log, values.text].filter((v): v is string => v !== undefined);
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('only one input can be read from standard input (-)');

  let diagnosis: Diagnosis;
  let template: TemplateApiFacts | undefined;
  if (wantsLive) {
    if (!values['resource-group'] || !values.name) throw new UsageError('--resource-group and --name go together');
    if (files.length) throw new UsageError('use either --resource-group/--name or files (--template/--log/--text), not both');
    if (!live) throw new UsageError('live diagnosis is not available in this build');
    const result = await live({ resourceGroup: values['resource-group'], name: values.name, subscription: values.subscription }, io);
    diagnosis = result.diagnosis;
    template = templateApiFacts(result.template, { triggers: result.triggers });
  } else {
    if (!files.length) throw new UsageError('nothing to diagnose: give --template, --log or --text (use - to read standard input)');
    const input: DiagnoseInput = {};
    if (values.template !== undefined) {
      try {
        const text = await readText(values.template, '--template', io);
        input.template = parseTemplateJson(text);
        // parseTemplateJson accepted it, so it is JSON (an object, or `az image builder list`'s array of one).
        const raw: unknown = JSON.parse(text);
        template = templateApiFacts(Array.isArray(raw) ? raw[0] : raw);
      } catch (e) {
        if (e instanceof DiagnosisInputError) throw new UsageError(`--template ${values.template}: ${e.message}`);
        throw e;
      }
    }
    if (values.text !== undefined) input.texts = [await readText(values.text, '--text', io)];
    if (values.log !== undefined) input.log = await scanLogInput(values.log, io);
    diagnosis = classify(input);
  }

  if (values.json) io.stdout.write(`${JSON.stringify({ ...toJson(diagnosis, locale), ...(template ? { template } : {}) })}\n`);
  else {
    const colour = !!io.stdout.isTTY && !io.env.NO_COLOR;
    io.stdout.write(`${toText(diagnosis, locale, colour ? ANSI : PLAIN)}\n`);
  }
  return 0;
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        template: { type: 'string' },
        log: { type: 'string' },
        text: { type: 'string' },
        locale: { type: 'string' },
        json: { type: 'boolean', default: false },
        'resource-group': { type: 'string' },
        name: { type: 'string' },
        subscription: { type: 'string' },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function pickLocale(flag: string | undefined, env: NodeJS.ProcessEnv): Locale {
  if (flag !== undefined) {
    if (!isSupportedLocale(flag)) throw new UsageError(`unsupported --locale ${flag} (use en, zh-CN, pt-BR, it-IT, fr-FR or ja-JP)`);
    return resolveLocale(flag);
  }
  return resolveLocale(env.LC_ALL || env.LC_MESSAGES || env.LANG ? (env.LC_ALL || env.LC_MESSAGES || env.LANG)!.split('.')[0] : undefined);
}

async function readText(path: string, flag: string, io: CliIO): Promise<string> {
  if (path === '-') {
    const parts: Buffer[] = [];
    for await (const chunk of io.stdin) parts.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(parts).toString('utf8');
  }
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${flag} ${path}: ${describeFsError(e)}`);
  }
}

async function scanLogInput(path: string, io: CliIO): Promise<ScanResult> {
  if (path === '-') return scanLog(io.stdin as AsyncIterable<Buffer>);
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new UsageError(`cannot read --log ${path}: not a file`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read --log ${path}: ${describeFsError(e)}`);
  }
  // A large log is read by every core at once (see file-segments.ts); nothing else runs in the CLI meanwhile.
  const workers = new ScanWorkers();
  try {
    return await scanFile(path, { segments: workers });
  } finally {
    await workers.close();
  }
}

function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return 'no such file';
  if (err.code === 'EACCES') return 'permission denied';
  if (err.code === 'EISDIR') return 'is a directory';
  return err.message;
}
