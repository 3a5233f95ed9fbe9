import RE2 from 're2';
import { lineIndex, lineIndexOfBytes, unwrapEscapes } from './text';

// Error envelopes → (code, message) records. ARM, the resource providers, Packer, the CLI, Az PowerShell and
// DevOps wrap the same error in different ways; the code is what stays the same (ARM's error model says `code`
// is unlocalized and `message` may be localized), so pull every code out of whatever wraps it and say how deep
// it sat: the innermost specific code is the cause, the outer ones are envelopes.
//
// Every scan here is linear in the text: brace matching is one pass with a stack, line forms use RE2, JSON is
// parsed only over disjoint spans, and the walk into parsed JSON stops at a fixed depth.

export interface ErrorRecord {
  code?: string;
  message?: string;
  /** 0 for a top-level code; each `error`/`details`/`innererror` level or JSON-in-a-string adds one. */
  depth: number;
  /** Whether the record has inner errors of its own (a wrapper then defers to them). */
  hasChildren: boolean;
  /** 1-based line of the text where the record was found. */
  line: number;
  via: 'json' | 'cli' | 'code-line' | 'xml' | 'http-status' | 'powershell';
  /** The Az PowerShell cmdlet that printed it (`Remove-AzImageBuilderTemplate_Delete`), when known. */
  cmdlet?: string;
}

const MAX_WALK_DEPTH = 24;
const MAX_RECORDS = 200;
const MAX_PARSE_ATTEMPTS = 400;
const MAX_MESSAGE_CHARS = 2000;

/** Every error record in a pasted text or status message, outermost first. */
export function extractErrors(text: string): ErrorRecord[] {
  const records: ErrorRecord[] = [];
  const budget = { parses: MAX_PARSE_ATTEMPTS };
  // JSON first as it was pasted, then one escaping level off at a time: collapsing every level at once would
  // unescape the quotes of JSON that sits inside a JSON string and leave neither level parseable.
  let level = text;
  for (let pass = 0; pass < MAX_UNESCAPE_LEVELS && records.length === 0; pass++) {
    jsonRecords(level, 0, 0, lineIndex(level), records, budget);
    const next = unescapeOnce(level);
    if (next === level) break;
    level = next;
  }
  lineRecords(Buffer.from(unwrapEscapes(text), 'utf8'), records);
  return records.slice(0, MAX_RECORDS);
}

const MAX_UNESCAPE_LEVELS = 4;
const ONE_LEVEL: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', n: '\n', r: '\r', t: '\t' };

/** Removes exactly one level of JSON string escaping, in one pass. */
function unescapeOnce(text: string): string {
  if (text.indexOf('\\') < 0) return text;
  const out: string[] = [];
  let from = 0;
  for (let i = text.indexOf('\\'); i >= 0 && i + 1 < text.length; i = text.indexOf('\\', i)) {
    const replacement = ONE_LEVEL[text[i + 1]];
    if (replacement === undefined) {
      i += 2;
      continue;
    }
    out.push(text.slice(from, i), replacement);
    from = i + 2;
    i += 2;
  }
  out.push(text.slice(from));
  return out.join('');
}

// ------------------------------------------------------------------------------------------------ JSON

interface Span {
  start: number;
  end: number; // index of the closing brace
  children: Span[];
}

/** The outermost balanced `{…}` spans, each with the balanced spans inside it: one pass, a stack of openings. */
function braceSpans(text: string): Span[] {
  const stack: Array<{ start: number; children: Span[] }> = [];
  const top: Span[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++;
      else if (ch === 0x22) inString = false;
      else if (ch === 0x0a) inString = false; // JSON strings never hold a raw newline: the quote was prose
      continue;
    }
    if (ch === 0x7b) stack.push({ start: i, children: [] });
    else if (ch === 0x7d && stack.length) {
      const open = stack.pop()!;
      const span = { start: open.start, end: i, children: open.children };
      (stack.length ? stack[stack.length - 1].children : top).push(span);
    } else if (ch === 0x22 && stack.length) inString = true;
  }
  // Braces never closed: the spans closed inside them are outermost too.
  for (const open of stack) top.push(...open.children);
  return top.sort((a, b) => a.start - b.start);
}

function jsonRecords(
  text: string,
  base: number,
  depth: number,
  lineOf: (offset: number) => number,
  out: ErrorRecord[],
  budget: { parses: number },
): void {
  const visit = (spans: Span[], level: number) => {
    for (const span of spans) {
      if (out.length >= MAX_RECORDS || budget.parses <= 0) return;
      budget.parses--;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text.slice(span.start, span.end + 1));
      } catch {
        // Prose around JSON, or a truncated excerpt: the balanced pieces inside may still parse.
        if (level < 3) visit(span.children, level + 1);
        continue;
      }
      walk(parsed, depth, lineOf(base + span.start), out, budget, lineOf);
    }
  };
  visit(braceSpans(text), 0);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Case-insensitive own property. */
function prop(o: Obj, ...names: string[]): unknown {
  for (const k of Object.keys(o)) {
    const lower = k.toLowerCase();
    if (names.includes(lower)) return o[k];
  }
  return undefined;
}

const NESTING_KEYS = ['error', 'details', 'innererror', 'errors', 'provisioningerror', 'properties', 'statusmessage', 'body'];

