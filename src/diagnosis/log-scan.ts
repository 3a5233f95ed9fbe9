import { compiledPatterns, type MarkerKind } from './signature-set';
import { redact } from './redact';
import type { EvidenceSource } from './types';

// Streaming scanner for customization.log (and, with the same machinery, for pasted text and status messages).
// Memory stays constant: a block is the bytes up to the last newline of a chunk, the remainder is carried to the
// next chunk, and nothing but the findings and a small tail window outlives a block.

const NL = 0x0a;
/** A line longer than this is scanned in pieces (a 2 MB base64 blob in a log must not grow the carry forever). */
const MAX_CARRY = 1024 * 1024;
/** Lines recorded per pattern per block (its first match in each); more than this is noise from a repeated line. */
const MAX_MATCHES_PER_BLOCK = 64;
/** Bytes of the log's end kept for the "last error lines" fallback evidence. */
const TAIL_WINDOW = 64 * 1024;
const MAX_LINE_CHARS = 400;
const PREV_TAIL = 4096;
const CONTEXT_LINES = 2;

export interface LineRef {
  line: number;
  text: string;
}

export interface SignatureHit {
  entryId: string;
  source: EvidenceSource;
  count: number;
  first: LineRef & { context: LineRef[] };
  last: LineRef & { context: LineRef[] };
  /**
   * Index into `steps` of the customizer started last before the first hit. Packer prints `(telemetry) ending X`
   * even when X fails, so the error lines often come just after that step ended.
   */
  stepIndex?: number;
  /** Whether that step was still open (no `ending` yet) when the hit was printed. */
  inOpenStep?: boolean;
  /**
   * Set on hits made from an error code rather than a phrase: how deep in its envelope the code sat, and whether
   * the code itself decided (an HTTP status alone, or a wrapper read without its inner errors, does not).
   */
  code?: { depth: number; specific: boolean };
}

export interface CustomizerStep {
  type: string;
  /** Undefined for a step whose start is not in the text (a pasted excerpt that begins mid-step). */
  startLine?: number;
  endLine?: number;
  deprovision: boolean;
  exitCodes: LineRef[];
}

export interface ScanResult {
  source: EvidenceSource;
  bytes: number;
  lines: number;
  hits: SignatureHit[];
  steps: CustomizerStep[];
  connection?: { kind: 'ssh' | 'winrm'; waitingLine?: number; connectedLine?: number };
  deprovisionLine?: number;
  cleanupLine?: number;
  finalizingLine?: number;
  logsExportedLine?: number;
  /** Packer said the build errored: a benign warning is then never the whole story. */
  buildErroredLine?: number;
  /** `Builds finished. The artifacts of successful builds are:` — the build worked. */
  artifactsLine?: number;
  /** `Cancelling build after receiving terminated`: the service stopped packer (timeout or cancel). */
  terminatedLine?: number;
  /** The last `Machine successfully restarted`. */
  restartOkLine?: number;
  /**
   * The last line where a customizer started (telemetry). `Provisioning with …` lines would cover logs without
   * telemetry too, but they are on every step of a 200 MB log and cost the scan a tenth of its time.
   */
  lastStepStartLine?: number;
  /** The last lines that report a non-zero exit code, wherever they are (logs without telemetry too). */
  exitCodeLines?: LineRef[];
  packerRunId?: string;
  /** The last lines that look like errors (fallback evidence when no signature matched). */
  lastErrorLines: LineRef[];
  /** Set by the caller when it stopped reading early (size cap) or read only the tail. */
  partial?: { reason: 'size-cap' | 'tail-only'; firstLine?: number };
}

