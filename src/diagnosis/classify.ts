import { catalogEntry, CATALOG, docUrl } from './catalog';
import { scanText, type ScanResult, type SignatureHit, type CustomizerStep } from './log-scan';
import { findIds, findLogLocation, statusFailed, statusTexts, type StatusFacts } from './status';
import { reflowWrapped, unwrapEscapes } from './text';
import { redact } from './redact';
import type { ActionName, Confidence, CustomizerRef, DiagnosisIds, Evidence, Phase } from './types';

// Facts + hits → one diagnosis. The rules, in order:
//  1. the highest-ranked non-benign entry that matched anywhere wins (specific beats generic);
//  2. at equal rank, what the service said (status, pasted text) beats the log, then the earliest line;
//  3. benign entries win only when nothing else matched;
//  4. nothing matched → `unknown`, carrying the last error lines and the failing customizer, never a guess.

export interface DiagnoseInput {
  template?: StatusFacts;
  /** Pasted messages: DevOps task output, CLI or PowerShell errors, a status JSON that is not a template. */
  texts?: string[];
  log?: ScanResult;
}

export interface Diagnosis {
  diagnosis: { id: string; phase: Phase; confidence: Confidence; benign: boolean };
  others: Array<{ id: string; phase: Phase; benign: boolean }>;
  evidence: Evidence[];
  customizer: CustomizerRef | null;
  ids: DiagnosisIds;
  actions: ActionName[];
  docUrl: string;
  status?: {
    provisioningState?: string;
    runState?: string;
    runSubState?: string;
    startTime?: string;
    endTime?: string;
    durationMinutes?: number;
    timeoutMinutes: number;
    reachedTimeout?: boolean;
    vmSize?: string;
  };
  scan?: { bytes: number; lines: number; partial?: ScanResult['partial'] };
}

const MAX_EVIDENCE = 8;

interface Candidate {
  id: string;
  rank: number;
  benign: boolean;
  hits: SignatureHit[];
}

const SOURCE_ORDER = { status: 0, text: 1, log: 2 } as const;

export function classify(input: DiagnoseInput): Diagnosis {
  const scans: ScanResult[] = [];
  if (input.template) {
    const lines = statusTexts(input.template);
    if (lines.length) scans.push(scanText(unwrapEscapes(lines.join('\n')), 'status'));
  }
  for (const t of input.texts ?? []) scans.push(scanText(reflowWrapped(unwrapEscapes(t)), 'text'));
  if (input.log) scans.push(input.log);

  const candidates = new Map<string, Candidate>();
  const hits = [...scans.flatMap((scan) => scan.hits), ...(input.template ? factHits(input.template) : [])];
  for (const hit of hits) {
    const entry = catalogEntry(hit.entryId);
    const c = candidates.get(entry.id) ?? { id: entry.id, rank: entry.rank, benign: entry.benign, hits: [] };
    c.hits.push(hit);
    candidates.set(entry.id, c);
  }
  const ordered = [...candidates.values()].sort(compareCandidates);
  const real = ordered.filter((c) => !c.benign);
  // A benign warning explains a build only when nothing says the build failed; every failed packer run prints
  // "Builds finished but no artifacts were created", so for a failure it is noise, and the answer is `unknown`.
  const failed = (input.template && statusFailed(input.template)) || input.log?.buildErroredLine !== undefined;
  let primary: Candidate | undefined = real[0] ?? (failed ? undefined : ordered[0]);

  // A run that stopped at its timeout with nothing more specific to say is a timeout.
  if (!primary && input.template?.reachedTimeout && statusFailed(input.template)) {
    primary = { id: 'build-timeout', rank: catalogEntry('build-timeout').rank, benign: false, hits: [] };
  }

  const id = primary?.id ?? 'unknown';
  const entry = catalogEntry(id);
  const failing = input.log ? failingStep(input.log, primary) : undefined;
  const customizer = failing !== undefined ? describeStep(input.log!.steps, failing, input.template) : null;
  const evidence = primary && primary.hits.length ? evidenceFor(primary, input.log?.steps[failing ?? -1]) : fallbackEvidence(input, scans);

  return {
    diagnosis: { id, phase: entry.phase, confidence: confidenceFor(id, primary, input, customizer), benign: entry.benign },
    others: ordered
      .filter((c) => c.id !== id)
      .map((c) => ({ id: c.id, phase: catalogEntry(c.id).phase, benign: c.benign })),
    evidence,
    customizer,
    ids: idsFrom(input, scans),
    actions: [...entry.actions],
    docUrl: docUrl(entry),
    status: input.template ? statusSummary(input.template) : undefined,
    scan: input.log ? { bytes: input.log.bytes, lines: input.log.lines, partial: input.log.partial } : undefined,
  };
}