function walk(v: unknown, depth: number, line: number, out: ErrorRecord[], budget: { parses: number }, lineOf: (o: number) => number): void {
  if (depth > MAX_WALK_DEPTH || out.length >= MAX_RECORDS) return;
  if (Array.isArray(v)) {
    for (const item of v.slice(0, 50)) walk(item, depth, line, out, budget, lineOf);
    return;
  }
  if (typeof v === 'string') {
    // JSON serialized into a string (deployment operations, statusMessage): decode it one level deeper.
    if (v.includes('{') && budget.parses > 0) jsonRecords(v.slice(0, 200_000), 0, depth, () => line, out, budget);
    return;
  }
  if (!isObj(v)) return;
  const code = prop(v, 'code', 'errorcode', 'provisioningerrorcode');
  const message = prop(v, 'message', 'errormessage');
  const inner = NESTING_KEYS.map((k) => prop(v, k)).filter((x) => x !== undefined && x !== null);
  const messageHoldsJson = typeof message === 'string' && /^\s*[{[]/.test(message);
  const hasChildren =
    inner.some((x) => (Array.isArray(x) ? x.length > 0 : isObj(x) || (typeof x === 'string' && x.includes('{')))) || messageHoldsJson;
  if (typeof code === 'string' && code.trim()) {
    out.push({
      code: code.trim(),
      message: typeof message === 'string' ? message.slice(0, MAX_MESSAGE_CHARS) : undefined,
      depth,
      hasChildren,
      line,
      via: 'json',
    });
  } else if (typeof code === 'number' && typeof message === 'string') {
    out.push({ code: `HTTP${code}`, message: message.slice(0, MAX_MESSAGE_CHARS), depth, hasChildren, line, via: 'json' });
  }
  for (const x of inner) walk(x, depth + 1, line, out, budget, lineOf);
  if (typeof message === 'string' && message.includes('{')) walk(message, depth + 1, line, out, budget, lineOf);
}

// ------------------------------------------------------------------------------------------------ line forms

// Each pattern's first group is the code; a second group, when present, the message. RE2: linear whatever the line.
const LINE_FORMS: Array<{ re: RE2; via: ErrorRecord['via']; depth: number }> = [
  // Azure CLI: `(Code) message`, `ERROR: (Code) message`.
  { re: new RE2('(?:^|[\\s:])\\(([A-Z][A-Za-z0-9]{2,80})\\)\\s+([^\\n]*)', 'gm'), via: 'cli', depth: 0 },
  // `Code: X` / `ErrorCode: X` / `Code=X` / `Status: "X"` (go-azure-sdk) / `(Code:X)` / `ServerMessage : X:`.
  { re: new RE2('(?:^|[\\s(;,])(?:Error)?Code\\s*[:=]\\s*\\\\?"?([A-Z][A-Za-z0-9]{2,80})\\b"?\\)?', 'gm'), via: 'code-line', depth: 1 },
  // Packer's azure plugin dumps the last ARM error as `ERROR: -> Code : Message`, deeper ones indented.
  { re: new RE2('ERROR:\\s*->\\s*([A-Z][A-Za-z0-9]{2,80})\\s*:\\s*([^\\n]*)', 'g'), via: 'code-line', depth: 1 },
  // Storage's XML error body.
  { re: new RE2('<Code>([A-Za-z0-9]{2,80})</Code>(?:\\s*<Message>([^<\\n]*))?', 'g'), via: 'xml', depth: 1 },
  // `ProvisioningError BadSourceType: message` (the status summary line).
  { re: new RE2('ProvisioningError ([A-Z][A-Za-z0-9]{2,80}):\\s*([^\\n]*)', 'g'), via: 'code-line', depth: 0 },
];
// `(CODE: 409)` suffixes and `StatusCode=404` / `status="409 Conflict"`: only an HTTP status, the weakest code.
const HTTP_STATUS = new RE2('(?:\\(CODE:\\s*|StatusCode=|status="|Status Code:\\s*)([45]\\d\\d)\\b', 'gi');
// Az PowerShell's AutoRest cmdlets: `Verb-AzNoun_Variant: message`.
const PS_CMDLET = new RE2('(?:^|\\s)([A-Z][a-z]+-Az[A-Za-z]+(?:_[A-Za-z]+)?):\\s+([^\\n]*)', 'gm');

// Over the text's UTF-8 bytes, not the string: node-re2 converts a string argument to UTF-8 on every exec, so a loop
// of exec over a string reads the whole text once per record (200 records of a 10 MB paste: 2 GB); over a Buffer
// each exec reads from lastIndex on.
type BufferMatch = { index: number; [group: number]: Buffer | undefined };

function lineRecords(bytes: Buffer, out: ErrorRecord[]): void {
  const lineOf = lineIndexOfBytes(bytes);
  const str = (b: Buffer | undefined) => b?.toString('utf8');
  const next = (re: RE2) => re.exec(bytes) as unknown as BufferMatch | null;
  for (const form of LINE_FORMS) {
    form.re.lastIndex = 0;
    let m: BufferMatch | null;
    while ((m = next(form.re)) !== null && out.length < MAX_RECORDS) {
      out.push({ code: str(m[1]), message: str(m[2])?.slice(0, MAX_MESSAGE_CHARS), depth: form.depth, hasChildren: false, line: lineOf(m.index), via: form.via });
      if (m[0]!.length === 0) form.re.lastIndex++;
    }
  }
  HTTP_STATUS.lastIndex = 0;
  let h: BufferMatch | null;
  while ((h = next(HTTP_STATUS)) !== null && out.length < MAX_RECORDS) {
    out.push({ code: `HTTP${str(h[1])}`, depth: 0, hasChildren: false, line: lineOf(h.index), via: 'http-status' });
  }
  PS_CMDLET.lastIndex = 0;
  let p: BufferMatch | null;
  while ((p = next(PS_CMDLET)) !== null && out.length < MAX_RECORDS) {
    out.push({ message: str(p[2])!.slice(0, MAX_MESSAGE_CHARS), cmdlet: str(p[1]), depth: 0, hasChildren: false, line: lineOf(p.index), via: 'powershell' });
  }
}
