import { catalogEntry, CATALOG, docUrl } from './catalog';
import type { DistributionFacts } from './distribution';
import { scanText, type ScanResult, type SignatureHit, type CustomizerStep } from './log-scan';
import { findIds, findLogLocation, statusFailed, statusTexts, type StatusFacts } from './status';
import { reflowWrapped, unwrapEscapes } from './text';
import { redact } from './redact';
import { extractErrors, type ErrorRecord } from './envelopes';
import { codeMatches } from './code-table';
import { describeExitCode, exitCodeIn, type ExitCodeMeaning } from './exit-codes';
import { rankCandidates, type RankedCandidate } from './candidates';
import { disabledTriggerHits, failingValidator, validationFactHits, validatorExitCode, type TriggerStatusFacts } from './validation-and-triggers';
import type { ActionName, Confidence, CustomizerRef, DiagnosisIds, Evidence, EvidenceSource, Phase } from './types';

// Facts + hits → one diagnosis. The rules, in order:
//  1. the highest-ranked non-benign entry that matched anywhere wins (specific beats generic);
//  2. at equal rank, what the service said (status, pasted text) beats the log, then the earliest line;
//  3. benign entries win only when nothing else matched;
//  4. nothing matched → `unknown`, carrying the last error lines and the failing customizer, never a guess;
//     a second stage names up to three possible causes by term overlap, still `unknown`.
// Facts come before words: a Succeeded status or a log ending in the artifacts list is `no-failure` whatever
// the log printed on the way; a run that lasted its whole timeout is a timeout; a 1190 or a WinRM retry
// followed by more work is noise, not the failure. Codes pulled out of error envelopes count like signatures,
// the innermost specific code first.

export interface DiagnoseInput {
  template?: StatusFacts;
  /** The template's triggers, when they were read: one Image Builder disabled is a finding of its own. */
  triggers?: readonly TriggerStatusFacts[];
  /** Pasted messages: DevOps task output, CLI or PowerShell errors, a status JSON that is not a template. */
  texts?: string[];
  log?: ScanResult;
}

export interface Diagnosis {
  diagnosis: { id: string; phase: Phase; confidence: Confidence; benign: boolean };
  others: Array<{ id: string; phase: Phase; benign: boolean }>;
  evidence: Evidence[];
  /** The one line that decided the class (its first signature hit: in the log before a paste before the status). */
  decisive?: Evidence;
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
  /** `stepsCut`: the timeline kept this many steps and only counted the step markers past them (see MAX_STEP_MARKERS). */
  scan?: { bytes: number; lines: number; partial?: ScanResult['partial']; stepsCut?: { steps: number; markersCut: number } };
  /** For `unknown`: the classes whose words the decisive lines share most (possible causes), best first. */
  candidates?: RankedCandidate[];
  /** For `no-failure` (and noise set aside in a failure): what the log printed that did not fail the build. */
  warnings?: Array<{ id: string; source: EvidenceSource; line: number; text: string }>;
  /** The status's code and the log's evidence point to different failures. */
  disagreement?: { status: string; log: string };
  /** The failing step's exit code and what it means. */
  exitCode?: ExitCodeMeaning;
  /** Error codes found in the status and pasted text, outermost first. */
  codes?: string[];
  /** For PartiallySucceeded: the part that failed (the run's sub-state, e.g. Distributing or Validating). */
  failedPart?: string;
  /** A failed distribution: the targets that did not publish and the gallery versions' replication (set by the use case). */
  distribution?: DistributionFacts;
}

const MAX_EVIDENCE = 8;

interface Candidate {
  id: string;
  rank: number;
  benign: boolean;
  hits: SignatureHit[];
  /** An error code (not only a phrase) named this class. */
  byCode?: boolean;
}

/** Classes that only say "something inside failed": their disagreement with a more specific one is no news. */
const GENERIC = new Set(['customizer-failed', 'devops-task-error', 'deployment-failed-permissions', 'service-error', 'unknown']);
/** Deeper codes win over shallower ones of the same rank, by at most this much. */
const MAX_DEPTH_BONUS = 5;
const WEAK_PENALTY = 30;

const SOURCE_ORDER = { status: 0, text: 1, log: 2 } as const;

