import type { MarkerKind } from './signature-set';

// What one match means, worked out from the bytes around it (its line's text, the lines before it) so that it can
// be applied to a scanner's state later and elsewhere: a segment of a file scanned in another thread hands its
// events to the scanner of the whole file (see `LogScanner.absorb`). A segment keeps what the whole file's scanner
// could use, not every match: a hostile log of one repeated line, or of nothing but step markers, must not fill a
// worker's memory with events.

export interface LineRef {
  line: number;
  text: string;
}

export type HitRef = LineRef & { context: LineRef[] };

export type ScanEvent =
  | { kind: 'signature'; entryId: string; line: number; text: string; context: LineRef[] }
  | { kind: 'marker'; marker: MarkerKind; line: number; group?: string; text?: string }
  /** From here on the step markers were counted, not kept (see MAX_STEP_MARKERS). */
  | { kind: 'steps-cut'; line: number };

/**
 * Step markers (a customizer's start and end) kept for the timeline. A real build has one pair per customizer, a
 * few dozen; a log of nothing but telemetry lines has four per KiB, which would be 800k steps for 200 MB. Past
 * this many the markers are counted and the timeline says it was cut.
 */
export const MAX_STEP_MARKERS = 2000;
export const STEP_MARKERS: ReadonlySet<MarkerKind> = new Set(['telemetry-start', 'telemetry-end']);

/** Counts step markers against MAX_STEP_MARKERS: the whole file's scanner and each segment's collector keep one. */
export class StepMarkerBudget {
  kept = 0;
  cut = 0;

  /** True while the marker may go on the timeline; past the cap it is counted instead. */
  take(): boolean {
    if (this.kept < MAX_STEP_MARKERS) {
      this.kept++;
      return true;
    }
    this.cut++;
    return false;
  }
}

/** The later hits of an entry whose first hit is among a segment's events: all `absorb` needs of them. */
export interface RepeatedHits {
  entryId: string;
  /** Hits after the first, each on a line of its own. */
  count: number;
  last: HitRef;
}

export interface SegmentEvents {
  events: ScanEvent[];
  repeats: RepeatedHits[];
  /** Step markers of the segment past MAX_STEP_MARKERS, counted and dropped. */
  stepMarkersCut: number;
}

/** Collects a segment's events, keeping each entry's first hit in order and folding the others into a count. */
export class SegmentCollector {
  private readonly events: ScanEvent[] = [];
  private readonly firstLines = new Map<string, number>();
  private readonly repeats = new Map<string, RepeatedHits>();
  private readonly stepMarkers = new StepMarkerBudget();

  add(event: ScanEvent): void {
    if (event.kind === 'signature') return this.addHit(event);
    // A segment never needs more markers than the whole file keeps: the file's count at this point is at least the segment's.
    if (event.kind === 'marker' && STEP_MARKERS.has(event.marker) && !this.stepMarkers.take()) {
      if (this.stepMarkers.cut === 1) this.events.push({ kind: 'steps-cut', line: event.line });
      return;
    }
    this.events.push(event);
  }

  finish(): SegmentEvents {
    return { events: this.events, repeats: [...this.repeats.values()], stepMarkersCut: this.stepMarkers.cut };
  }

  private addHit(event: Extract<ScanEvent, { kind: 'signature' }>): void {
    const first = this.firstLines.get(event.entryId);
    if (first === undefined) {
      this.firstLines.set(event.entryId, event.line);
      this.events.push(event);
      return;
    }
    const repeat = this.repeats.get(event.entryId);
    // Two matches on one line are one hit, as in the scanner itself.
    if ((repeat?.last.line ?? first) === event.line) return;
    const last = { line: event.line, text: event.text, context: event.context };
    if (repeat) {
      repeat.count++;
      repeat.last = last;
    } else this.repeats.set(event.entryId, { entryId: event.entryId, count: 1, last });
  }
}

/** The event as it reads `lines` lines further down the file. */
export function shifted(event: ScanEvent, lines: number): ScanEvent {
  if (lines === 0) return event;
  if (event.kind !== 'signature') return { ...event, line: event.line + lines };
  return { ...event, line: event.line + lines, context: shiftedRefs(event.context, lines) };
}

export function shiftedHit(hit: HitRef, lines: number): HitRef {
  return lines === 0 ? hit : { line: hit.line + lines, text: hit.text, context: shiftedRefs(hit.context, lines) };
}

function shiftedRefs(refs: LineRef[], lines: number): LineRef[] {
  return refs.map((c) => ({ line: c.line + lines, text: c.text }));
}