/**
 * Failures the template's settings prove without any message: a build timeout of 1–5 minutes is shorter than
 * the 5-minute lifetime packer demands of its token (the guide's JWT section).
 */
function factHits(t: StatusFacts): SignatureHit[] {
  const hits: SignatureHit[] = [];
  const timeout = t.buildTimeoutInMinutes;
  if (timeout !== undefined && timeout >= 1 && timeout <= 5 && statusFailed(t)) {
    const ref = { line: 1, text: `buildTimeoutInMinutes: ${timeout}`, context: [] };
    hits.push({ entryId: 'jwt-expiry', source: 'status', count: 1, first: ref, last: ref });
  }
  return hits;
}

function compareCandidates(a: Candidate, b: Candidate): number {
  if (a.rank !== b.rank) return b.rank - a.rank;
  const sa = Math.min(...a.hits.map((h) => SOURCE_ORDER[h.source]));
  const sb = Math.min(...b.hits.map((h) => SOURCE_ORDER[h.source]));
  if (sa !== sb) return sa - sb;
  return Math.min(...a.hits.map((h) => h.first.line)) - Math.min(...b.hits.map((h) => h.first.line));
}

function confidenceFor(id: string, primary: Candidate | undefined, input: DiagnoseInput, customizer: CustomizerRef | null): Confidence {
  if (!primary || id === 'unknown') return 'low';
  if (primary.benign) return 'medium';
  if (primary.hits.length === 0) return 'medium'; // inferred from timing, not from a message
  let level: Confidence = primary.rank >= 70 ? 'high' : primary.rank >= 30 ? 'medium' : 'low';
  if (id === 'customizer-failed' && customizer && !customizer.deprovision) level = 'high';
  if (id === 'build-timeout' && input.template?.reachedTimeout) level = 'high';
  // Seen only in a partly read log: a later line could still change the answer.
  const onlyPartial = primary.hits.every((h) => h.source === 'log') && !!input.log?.partial;
  if (onlyPartial && level === 'high') level = 'medium';
  return level;
}

const PROVISIONER_FOR_TYPE: Record<string, string> = {
  shell: 'shell',
  powershell: 'powershell',
  file: 'file',
  windowsrestart: 'windows-restart',
  windowsupdate: 'windows-update',
};

/** Index of the step the failure belongs to, if the log lets us say so without guessing. */
function failingStep(log: ScanResult, primary: Candidate | undefined): number | undefined {
  const steps = log.steps;
  if (!steps.length) return undefined;
  const phase = primary ? catalogEntry(primary.id).phase : 'fallback';
  // Only a failure of the customization phase (or one we cannot place) is blamed on a customizer by position;
  // a distribution or submission failure after the last step ended is not that step's fault.
  const customizing = (phase === 'customization' || phase === 'fallback') && !primary?.benign;
  const logHit = primary?.hits.find((h) => h.source === 'log');
  if (logHit?.stepIndex !== undefined && (logHit.inOpenStep || customizing)) return logHit.stepIndex;
  if (customizing) {
    for (let i = steps.length - 1; i >= 0; i--) if (steps[i].exitCodes.length) return i;
  }
  for (let i = steps.length - 1; i >= 0; i--) if (steps[i].endLine === undefined) return i;
  return undefined;
}