export function classify(input: DiagnoseInput): Diagnosis {
  const scans: ScanResult[] = [];
  const pasted: string[] = [];
  const records: Array<ErrorRecord & { source: EvidenceSource }> = [];
  if (input.template) {
    const lines = statusTexts(input.template);
    if (lines.length) {
      const plain = unwrapEscapes(lines.join('\n'));
      scans.push(scanText(plain, 'status'));
      pasted.push(plain);
      records.push(...extractErrors(plain).map((r) => ({ ...r, source: 'status' as const })));
    }
  }
  for (const t of input.texts ?? []) {
    const plain = reflowWrapped(unwrapEscapes(t));
    scans.push(scanText(plain, 'text'));
    pasted.push(plain);
    records.push(...extractErrors(plain).map((r) => ({ ...r, source: 'text' as const })));
  }
  if (input.log) {
    scans.push(input.log);
    // Packer prints ARM's answers (`Azure response status=… body=…`, `ERROR: -> Code : …`) into the log: the codes in
    // its last error lines count like the status's. A bounded handful of lines, never the whole log.
    for (const l of input.log.lastErrorLines) records.push(...extractErrors(unwrapEscapes(l.text)).map((r) => ({ ...r, line: l.line, source: 'log' as const })));
  }

  const candidates = new Map<string, Candidate>();
  const warnings: NonNullable<Diagnosis['warnings']> = [];
  const hits = [
    ...scans.flatMap((scan) => scan.hits),
    ...(input.template ? factHits(input.template) : []),
    ...(input.template ? validationFactHits(input.template, statusFailed(input.template)) : []),
    ...disabledTriggerHits(input.triggers),
    ...(input.log ? terminationHits(input.log) : []),
    ...codeHits(records),
  ];
  for (const hit of hits) {
    const entry = catalogEntry(hit.entryId);
    if (entry.sources && !entry.sources.includes(hit.source)) continue;
    if (input.log && hit.source === 'log' && isNoise(hit, input.log)) {
      warnings.push({ id: hit.entryId, source: hit.source, line: hit.first.line, text: hit.first.text });
      continue;
    }
    // A wrapper code read alone or a bare HTTP status ranks below every phrase of the same class.
    const weak = hit.code !== undefined && !hit.code.specific;
    const c = candidates.get(entry.id) ?? { id: entry.id, rank: weak ? entry.rank - WEAK_PENALTY : entry.rank, benign: entry.benign, hits: [] };
    if (!weak) c.rank = Math.max(c.rank, entry.rank);
    c.hits.push(hit);
    if (hit.code?.specific) {
      c.byCode = true;
      c.rank = Math.max(c.rank, entry.rank + Math.min(hit.code.depth, MAX_DEPTH_BONUS));
    }
    candidates.set(entry.id, c);
  }
  // An envelope ("terminal provisioning state Failed") explains nothing when what it wraps was also found.
  const anySpecific = [...candidates.values()].some((c) => !c.benign && !catalogEntry(c.id).envelope && !GENERIC.has(c.id));
  if (anySpecific) for (const c of [...candidates.values()]) if (catalogEntry(c.id).envelope) candidates.delete(c.id);

  const ordered = [...candidates.values()].sort(compareCandidates);
  const real = ordered.filter((c) => !c.benign);
  const codes = [...new Set(records.filter((r) => r.code).map((r) => r.code!))];

  if (succeeded(input, real)) return successDiagnosis(input, scans, ordered, warnings, codes);

  // A benign warning explains a build only when nothing says the build failed; every failed packer run prints
  // "Builds finished but no artifacts were created", so for a failure it is noise, and the answer is `unknown`.
  const failed = (input.template && statusFailed(input.template)) || input.log?.buildErroredLine !== undefined;
  let primary: Candidate | undefined = real[0] ?? (failed ? undefined : ordered[0]);

  // A run that stopped at its timeout is a timeout, whatever the connection or the last step said about it.
  const timedOut = input.template?.reachedTimeout && statusFailed(input.template);
  if (timedOut && (!primary || ['connection-lost', 'customizer-failed', 'no-artifacts', 'service-error'].includes(primary.id))) {
    const previous = primary;
    primary = { id: 'build-timeout', rank: catalogEntry('build-timeout').rank, benign: false, hits: candidates.get('build-timeout')?.hits ?? [] };
    if (previous) ordered.unshift(primary);
  }

  const id = primary?.id ?? 'unknown';
  const entry = catalogEntry(id);
  // Two classes carry the log lines of another: a failed validator is named from validation.log, whose steps are
  // validators, not customizers, and the script's lines (customizer-failed's "exit status" hit and its context)
  // are its evidence; a disabled trigger is the consequence of failed builds, whose cause (the runner-up) keeps
  // naming the failing customizer.
  const validating = id === 'validation-failed';
  const underlying = validating ? candidates.get('customizer-failed') : id === 'trigger-disabled' ? real.find((c) => c.id !== id) : undefined;
  const decisive = primary && underlying ? { ...primary, hits: [...primary.hits, ...logHitsOf(underlying)] } : primary;
  const failing = input.log && !validating ? failingStep(input.log, underlying ?? primary) : undefined;
  const customizer = validating
    ? failingValidator(decisive!.hits, input.template)
    : failing !== undefined
      ? describeStep(input.log!.steps, failing, input.template)
      : null;
  const evidence = decisive && decisive.hits.length ? evidenceFor(decisive, input.log?.steps[failing ?? -1]) : fallbackEvidence(input, scans);
  const stepCode = ['customizer-failed', 'unknown', 'validation-failed', 'trigger-disabled'].includes(id) ? exitCodeOf(input.log, failing, decisive) : undefined;
  const exitCode = validating ? validatorExitCode(stepCode, customizer) : stepCode;

  const diagnosis: Diagnosis = {
    diagnosis: { id, phase: entry.phase, confidence: confidenceFor(id, primary, input, customizer, exitCode), benign: entry.benign },
    others: ordered
      .filter((c) => c.id !== id)
      .map((c) => ({ id: c.id, phase: catalogEntry(c.id).phase, benign: c.benign })),
    evidence,
    customizer,
    ids: idsFrom(input, scans),
    actions: [...entry.actions],
    docUrl: docUrl(entry),
    status: input.template ? statusSummary(input.template) : undefined,
    scan: input.log ? scanSummary(input.log) : undefined,
  };
  const decisiveText = primary ? decisiveLine(primary) : undefined;
  if (decisiveText) diagnosis.decisive = decisiveText;
  if (id === 'unknown') {
    const decisive = [...evidence.map((e) => e.text), ...records.map((r) => `${r.code ?? ''} ${r.message ?? ''}`)].join('\n');
    const ranked = rankCandidates(decisive || pasted.join('\n'));
    if (ranked.length) diagnosis.candidates = ranked;
  }
  if (warnings.length) diagnosis.warnings = warnings.slice(0, MAX_EVIDENCE);
  if (exitCode) diagnosis.exitCode = exitCode;
  if (codes.length) diagnosis.codes = codes.slice(0, 12);
  const disagreement = disagreementOf(ordered);
  if (disagreement) diagnosis.disagreement = disagreement;
  if (input.template && /partiallysucceeded/i.test(input.template.lastRun?.runState ?? '')) {
    diagnosis.failedPart = input.template.lastRun?.runSubState ?? input.template.lastRun?.message?.slice(0, 200);
  }
  return diagnosis;
}

