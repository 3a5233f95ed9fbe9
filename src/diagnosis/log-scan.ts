import { compiledPatterns, type MarkerKind } from './signature-set';
import { redact } from './redact';
import { SegmentCollector, shifted, shiftedHit, StepMarkerBudget, STEP_MARKERS, type LineRef, type ScanEvent, type SegmentEvents } from './scan-events';
import type { EvidenceSource } from './types';

// Streaming scanner for customization.log (and, with the same machinery, for pasted text and status messages).
// Memory stays constant: a block is the bytes up to the last newline of a chunk, the remainder is carried to the
// next chunk, and nothing but the findings and a small tail window outlives a block.

const NL = 0x0a;
/** A line longer than this is scanned in pieces (a 2 MB base64 blob in a log must not grow the carry forever). */
const MAX_CARRY = 1024 * 1024;
/** Chunks smaller than this are gathered up to this size before they are scanned. */
const GATHER_BYTES = 256 * 1024;
const MIN_GATHER_BYTES = 1024;
/**
 * Lines recorded per pattern per block (its first match in each); more than this is noise from a repeated line,
 * and is not stopped at.
 */
const MAX_MATCHES_PER_BLOCK = 64;
/**
 * The step markers, which build the timeline, may match once per this many bytes of a block instead, so that how
 * the bytes were chunked (16 KiB records, 256 KiB gathered blocks, 1 MiB file reads) does not decide whether a
 * log's short steps all count. A telemetry line is cheap to note (no text, no context), so even a log of nothing
 * else costs a few milliseconds per MiB.
 */
const BYTES_PER_STEP_MARKER = 256;
/** Bytes of the log's end kept for the "last error lines" fallback evidence. */
const TAIL_WINDOW = 64 * 1024;
const MAX_LINE_CHARS = 400;
const PREV_TAIL = 4096;
const CONTEXT_LINES = 2;

export type { LineRef, ScanEvent };

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
  /** Step markers past MAX_STEP_MARKERS, counted but not on the timeline (a log no real build writes). */
  stepMarkersCut?: number;
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

/** One stretch of a file, scanned on its own: everything `absorb` needs to go on as if it had been read in line. */
export interface ScanSegment {
  bytes: number;
  /** Newlines in the segment; its events count lines from 1 at its first byte. */
  newlines: number;
  lastByte: number;
  /** Its events in order, bounded (see SegmentCollector). */
  events: SegmentEvents;
  /** The segment's last TAIL_WINDOW bytes at most. */
  tail: Uint8Array;
  packerRunId?: string;
}