type LineField = 'artifactsLine' | 'restartOkLine' | 'terminatedLine' | 'finalizingLine' | 'cleanupLine' | 'logsExportedLine' | 'buildErroredLine';
/** Markers that only note where they stand: the first line that had them, or the last. */
const LINE_MARKERS: Partial<Record<MarkerKind, { field: LineField; keep: 'first' | 'last' }>> = {
  artifacts: { field: 'artifactsLine', keep: 'last' },
  'restart-ok': { field: 'restartOkLine', keep: 'last' },
  terminated: { field: 'terminatedLine', keep: 'first' },
  finalizing: { field: 'finalizingLine', keep: 'first' },
  cleanup: { field: 'cleanupLine', keep: 'first' },
  'logs-exported': { field: 'logsExportedLine', keep: 'last' },
  'build-errored': { field: 'buildErroredLine', keep: 'first' },
};

const ERRORISH = /\b(error|errored|failed|failure|fatal|exception|denied|forbidden|cannot|unable to)\b/i;
const BENIGNISH = /Will retry|Skipping image creation|no artifacts were created|\[INFO\] \d+ bytes written/i;
const RUN_ID = /^\[([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\]/;
const RUN_ID_PREFIX = /^\[[0-9a-fA-F-]{36}\]\s*/;

export class LogScanner {
  private readonly patterns: ReturnType<typeof compiledPatterns>;
  private carry: Buffer = Buffer.alloc(0);
  private lineBase = 1;
  private bytes = 0;
  /** The last bytes before the current block, for the context of a hit on a block's first lines. */
  private prevTail: Buffer = Buffer.alloc(0);
  private scannedBytes = 0;
  private tail: Buffer = Buffer.alloc(0);
  private readonly hits = new Map<string, SignatureHit>();
  private readonly steps: CustomizerStep[] = [];
  private result: Omit<ScanResult, 'hits' | 'steps' | 'lastErrorLines' | 'bytes' | 'lines' | 'source'> = {};
  private finished = false;

  constructor(private readonly source: EvidenceSource = 'log') {
    this.patterns = compiledPatterns(source);
  }

  push(chunk: Buffer): void {
    if (this.finished) throw new Error('LogScanner.push after finish');
    if (chunk.length === 0) return;
    this.bytes += chunk.length;
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const lastNl = data.lastIndexOf(NL);
    if (lastNl < 0) {
      this.carry = data;
      if (this.carry.length > MAX_CARRY) {
        this.scanBlock(this.carry);
        this.carry = Buffer.alloc(0);
      }
      return;
    }
    this.scanBlock(data.subarray(0, lastNl + 1));
    // Copy the remainder so the (possibly 1 MiB) chunk it came from can be collected.
    this.carry = Buffer.from(data.subarray(lastNl + 1));
  }

  finish(): ScanResult {
    if (!this.finished) {
      if (this.carry.length) this.scanBlock(this.carry);
      this.carry = Buffer.alloc(0);
      this.finished = true;
    }
    const lines = this.bytes === 0 ? 0 : this.lineBase - (this.endsWithNewline() ? 1 : 0);
    return {
      source: this.source,
      bytes: this.bytes,
      lines,
      hits: [...this.hits.values()].sort((a, b) => a.first.line - b.first.line),
      steps: this.steps,
      lastErrorLines: this.errorLinesFromTail(),
      ...this.result,
    };
  }

  private lastByte = -1;
  private endsWithNewline(): boolean {
    return this.lastByte === NL;
  }

  private scanBlock(block: Buffer): void {
    this.lastByte = block[block.length - 1] ?? this.lastByte;
    const { matchesIn, targets } = this.patterns;
    // Line numbers come from one walk over the block: newlines are counted up to each match in order, then from
    // the last match to the end, each byte once (the walk is under a tenth of the scan's time).
    let cursor = 0;
    let line = this.lineBase;
    for (const f of matchesIn(block, MAX_MATCHES_PER_BLOCK)) {
      line += countNewlines(block, cursor, f.offset);
      cursor = f.offset;
      const target = targets[f.index];
      if (target.kind === 'marker') this.onMarker(target.marker, block, f.offset, line, f.group);
      else this.onSignature(target.entryId, block, f.offset, line);
    }
    if (!this.result.packerRunId) this.capturePackerRunId(block);
    this.lineBase = line + countNewlines(block, cursor, block.length);
    this.remember(block);
  }

  private onSignature(entryId: string, block: Buffer, offset: number, line: number): void {
    const text = lineAt(block, offset);
    const unless = this.patterns.unless.get(entryId);
    if (unless && unless.test(text)) return;
    const ref = { line, text: clean(text), context: this.contextBefore(block, offset, line) };
    const existing = this.hits.get(entryId);
    if (!existing) {
      this.hits.set(entryId, {
        entryId,
        source: this.source,
        count: 1,
        first: ref,
        last: ref,
        stepIndex: this.steps.length ? this.steps.length - 1 : undefined,
        inOpenStep: this.steps.length ? this.steps[this.steps.length - 1].endLine === undefined : undefined,
      });
    } else if (existing.last.line !== line) {
      existing.count++;
      existing.last = ref;
    }
  }

  private onMarker(marker: MarkerKind, block: Buffer, offset: number, line: number, group?: string): void {
    const r = this.result;
    const noted = LINE_MARKERS[marker];
    if (noted) {
      if (noted.keep === 'last' || r[noted.field] === undefined) r[noted.field] = line;
      return;
    }
    switch (marker) {
      case 'telemetry-start':
        this.steps.push({ type: group ?? 'unknown', startLine: line, deprovision: false, exitCodes: [] });
        r.lastStepStartLine = line;
        break;
      case 'telemetry-end': {
        const open = this.steps.findLast((s) => s.endLine === undefined && s.type === group);
        if (open) open.endLine = line;
        // An `ending` with nothing started before it: a pasted excerpt that begins mid-step. (Packer also ends its
        // builder, `ending azure-arm`, which is not a customizer.)
        else if (this.steps.length === 0 && group && group !== 'azure-arm') {
          this.steps.push({ type: group, endLine: line, deprovision: false, exitCodes: [] });
        }
        break;
      }
      case 'ssh-waiting':
      case 'winrm-waiting':
        r.connection ??= { kind: marker === 'ssh-waiting' ? 'ssh' : 'winrm' };
        r.connection.waitingLine ??= line;
        break;
      case 'ssh-connected':
      case 'winrm-connected':
        r.connection = { kind: marker === 'ssh-connected' ? 'ssh' : 'winrm', waitingLine: r.connection?.waitingLine, connectedLine: line };
        break;
      case 'deprovision': {
        r.deprovisionLine ??= line;
        const i = this.currentStepIndex();
        if (i !== undefined) this.steps[i].deprovision = true;
        break;
      }
      case 'exit-code': {
        // The exit code of a failing step is printed around its `ending` line: attribute it to the last started.
        const i = this.steps.length ? this.steps.length - 1 : undefined;
        const ref = { line, text: clean(lineAt(block, offset)) };
        if (i !== undefined && this.steps[i].exitCodes.length < 3) this.steps[i].exitCodes.push(ref);
        const all = (r.exitCodeLines ??= []);
        if (all[all.length - 1]?.line !== line) {
          all.push(ref);
          if (all.length > 6) all.shift();
        }
        break;
      }
    }
  }

  private currentStepIndex(): number | undefined {
    for (let i = this.steps.length - 1; i >= 0; i--) if (this.steps[i].endLine === undefined) return i;
    return undefined;
  }

  private capturePackerRunId(block: Buffer): void {
    const head = block.subarray(0, Math.min(block.length, 64)).toString('latin1');
    const m = RUN_ID.exec(head);
    if (m) this.result.packerRunId = m[1].toLowerCase();
  }

  private contextBefore(block: Buffer, offset: number, line: number): LineRef[] {
    const start = lineStart(block, offset) - 1;
    const context: LineRef[] = [];
    let end = start; // index of the newline ending the previous line
    let l = line - 1;
    let buf = block;
    while (context.length < CONTEXT_LINES && l >= 1) {
      if (end < 0) {
        // The previous line is in the block before this one.
        if (buf !== block || this.prevTail.length === 0) break;
        buf = this.prevTail;
        end = buf.length - 1;
        if (buf[end] !== NL) break;
      }
      const s = end <= 0 ? 0 : buf.lastIndexOf(NL, end - 1) + 1;
      // The window's first line may be cut, unless the window still holds the log from its very start.
      if (s === 0 && buf === this.prevTail && this.scannedBytes > PREV_TAIL) break;
      const text = clean(buf.subarray(s, end).toString('utf8'));
      if (text.trim()) context.unshift({ line: l, text });
      end = s - 1;
      l--;
    }
    return context;
  }

  private remember(block: Buffer): void {
    const keep = block.length > TAIL_WINDOW ? block.subarray(block.length - TAIL_WINDOW) : block;
    const recent = Buffer.concat([this.prevTail, keep.subarray(Math.max(0, keep.length - PREV_TAIL))]);
    this.prevTail = Buffer.from(recent.subarray(Math.max(0, recent.length - PREV_TAIL)));
    this.scannedBytes += block.length;
    if (keep.length >= TAIL_WINDOW) this.tail = Buffer.from(keep);
    else {
      const joined = Buffer.concat([this.tail, keep]);
      this.tail = joined.length > TAIL_WINDOW ? Buffer.from(joined.subarray(joined.length - TAIL_WINDOW)) : joined;
    }
  }

  private errorLinesFromTail(): LineRef[] {
    if (!this.tail.length) return [];
    const text = this.tail.toString('utf8');
    const lines = text.split('\n');
    if (text.endsWith('\n')) lines.pop();
    const lastLine = this.lineBase - (this.endsWithNewline() ? 1 : 0);
    const firstLine = lastLine - lines.length + 1;
    const out: LineRef[] = [];
    for (let i = lines.length - 1; i >= 0 && out.length < 5; i--) {
      // The first line of the window may be cut in the middle: skip it.
      if (i === 0 && this.bytes > TAIL_WINDOW) break;
      const l = lines[i];
      if (ERRORISH.test(l) && !BENIGNISH.test(l)) out.unshift({ line: firstLine + i, text: clean(l) });
    }
    return out;
  }
}

function countNewlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  let i = buf.indexOf(NL, from);
  while (i !== -1 && i < to) {
    n++;
    i = buf.indexOf(NL, i + 1);
  }
  return n;
}

// Buffer#lastIndexOf treats a negative offset as counting from the end, so offset 0 needs its own case.
function lineStart(buf: Buffer, offset: number): number {
  return offset <= 0 ? 0 : buf.lastIndexOf(NL, offset - 1) + 1;
}

function lineAt(block: Buffer, offset: number): string {
  const start = lineStart(block, offset);
  let end = block.indexOf(NL, offset);
  if (end < 0) end = block.length;
  // Cap the bytes decoded: a hit inside a 2 MB line only needs its start.
  const capped = Math.min(end, start + MAX_LINE_CHARS * 4);
  return block.subarray(start, capped).toString('utf8');
}

/** Trim a line for display: no CR, no packer run-id prefix, no secrets, bounded length. */
export function clean(text: string): string {
  let t = text.replace(/\r$/, '').replace(RUN_ID_PREFIX, '').replace(/\u0000/g, '');
  t = redact(t).trimEnd();
  return t.length > MAX_LINE_CHARS ? `${t.slice(0, MAX_LINE_CHARS - 1)}…` : t;
}

/** Scan a whole stream of chunks (a blob download, a file read stream). */
export async function scanLog(chunks: AsyncIterable<Buffer | string>, source: EvidenceSource = 'log'): Promise<ScanResult> {
  const scanner = new LogScanner(source);
  for await (const chunk of chunks) scanner.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return scanner.finish();
}

/** Scan text that is already in memory: a status message, a pasted DevOps or CLI error. */
export function scanText(text: string, source: EvidenceSource): ScanResult {
  const scanner = new LogScanner(source);
  scanner.push(Buffer.from(text, 'utf8'));
  return scanner.finish();
}