/**
 * A log that ends with the service terminating packer is a timeout (the last step hung: nothing says "timeout").
 * When the connection visibly broke after the termination started (the guide's context-cancellation case),
 * the connection-lost lines tell more, so the termination alone decides only when nothing like that follows.
 */
function terminationHits(log: ScanResult): SignatureHit[] {
  const at = log.terminatedLine;
  if (at === undefined) return [];
  const brokeAfter = log.hits.some((h) => h.entryId === 'connection-lost' && h.last.line > at);
  if (brokeAfter) return [];
  const ref = { line: at, text: 'Cancelling build after receiving terminated', context: [] };
  return [{ entryId: 'build-timeout', source: 'log', count: 1, first: ref, last: ref }];
}

/** Code records → hits, one per record whose code the table maps; depth says how deep the code sat. */
function codeHits(records: Array<ErrorRecord & { source: EvidenceSource }>): SignatureHit[] {
  return codeMatches(records).map(({ entryId, record, specific }) => {
    const r = record as ErrorRecord & { source: EvidenceSource };
    const text = clip(redact(`${r.code}: ${r.message ?? ''}`.trim()));
    const ref = { line: r.line, text, context: [] };
    // An HTTP status alone or a wrapper read alone is weaker than any phrase: it ranks but never adds depth.
    return { entryId, source: r.source, count: 1, first: ref, last: ref, code: { depth: r.depth, specific } };
  });
}

/**
 * A log line that matched but the log shows the build went on past it: a 1190/1115 before a restart that
 * worked (or before later steps), a WinRM or SSH wait before the connection came up.
 */
function isNoise(hit: SignatureHit, log: ScanResult): boolean {
  const after = (line: number | undefined) => line !== undefined && line > hit.last.line;
  const laterWork =
    after(log.restartOkLine) || after(log.lastStepStartLine) || after(log.artifactsLine) || (log.exitCodeLines ?? []).some((l) => l.line > hit.last.line);
  if (hit.entryId === 'windows-restart-1190') return /\((?:1190|1115)\)|11(?:90|15)\b/.test(hit.last.text) && laterWork;
  if (hit.entryId === 'connection-lost' && /waiting for (?:WinRM|SSH)/i.test(hit.last.text)) {
    return after(log.connection?.connectedLine) || after(log.lastStepStartLine);
  }
  return false;
}