export interface SegmentStart {
  /** The bytes just before the segment (up to a few KiB, ending with a newline): context for its first hits. */
  before: Buffer;
  /** Whether `before` starts at the file's first byte (so its first line is whole). */
  beforeIsFileStart: boolean;
}

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
  /** Small chunks waiting to be scanned as one block (see push), in a buffer reused from block to block. */
  private gathering: Buffer | undefined;
  private gathered = 0;
  /** Set when this scanner reads a segment: its events are kept for the whole file's scanner, not applied. */
  private readonly collected: SegmentCollector | undefined;
  /** Step markers applied to the timeline, and those past MAX_STEP_MARKERS that were only counted. */
  private readonly stepMarkers = new StepMarkerBudget();
  /** Set once markers were dropped: the last recorded step is then not known to be the current one. */
  private stepsCut = false;
  /** Context may reach lines before the first (numbered 0, -1, …) only in a segment, which has lines before it. */
  private readonly firstContextLine: number;

  constructor(
    private readonly source: EvidenceSource = 'log',
    segment?: SegmentStart,
  ) {
    this.patterns = compiledPatterns(source);
    if (segment) {
      this.collected = new SegmentCollector();
      this.prevTail = Buffer.from(segment.before.subarray(Math.max(0, segment.before.length - PREV_TAIL)));
      this.scannedBytes = segment.beforeIsFileStart && segment.before.length <= PREV_TAIL ? this.prevTail.length : PREV_TAIL + 1;
      this.firstContextLine = Number.NEGATIVE_INFINITY;
    } else {
      this.collected = undefined;
      this.firstContextLine = 1;
    }
  }

  push(chunk: Buffer): void {
    if (this.finished) throw new Error('LogScanner.push after finish');
    if (chunk.length === 0) return;
    this.bytes += chunk.length;
    // Small chunks (an HTTPS download arrives in 16 KiB records) are gathered into one block first: each block
    // costs a fixed setup, and a 1 MiB tail scanned in 16 KiB blocks took 4 ms against 1.8 ms in one.
    if (chunk.length < GATHER_BYTES) {
      if (this.gathered + chunk.length > GATHER_BYTES) this.scanGathered();
      this.gatherRoom(this.gathered + chunk.length);
      chunk.copy(this.gathering!, this.gathered);
      this.gathered += chunk.length;
      return;
    }
    this.scanGathered();
    this.consume(chunk);
  }

  /**
   * The gathering buffer grows by doubling to what is gathered: a status message or a small log then takes a few
   * KiB, not 256 (fifty conversations at once allocated 19.5 MiB of gathering buffers, now 0.6 MiB). The copies
   * while growing stay under the bytes gathered.
   */
  private gatherRoom(needed: number): void {
    const have = this.gathering?.length ?? 0;
    if (have >= needed) return;
    let size = Math.max(MIN_GATHER_BYTES, have * 2);
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafe(Math.min(size, GATHER_BYTES));
    this.gathering?.copy(grown, 0, 0, this.gathered);
    this.gathering = grown;
  }

  private scanGathered(): void {
    if (this.gathered === 0) return;
    const block = this.gathering!.subarray(0, this.gathered);
    this.gathered = 0;
    // consume keeps nothing of what it is given (it copies its carry), so the buffer is reused.
    this.consume(block);
  }

  private consume(chunk: Buffer): void {
    let body = chunk;
    if (this.carry.length) {
      // The line cut at the last chunk's end, completed on its own: joining the carry to the whole chunk would
      // copy every chunk once more.
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        this.carry = Buffer.concat([this.carry, chunk]);
        if (this.carry.length > MAX_CARRY) this.scanCarry();
        return;
      }
      this.scanBlock(Buffer.concat([this.carry, chunk.subarray(0, nl + 1)]));
      this.carry = Buffer.alloc(0);
      body = chunk.subarray(nl + 1);
    }
    const lastNl = body.lastIndexOf(NL);
    if (lastNl >= 0) this.scanBlock(body.subarray(0, lastNl + 1));
    // Copied: the caller may reuse the chunk's memory (file-segments.ts does), and a view would keep it alive.
    this.carry = Buffer.from(body.subarray(lastNl + 1));
    if (this.carry.length > MAX_CARRY) this.scanCarry();
  }

  private scanCarry(): void {
    this.scanBlock(this.carry);
    this.carry = Buffer.alloc(0);
  }

  finish(): ScanResult {
    if (this.collected) throw new Error('LogScanner.finish on a segment scanner (use finishSegment)');
    this.flush();
    const lines = this.bytes === 0 ? 0 : this.lineBase - (this.endsWithNewline() ? 1 : 0);
    return {
      source: this.source,
      bytes: this.bytes,
      lines,
      hits: [...this.hits.values()].sort((a, b) => a.first.line - b.first.line),
      steps: this.steps,
      ...(this.stepMarkers.cut ? { stepMarkersCut: this.stepMarkers.cut } : {}),
      lastErrorLines: this.errorLinesFromTail(),
      ...this.result,
    };
  }

  /** The end of a segment scan: its events and counts, for the whole file's scanner to absorb. */
  finishSegment(): ScanSegment {
    if (!this.collected) throw new Error('LogScanner.finishSegment on a whole-input scanner');
    this.flush();
    return {
      bytes: this.bytes,
      newlines: this.lineBase - 1,
      lastByte: this.lastByte,
      events: this.collected.finish(),
      tail: this.tail,
      packerRunId: this.result.packerRunId,
    };
  }

  /**
   * Goes on with a segment that follows everything pushed or absorbed so far, as if its bytes had been pushed:
   * its events are applied in order with their lines moved past the lines before it.
   */
  absorb(segment: ScanSegment): void {
    if (this.finished || this.collected) throw new Error('LogScanner.absorb on a finished or segment scanner');
    this.scanGathered();
    if (this.carry.length) throw new Error('LogScanner.absorb after a push that ended mid-line');
    const offset = this.lineBase - 1;
    const { events, repeats, stepMarkersCut } = segment.events;
    for (const event of events) this.apply(shifted(event, offset));
    // Every repeated entry had its first hit among the events, so it is in `hits` now.
    for (const r of repeats) {
      const hit = this.hits.get(r.entryId)!;
      hit.count += r.count;
      hit.last = shiftedHit(r.last, offset);
    }
    this.stepMarkers.cut += stepMarkersCut;
    this.lineBase += segment.newlines;
    this.bytes += segment.bytes;
    if (segment.bytes > 0) this.lastByte = segment.lastByte;
    if (!this.result.packerRunId && segment.packerRunId) this.result.packerRunId = segment.packerRunId;
    const joined = Buffer.concat([this.tail, segment.tail]);
    this.tail = joined.length > TAIL_WINDOW ? Buffer.from(joined.subarray(joined.length - TAIL_WINDOW)) : joined;
  }

  private flush(): void {
    if (this.finished) return;
    this.scanGathered();
    if (this.carry.length) this.scanBlock(this.carry);
    this.carry = Buffer.alloc(0);
    this.finished = true;
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
    const stepLimit = Math.max(MAX_MATCHES_PER_BLOCK, Math.ceil(block.length / BYTES_PER_STEP_MARKER));
    const limits = targets.map((t) => (t.kind === 'marker' && STEP_MARKERS.has(t.marker) ? stepLimit : MAX_MATCHES_PER_BLOCK));
    for (const f of matchesIn(block, limits)) {
      line += countNewlines(block, cursor, f.offset);
      cursor = f.offset;
      const target = targets[f.index];
      const event = target.kind === 'marker' ? this.markerEvent(target.marker, block, f.offset, line, f.group) : this.signatureEvent(target.entryId, block, f.offset, line);
      if (!event) continue;
      if (this.collected) this.collected.add(event);
      else this.apply(event);
    }
    if (!this.result.packerRunId) this.capturePackerRunId(block);
    this.lineBase = line + countNewlines(block, cursor, block.length);
    this.remember(block);
  }

  private signatureEvent(entryId: string, block: Buffer, offset: number, line: number): ScanEvent | undefined {
    const text = lineAt(block, offset);
    const unless = this.patterns.unless.get(entryId);
    if (unless && unless.test(text)) return undefined;
    return { kind: 'signature', entryId, line, text: clean(text), context: this.contextBefore(block, offset, line) };
  }

  private markerEvent(marker: MarkerKind, block: Buffer, offset: number, line: number, group?: string): ScanEvent {
    return marker === 'exit-code' ? { kind: 'marker', marker, line, group, text: clean(lineAt(block, offset)) } : { kind: 'marker', marker, line, group };
  }

  private apply(event: ScanEvent): void {
    if (event.kind === 'signature') this.onSignature(event);
    else if (event.kind === 'steps-cut') this.stepsCut = true;
    else if (!STEP_MARKERS.has(event.marker)) this.onMarker(event.marker, event.line, event.group, event.text);
    else if (this.stepMarkers.take()) this.onMarker(event.marker, event.line, event.group);
    else this.stepsCut = true;
  }

  private onSignature({ entryId, line, text, context }: Extract<ScanEvent, { kind: 'signature' }>): void {
    const ref = { line, text, context };
    const existing = this.hits.get(entryId);
    if (!existing) {
      this.hits.set(entryId, {
        entryId,
        source: this.source,
        count: 1,
        first: ref,
        last: ref,
        // Past a cut timeline the step this hit belongs to may be one that was not recorded.
        stepIndex: this.steps.length && !this.stepsCut ? this.steps.length - 1 : undefined,
        inOpenStep: this.steps.length && !this.stepsCut ? this.steps[this.steps.length - 1].endLine === undefined : undefined,
      });
    } else if (existing.last.line !== line) {
      existing.count++;
      existing.last = ref;
    }
  }

  private onMarker(marker: MarkerKind, line: number, group?: string, text = ''): void {
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
        const i = this.stepsCut ? undefined : this.currentStepIndex();
        if (i !== undefined) this.steps[i].deprovision = true;
        break;
      }
      case 'exit-code': {
        // The exit code of a failing step is printed around its `ending` line: attribute it to the last started.
        const i = this.steps.length && !this.stepsCut ? this.steps.length - 1 : undefined;
        const ref = { line, text };
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
    while (context.length < CONTEXT_LINES && l >= this.firstContextLine) {
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