function describeStep(steps: CustomizerStep[], index: number, template?: StatusFacts): CustomizerRef {
  const step = steps[index];
  const ref: CustomizerRef = {
    type: step.type,
    startLine: step.startLine,
    finished: step.endLine !== undefined,
    deprovision: step.deprovision || undefined,
  };
  const declared = template?.customizers ?? [];
  if (!step.deprovision) {
    if (index < declared.length) {
      const d = declared[index];
      const expected = PROVISIONER_FOR_TYPE[d.type.toLowerCase()];
      if (!expected || expected === step.type) {
        ref.index = index;
        if (d.name) ref.name = d.name;
      }
    } else if (!declared.length) {
      ref.index = index;
    }
  }
  return ref;
}

function evidenceFor(primary: Candidate, step: CustomizerStep | undefined): Evidence[] {
  const out: Evidence[] = [];
  const seen = new Set<string>();
  const add = (e: Evidence) => {
    const key = `${e.source}:${e.line}`;
    if (seen.has(key) || out.length >= MAX_EVIDENCE || !e.text.trim()) return;
    seen.add(key);
    out.push(e);
  };
  const hits = [...primary.hits].sort((a, b) => SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source]);
  for (const hit of hits) {
    if (hit.source === 'log') for (const c of hit.first.context) add({ source: 'log', line: c.line, text: c.text });
    add({ source: hit.source, line: hit.first.line, text: hit.first.text });
    if (hit.last.line !== hit.first.line) add({ source: hit.source, line: hit.last.line, text: hit.last.text });
  }
  for (const ec of step?.exitCodes ?? []) add({ source: 'log', line: ec.line, text: ec.text });
  return out.sort((a, b) => SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source] || a.line - b.line);
}

function fallbackEvidence(input: DiagnoseInput, scans: ScanResult[]): Evidence[] {
  const out: Evidence[] = [];
  const status = input.template ? statusTexts(input.template) : [];
  status.forEach((line) => out.push({ source: 'status', line: 1, text: clip(redact(line)) }));
  for (const scan of scans) {
    for (const l of scan.lastErrorLines) out.push({ source: scan.source, line: l.line, text: l.text });
  }
  return dedupe(out).slice(-MAX_EVIDENCE);
}

function dedupe(list: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const k = `${e.source}:${e.line}:${e.text}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function clip(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 400 ? `${t.slice(0, 399)}…` : t;
}

function idsFrom(input: DiagnoseInput, scans: ScanResult[]): DiagnosisIds {
  const ids: DiagnosisIds = {};
  const t = input.template;
  if (t?.id) ids.templateId = t.id;
  if (t?.operationId) ids.operationId = t.operationId;
  if (t?.correlationId) ids.correlationId = t.correlationId;
  if (t?.logLocation) ids.logUrl = redact(t.logLocation.printed);
  for (const text of input.texts ?? []) {
    const plain = unwrapEscapes(text);
    const found = findIds(plain);
    ids.operationId ??= found.operationId;
    ids.correlationId ??= found.correlationId;
    const loc = findLogLocation(plain);
    if (loc && !ids.logUrl) ids.logUrl = redact(loc.printed);
  }
  for (const scan of scans) if (scan.packerRunId) ids.packerRunId ??= scan.packerRunId;
  return ids;
}

function statusSummary(t: StatusFacts): Diagnosis['status'] {
  return {
    provisioningState: t.provisioningState,
    runState: t.lastRun?.runState,
    runSubState: t.lastRun?.runSubState,
    startTime: t.lastRun?.startTime,
    endTime: t.lastRun?.endTime,
    durationMinutes: t.durationMinutes,
    timeoutMinutes: t.effectiveTimeoutMinutes,
    reachedTimeout: t.reachedTimeout,
    vmSize: t.vmSize,
  };
}

/** Every catalog id, for callers that list or validate them. */
export const CATALOG_IDS = CATALOG.map((e) => e.id);