/**
 * The status says the run succeeded, or the log ends in packer's list of artifacts (and no status says
 * otherwise), or the log ran to packer's Finalizing with every step ended, nothing errored and nothing failed.
 */
function succeeded(input: DiagnoseInput, real: readonly Candidate[]): boolean {
  const anyFailure = real.length > 0;
  const t = input.template;
  const runState = t?.lastRun?.runState;
  if (runState && /^succeeded$/i.test(runState)) return !real.some(failedOutsideTheRun);
  if (t && statusFailed(t)) return false;
  if ((input.texts ?? []).some((x) => x.trim()) && anyFailure) return false;
  const log = input.log;
  if (!log) return false;
  if (log.artifactsLine !== undefined) return log.buildErroredLine === undefined || log.buildErroredLine < log.artifactsLine;
  const ranToTheEnd = log.finalizingLine !== undefined && log.steps.length > 0 && log.steps.every((s) => s.endLine !== undefined);
  return ranToTheEnd && log.buildErroredLine === undefined && !anyFailure && !log.partial;
}

/**
 * A Succeeded run says the image was built; it says nothing of the pipeline that waited for it, of the client or
 * the person that tried to change the template, or of VMs made from the image. A pasted text naming one of those
 * still explains what the user saw.
 */
function failedOutsideTheRun(c: Candidate): boolean {
  const entry = catalogEntry(c.id);
  const outside = entry.phase === 'pipeline' || entry.phase === 'after-build' || c.id === 'user-not-authorized';
  return outside && c.hits.some((h) => h.source === 'text');
}

function successDiagnosis(
  input: DiagnoseInput,
  scans: ScanResult[],
  ordered: Candidate[],
  noise: NonNullable<Diagnosis['warnings']>,
  codes: string[],
): Diagnosis {
  const entry = catalogEntry('no-failure');
  const warnings = [
    ...ordered.flatMap((c) => c.hits.map((h) => ({ id: c.id, source: h.source, line: h.first.line, text: h.first.text }))),
    ...noise,
  ].sort((a, b) => SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source] || a.line - b.line);
  const evidence: Evidence[] = [];
  const t = input.template;
  if (t?.lastRun?.runState) evidence.push({ source: 'status', line: 1, text: `runState: ${t.lastRun.runState}` });
  if (input.log?.artifactsLine !== undefined) {
    evidence.push({ source: 'log', line: input.log.artifactsLine, text: 'Builds finished. The artifacts of successful builds are:' });
  }
  // Both facts agree, or the one we have is the status itself: high. A log alone could be cut short: medium.
  const statusSaysSo = !!t?.lastRun?.runState;
  const logSaysSo = input.log?.artifactsLine !== undefined;
  const confidence: Confidence = statusSaysSo && (logSaysSo || !input.log) ? 'high' : 'medium';
  const realFailure = ordered.find((c) => !c.benign && c.hits.some((h) => h.source === 'log'));
  const d: Diagnosis = {
    diagnosis: { id: 'no-failure', phase: entry.phase, confidence, benign: false },
    others: [],
    evidence,
    customizer: null,
    ids: idsFrom(input, scans),
    actions: [...entry.actions],
    docUrl: docUrl(entry),
    status: t ? statusSummary(t) : undefined,
    scan: input.log ? scanSummary(input.log) : undefined,
  };
  if (warnings.length) d.warnings = dedupeWarnings(warnings).slice(0, MAX_EVIDENCE);
  if (codes.length) d.codes = codes.slice(0, 12);
  // The status says it worked while the log stops at a failure: say so rather than pick a side silently.
  if (statusSaysSo && realFailure && !logSaysSo && input.log?.buildErroredLine !== undefined) {
    d.disagreement = { status: 'no-failure', log: realFailure.id };
  }
  return d;
}

function dedupeWarnings(list: NonNullable<Diagnosis['warnings']>): NonNullable<Diagnosis['warnings']> {
  return firstOfEach(list, (w) => `${w.id}:${w.source}:${w.line}`);
}

/** The list in its order, keeping only the first item of each key. */
function firstOfEach<T>(list: T[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  return list.filter((item) => {
    const k = keyOf(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The best class the status (or pasted text) names and the best the log names, when they differ in substance. */
function disagreementOf(ordered: Candidate[]): Diagnosis['disagreement'] {
  const best = (sources: EvidenceSource[]) =>
    ordered.find((c) => !c.benign && !GENERIC.has(c.id) && c.hits.some((h) => sources.includes(h.source)));
  const fromStatus = best(['status']);
  const fromLog = best(['log']);
  if (!fromStatus || !fromLog || fromStatus.id === fromLog.id) return undefined;
  // One class found in both places is agreement, even if each place also names another.
  if (fromStatus.hits.some((h) => h.source === 'log') || fromLog.hits.some((h) => h.source === 'status')) return undefined;
  return { status: fromStatus.id, log: fromLog.id };
}

/** The failing step's exit code: the step's own lines first, then any exit-code line, then the hit's text. */
function exitCodeOf(log: ScanResult | undefined, failing: number | undefined, primary: Candidate | undefined): ExitCodeMeaning | undefined {
  const lines: string[] = [];
  if (log && failing !== undefined) lines.push(...log.steps[failing].exitCodes.map((l) => l.text));
  if (log?.exitCodeLines) lines.push(...log.exitCodeLines.map((l) => l.text));
  for (const h of primary?.hits ?? []) lines.push(h.first.text, h.last.text);
  for (const line of lines) {
    const code = exitCodeIn(line);
    if (code !== undefined) return describeExitCode(code);
  }
  return undefined;
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

function logHitsOf(c: Candidate | undefined): SignatureHit[] {
  return c ? c.hits.filter((h) => h.source === 'log') : [];
}

function compareCandidates(a: Candidate, b: Candidate): number {
  if (a.rank !== b.rank) return b.rank - a.rank;
  const sa = Math.min(...a.hits.map((h) => SOURCE_ORDER[h.source]));
  const sb = Math.min(...b.hits.map((h) => SOURCE_ORDER[h.source]));
  if (sa !== sb) return sa - sb;
  return Math.min(...a.hits.map((h) => h.first.line)) - Math.min(...b.hits.map((h) => h.first.line));
}

function confidenceFor(
  id: string,
  primary: Candidate | undefined,
  input: DiagnoseInput,
  customizer: CustomizerRef | null,
  exitCode: ExitCodeMeaning | undefined,
): Confidence {
  if (!primary || id === 'unknown') return 'low';
  if (primary.benign) return 'medium';
  if (primary.hits.length === 0) return 'medium'; // inferred from timing, not from a message
  const specific = primary.byCode || primary.hits.some((h) => h.code === undefined);
  let level: Confidence = primary.rank >= 70 && specific ? 'high' : primary.rank >= 30 ? 'medium' : 'low';
  // A customizer failure is certain when the log names the step, or packer's summary names its exit code.
  if (id === 'customizer-failed' && ((customizer && !customizer.deprovision) || (exitCode && input.log?.buildErroredLine !== undefined))) {
    level = 'high';
  }
  if (id === 'build-timeout' && input.template?.reachedTimeout) level = 'high';
  // Facts that contradict a failure of the build itself: the run is still going, or the log shows more work
  // after the failing line.
  const phase = catalogEntry(id).phase;
  const buildPhase = phase === 'build' || phase === 'customization' || phase === 'distribution';
  if (level === 'high' && buildPhase && /^(running|canceling)$/i.test(input.template?.lastRun?.runState ?? '')) level = 'medium';
  const lastLogHit = Math.max(0, ...primary.hits.filter((h) => h.source === 'log').map((h) => h.last.line));
  if (level === 'high' && phase === 'customization' && lastLogHit && id !== 'customizer-failed' && (input.log?.lastStepStartLine ?? 0) > lastLogHit) {
    level = 'medium';
  }
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
  // A cut timeline lacks the last steps, so a step's place in it says nothing about the failing one.
  if (log.stepMarkersCut) return undefined;
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

/**
 * The line a person should read first: where the log first shows the failure (the status and a paste often only
 * wrap it in an envelope), else the first hit in the pasted text, else in the status.
 */
function decisiveLine(primary: Candidate): Evidence | undefined {
  const first = [...primary.hits]
    .filter((h) => h.first.text.trim())
    .sort((a, b) => SOURCE_ORDER[b.source] - SOURCE_ORDER[a.source] || a.first.line - b.first.line)[0];
  return first && { source: first.source, line: first.first.line, text: first.first.text };
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
  return firstOfEach(list, (e) => `${e.source}:${e.line}:${e.text}`);
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

function scanSummary(log: ScanResult): NonNullable<Diagnosis['scan']> {
  return {
    bytes: log.bytes,
    lines: log.lines,
    partial: log.partial,
    ...(log.stepMarkersCut ? { stepsCut: { steps: log.steps.length, markersCut: log.stepMarkersCut } } : {}),
  };
}
