import { catalogEntry, isCatalogId, statusFailed, type ActionName, type CustomizerRef, type Diagnosis, type Evidence, type StatusFacts } from '../diagnosis';
import { keptBecause, type TemplateApiFacts } from '../diagnosis/template-facts';
import { catalogText, t, type Locale } from '../i18n';
import { LOG_READER_ROLE, type LogReadInfo } from '../model';
import { execute, openUrl, withOverflow, type ActionPayload, type ActionView, type ExecuteAction, type UrlAction } from './actions';
import { distributionLines } from './distribution-text';
import { joinStates, stateLabel } from './states';
import { breakable, clip, clipLine, formatBytes, formatMinutes, formatUtc, scrub } from './text';

// Domain data → the values the card templates bind to. Every string here is final (localized, scrubbed, bounded);
// the templates only place them.

export const MAX_EVIDENCE_LINES = 8;
export const EVIDENCE_LINE_CHARS = 200;
export const MAX_LOG_EXCERPT_LINES = 40;
export const MAX_LIST_ROWS = 25;
const NAME_CHARS = 80;
const MESSAGE_CHARS = 600;
const ID_CHARS = 300;

export interface TemplateRef {
  name: string;
  resourceGroup: string;
  /** ARM resource id; action handlers act on it. */
  id: string;
}

/** How much of the build log the diagnosis saw. */
export type ScanExtent = 'tail' | 'complete' | 'partial' | 'none';

export interface Fact {
  label: string;
  value: string;
}
export interface TextItem {
  text: string;
}
export interface LogLineView {
  /** Line number (or source label) in front of the text. */
  where: string;
  text: string;
}
type Color = 'Default' | 'Good' | 'Warning' | 'Attention' | 'Accent';

// ------------------------------------------------------------------------------------------------ shared pieces

function templatePayload(template: TemplateRef | undefined): ActionPayload {
  return template ? { templateId: template.id, resourceGroup: template.resourceGroup, name: template.name } : {};
}

function shortName(name: string): string {
  return clip(name, NAME_CHARS);
}

/** Log lines right-aligned by number; figure spaces keep the alignment where a renderer collapses plain spaces. */
function logLines(lines: Evidence[], locale: Locale, max: number): LogLineView[] {
  const shown = lines.slice(0, max);
  const width = Math.max(0, ...shown.filter((e) => e.source === 'log').map((e) => String(e.line).length));
  return shown.map((e) => {
    const label =
      e.source === 'log'
        ? String(e.line).padStart(width, '\u2007')
        : t(locale, e.source === 'status' ? 'card.common.sourceStatus' : 'card.common.sourceText');
    return { where: `${label}\u00a0│\u00a0`, text: clipLine(e.text, EVIDENCE_LINE_CHARS) || '\u00a0' };
  });
}

interface RunTiming {
  startTime?: string;
  endTime?: string;
  durationMinutes?: number;
  timeoutMinutes?: number;
  reachedTimeout?: boolean;
}

function timingFacts(run: RunTiming, locale: Locale): Fact[] {
  const facts: Fact[] = [];
  if (run.startTime) facts.push({ label: t(locale, 'card.common.started'), value: formatUtc(run.startTime) });
  if (run.endTime) facts.push({ label: t(locale, 'card.common.ended'), value: formatUtc(run.endTime) });
  if (run.durationMinutes !== undefined && run.timeoutMinutes !== undefined) {
    const key = run.reachedTimeout ? 'card.common.durationReached' : 'card.common.durationOf';
    const value = t(locale, key, { minutes: formatMinutes(run.durationMinutes), timeout: formatMinutes(run.timeoutMinutes) });
    facts.push({ label: t(locale, 'card.common.duration'), value });
  }
  return facts;
}

/** `exactStagingResourceGroup` is a resource id; people grant roles on the group by its name. */
function groupName(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return /\/resourceGroups\/([^/]+)/i.exec(value)?.[1] ?? value;
}

export function logLocationText(location: NonNullable<LogReadInfo['location']>, locale: Locale): string {
  return t(locale, 'card.common.logBlob', {
    path: clip(location.blobPath, ID_CHARS),
    container: location.container,
    account: location.account,
  });
}

// ------------------------------------------------------------------------------------------------ diagnosis

export interface DiagnosisCardInput {
  template?: TemplateRef;
  diagnosis: Diagnosis;
  facts?: StatusFacts;
  log?: LogReadInfo;
  scan: ScanExtent;
  /** A paste cut before reading: how many characters were read (the end) of how many sent. */
  pasteCut?: { shown: number; total: number };
  /** The card ends a rerun: whether the run before it had failed too, and the class its card showed. */
  rerun?: RerunContext;
}

export interface RerunContext {
  failedBefore: boolean;
  /** Catalog id from the clicked card's data: only a known id is compared, anything else is ignored. */
  previousId?: string;
}

/** A bold label (with its separator) and its text on one line. */
export interface LabeledLine {
  label: string;
  text: string;
}

function labeled(locale: Locale, key: string, text: string): LabeledLine {
  const label = t(locale, 'card.diagnosis.lineLabel', { label: t(locale, key) });
  // A full-width colon (ja, zh) carries its own space; a Latin one needs one before the text.
  return { label: /[\uff1a\u3000]$/.test(label) ? label : `${label} `, text };
}

export interface DiagnosisView {
  summary: string;
  heading: string;
  title: string;
  titleColor: Color;
  // Above the fold: what a person reads at a glance (each list holds at most one item).
  step: LabeledLine[];
  decisive: LogLineView[];
  firstFix: LabeledLine[];
  detailsTitle: string;
  // Behind the Details toggle.
  facts: Fact[];
  notes: TextItem[];
  evidenceHeading: string;
  evidence: LogLineView[];
  causeHeading: string;
  cause: string;
  fixHeading: string;
  fix: Array<{ number: string; text: string }>;
  others: TextItem[];
  idsHeading: string;
  ids: Fact[];
  links: UrlAction[];
  actions: ActionView[];
}

/** Actions that act on the failure without touching a template: the only ones a pasted-text diagnosis keeps. */
const TEMPLATE_FREE_ACTIONS: ReadonlySet<ActionName> = new Set<ActionName>(['open-support-case']);

export function diagnosisView(input: DiagnosisCardInput, locale: Locale, maxEvidence = MAX_EVIDENCE_LINES): DiagnosisView {
  const d = input.diagnosis;
  const text = catalogText(locale, d.diagnosis.id);
  const heading = diagnosisHeading(input, locale);
  const { decisive, evidence, cut } = evidenceViews(d, locale, maxEvidence);
  const fixSteps = catalogEntry(d.diagnosis.id).fixLocatesStep && d.customizer ? text.fix.slice(1) : text.fix;
  const otherTitles = d.others.filter((o) => !o.benign).slice(0, 3).map((o) => catalogText(locale, o.id).title);

  return {
    summary: `${heading} — ${text.title}`,
    heading,
    title: text.title,
    titleColor: d.diagnosis.id === 'no-failure' ? 'Good' : d.diagnosis.benign || d.diagnosis.id === 'unknown' ? 'Warning' : 'Attention',
    step: [failingStep(d, locale)],
    decisive,
    firstFix: fixSteps.length ? [labeled(locale, 'card.diagnosis.fix', fixSteps[0])] : [],
    detailsTitle: t(locale, 'card.diagnosis.details'),
    facts: detailFacts(input, locale),
    notes: detailNotes(input, locale, cut),
    evidenceHeading: t(locale, d.diagnosis.id === 'unknown' ? 'card.diagnosis.evidenceUnknown' : 'card.diagnosis.evidence'),
    evidence,
    causeHeading: t(locale, 'card.diagnosis.cause'),
    cause: text.cause,
    fixHeading: t(locale, 'card.diagnosis.fixMore'),
    fix: fixSteps.slice(1).map((step, i) => ({ number: `${i + 2}.\u00a0`, text: step })),
    others: otherTitles.length ? [{ text: t(locale, 'card.diagnosis.others', { titles: otherTitles.join('; ') }) }] : [],
    idsHeading: t(locale, 'card.diagnosis.ids'),
    ids: idFacts(input, locale),
    links: input.template ? [openUrl(t(locale, 'card.diagnosis.portal'), portalUrl(input.template.id))] : [],
    actions: diagnosisActions(input, locale),
  };
}

/** "Diagnosis: X", or after a rerun "X failed again" — with whether the cause is the one the clicked card showed. */
function diagnosisHeading(input: DiagnosisCardInput, locale: Locale): string {
  if (!input.template) return t(locale, 'card.diagnosis.headingText');
  const name = shortName(input.template.name);
  const rerun = input.rerun;
  if (!rerun) return t(locale, 'card.diagnosis.heading', { name });
  if (!rerun.failedBefore) return t(locale, 'card.diagnosis.headingRerunFailed', { name });
  const previous = rerun.previousId && isCatalogId(rerun.previousId) ? rerun.previousId : undefined;
  if (!previous) return t(locale, 'card.diagnosis.headingAgain', { name });
  if (previous === input.diagnosis.diagnosis.id) return t(locale, 'card.diagnosis.headingAgainSame', { name });
  return t(locale, 'card.diagnosis.headingAgainOther', { name, previous: catalogText(locale, previous).title });
}

/** The failing customizer when the log names it, else the phase the build stopped in. */
function failingStep(d: Diagnosis, locale: Locale): LabeledLine {
  if (d.customizer) return labeled(locale, 'card.diagnosis.customizer', customizerText(d.customizer, locale));
  return labeled(locale, 'card.diagnosis.phase', t(locale, `phase.${d.diagnosis.phase}`));
}

/**
 * The decisive line above the fold, the rest of the evidence behind Details. A line printed several times
 * ("Script exited with non-zero exit status: 1" from the step, its wrapper and packer) is shown once, with all its
 * line numbers, and never twice across the two places.
 */
function evidenceViews(d: Diagnosis, locale: Locale, max: number): { decisive: LogLineView[]; evidence: LogLineView[]; cut: number } {
  const groups = groupIdentical([...(d.decisive ? [d.decisive] : []), ...d.evidence]);
  // Without a decisive hit (an `unknown`), the latest error line is the best single line.
  const top = d.decisive ? groups[0] : groups.at(-1);
  const rest = groups.filter((g) => g !== top);
  const width = Math.max(0, ...groups.map((g) => labelOf(g, locale).length));
  const view = (g: EvidenceGroup) => ({ where: `${labelOf(g, locale).padStart(width, '\u2007')}\u00a0│\u00a0`, text: g.text || '\u00a0' });
  const shown = rest.slice(0, Math.min(max, MAX_EVIDENCE_LINES));
  return { decisive: top ? [view(top)] : [], evidence: shown.map(view), cut: Math.min(rest.length, MAX_EVIDENCE_LINES) - shown.length };
}

interface EvidenceGroup {
  source: Evidence['source'];
  lines: number[];
  text: string;
}

const MAX_LINE_NUMBERS = 3;
/** Packer prints a step's failure through several streams (`==>` and `-->`): the same line for a person. */
const PACKER_PREFIX = /^(?:\[[^\]]*\]\s*)?PACKER (?:OUT|ERR)\s+(?:==>|-->)?\s*/;

function groupIdentical(lines: Evidence[]): EvidenceGroup[] {
  const groups = new Map<string, EvidenceGroup>();
  for (const e of lines) {
    const text = clipLine(e.text, EVIDENCE_LINE_CHARS);
    const key = `${e.source}\u0000${e.text.replace(PACKER_PREFIX, '').trim()}`;
    const group = groups.get(key);
    if (!group) groups.set(key, { source: e.source, lines: [e.line], text });
    else if (!group.lines.includes(e.line)) group.lines.push(e.line);
  }
  return [...groups.values()];
}

function labelOf(g: EvidenceGroup, locale: Locale): string {
  if (g.source !== 'log') return t(locale, g.source === 'status' ? 'card.common.sourceStatus' : 'card.common.sourceText');
  const sorted = [...g.lines].sort((a, b) => a - b);
  const shown = sorted.slice(0, MAX_LINE_NUMBERS).join(', ');
  return sorted.length > MAX_LINE_NUMBERS ? `${shown}…` : shown;
}

function detailFacts(input: DiagnosisCardInput, locale: Locale): Fact[] {
  const d = input.diagnosis;
  const facts: Fact[] = [];
  if (input.template) facts.push({ label: t(locale, 'card.common.resourceGroup'), value: clip(input.template.resourceGroup, NAME_CHARS) });
  const run = input.facts?.lastRun;
  const runState = joinStates(locale, run?.runState ?? d.status?.runState, run?.runSubState ?? d.status?.runSubState);
  if (runState) facts.push({ label: t(locale, 'card.common.runState'), value: runState });
  facts.push(
    ...timingFacts(
      {
        startTime: run?.startTime ?? d.status?.startTime,
        endTime: run?.endTime ?? d.status?.endTime,
        durationMinutes: input.facts?.durationMinutes ?? d.status?.durationMinutes,
        timeoutMinutes: input.facts?.effectiveTimeoutMinutes ?? d.status?.timeoutMinutes,
        reachedTimeout: input.facts?.reachedTimeout ?? d.status?.reachedTimeout,
      },
      locale,
    ),
  );
  // The phase is above the fold when no customizer is named; the customizer itself always is.
  if (d.customizer) facts.push({ label: t(locale, 'card.diagnosis.phase'), value: t(locale, `phase.${d.diagnosis.phase}`) });
  facts.push({ label: t(locale, 'card.diagnosis.confidence'), value: t(locale, `confidence.${d.diagnosis.confidence}`) });
  if (d.exitCode) facts.push({ label: t(locale, 'cli.exitCode'), value: clip(exitCodeText(d.exitCode, locale), 300) });
  return facts;
}

function detailNotes(input: DiagnosisCardInput, locale: Locale, evidenceCut: number): TextItem[] {
  const notes: TextItem[] = [{ text: scanNote(input, locale) }];
  if (evidenceCut > 0) notes.push({ text: t(locale, 'card.diagnosis.evidenceCut', { count: evidenceCut }) });
  if (input.diagnosis.diagnosis.benign) notes.push({ text: t(locale, 'card.diagnosis.benign') });
  if (input.pasteCut) notes.push({ text: t(locale, 'card.diagnosis.pasteCut', { shown: input.pasteCut.shown, total: input.pasteCut.total }) });
  notes.push(...diagnosisFactNotes(input.diagnosis, locale));
  if (input.diagnosis.diagnosis.id === 'validation-failed') notes.push(...validationNotes(input.facts?.validation, locale));
  const kept = input.facts ? keptGroup(input.facts) : undefined;
  if (kept) notes.push({ text: t(locale, 'card.status.api.kept', { group: clip(kept, NAME_CHARS) }) });
  return notes;
}

/** The template's page in the Azure portal: one link instead of ids and paths a person would copy by hand. */
function portalUrl(templateId: string): string {
  return `https://portal.azure.com/#resource${templateId.split('/').map(encodeURIComponent).join('/')}/overview`;
}

/** The exit code and its meaning: `-2147024891 (0x80070005) — access denied…`. */
function exitCodeText(e: NonNullable<Diagnosis['exitCode']>, locale: Locale): string {
  const parts: string[] = [];
  if (e.meaning) parts.push(t(locale, `exitCode.${e.meaning}`));
  if (e.hresult) parts.push(t(locale, 'exitCode.hresult', { hex: e.hex ?? '', facility: e.hresult.facility, code: e.hresult.code }));
  const head = e.hex ? `${e.value} (${e.hex})` : String(e.value);
  return parts.length ? `${head} — ${parts.join('; ')}` : head;
}

/** Wave-2 facts as notes: the status and log disagreeing, the part that failed, possible causes, harmless warnings. */
function diagnosisFactNotes(d: Diagnosis, locale: Locale): TextItem[] {
  const notes: TextItem[] = [];
  if (d.disagreement) {
    notes.push({
      text: t(locale, 'cli.disagreement', { status: catalogText(locale, d.disagreement.status).title, log: catalogText(locale, d.disagreement.log).title }),
    });
  }
  if (d.failedPart) notes.push({ text: t(locale, 'cli.failedPart', { part: clip(d.failedPart, 120) }) });
  if (d.distribution) notes.push(...distributionLines(d.distribution, locale).map((text) => ({ text })));
  if (d.candidates?.length) {
    notes.push({ text: `${t(locale, 'cli.candidates')}: ${d.candidates.map((c) => catalogText(locale, c.id).title).join('; ')}` });
  }
  if (d.warnings?.length) {
    const titles = [...new Set(d.warnings.map((w) => catalogText(locale, w.id).title))].slice(0, 4);
    notes.push({ text: `${t(locale, 'cli.warnings')}: ${titles.join('; ')}` });
  }
  return notes;
}

/** The staging group an errorHandling `abort` left the build VM in, for a failed run; undefined otherwise. */
function keptGroup(f: StatusFacts): string | undefined {
  const because = keptBecause(f.lastRun?.runState, f.lastRun?.runSubState, f.errorHandling);
  return because ? (groupName(f.exactStagingResourceGroup) ?? '?') : undefined;
}

/** What the template's two validation switches meant for this failed run (API 2022-02-14 `validate`). */
export function validationNotes(v: StatusFacts['validation'], locale: Locale): TextItem[] {
  if (!v) return [];
  return [
    { text: t(locale, v.continueDistributeOnFailure ? 'card.validation.continueTrue' : 'card.validation.continueFalse') },
    { text: t(locale, v.sourceValidationOnly ? 'card.validation.sourceOnlyTrue' : 'card.validation.sourceOnlyFalse') },
  ];
}

export function customizerText(c: CustomizerRef, locale: Locale): string {
  const type = clip(c.type, 40);
  let base: string;
  if (c.validator) {
    base = c.index !== undefined && c.name
      ? t(locale, 'card.validation.validatorNamed', { type, name: clip(c.name, NAME_CHARS), index: c.index + 1 })
      : t(locale, 'card.validation.validatorType', { name: clip(c.name ?? c.type, NAME_CHARS) });
  } else if (c.deprovision) base = t(locale, 'card.diagnosis.deprovision');
  else if (c.index !== undefined && c.name) {
    base = t(locale, 'card.diagnosis.customizerNamed', { type, name: clip(c.name, NAME_CHARS), index: c.index + 1 });
  } else if (c.index !== undefined) base = t(locale, 'card.diagnosis.customizerIndexed', { type, index: c.index + 1 });
  else base = t(locale, 'card.diagnosis.customizerType', { type });
  const parts = [base];
  if (c.startLine !== undefined) parts.push(t(locale, 'card.diagnosis.customizerStart', { line: c.startLine }));
  if (!c.finished) parts.push(t(locale, 'card.diagnosis.customizerUnfinished'));
  return parts.join(' · ');
}

function scanNote(input: DiagnosisCardInput, locale: Locale): string {
  const log = input.log;
  const read = log?.bytesRead ?? input.diagnosis.scan?.bytes;
  const total = log?.size;
  switch (input.scan) {
    case 'tail':
      return read !== undefined
        ? t(locale, 'card.diagnosis.scanTail', { size: formatBytes(read) })
        : t(locale, 'card.diagnosis.scanTailNoSize');
    case 'complete': {
      const size = total ?? read;
      return size !== undefined
        ? t(locale, 'card.diagnosis.scanComplete', { size: formatBytes(size) })
        : t(locale, 'card.diagnosis.scanCompleteNoSize');
    }
    case 'partial':
      return read !== undefined && total !== undefined
        ? t(locale, 'card.diagnosis.scanPartial', { size: formatBytes(read), total: formatBytes(total) })
        : t(locale, 'card.diagnosis.scanPartialNoSize');
    case 'none':
      if (!input.template) return t(locale, 'card.diagnosis.scanNoneText');
      switch (log?.error?.code) {
        case 'log-forbidden': {
          const group = log.location?.stagingResourceGroup ?? groupName(input.facts?.exactStagingResourceGroup);
          return group
            ? t(locale, 'card.diagnosis.scanNoneForbidden', { role: LOG_READER_ROLE, group: clip(group, NAME_CHARS) })
            : t(locale, 'card.diagnosis.scanNoneForbiddenNoGroup', { role: LOG_READER_ROLE });
        }
        case 'log-not-found':
          return t(locale, 'card.diagnosis.scanNoneNotFound');
        case 'log-location-unknown':
          return t(locale, 'card.diagnosis.scanNoneUnknown');
        default:
          return t(locale, 'card.diagnosis.scanNone');
      }
  }
}

/** The identifiers, each value once (the operation id and packer's run id are often the same GUID). */
function idFacts(input: DiagnosisCardInput, locale: Locale): Fact[] {
  const ids = input.diagnosis.ids;
  const byValue = new Map<string, string[]>();
  const add = (key: string, value: string | undefined) => {
    if (!value) return;
    const shown = clip(value, ID_CHARS);
    byValue.set(shown, [...(byValue.get(shown) ?? []), t(locale, key)]);
  };
  add('card.diagnosis.operationId', ids.operationId);
  add('card.diagnosis.correlationId', ids.correlationId);
  add('card.diagnosis.packerRunId', ids.packerRunId);
  const facts = [...byValue].map(([value, labels]) => ({ label: labels.join(' · '), value }));
  // `ids.logUrl` is the location as Azure printed it (already redacted); the located blob is the fallback. A URL has
  // no spaces, so it gets break points: otherwise Teams runs it off the card's edge.
  const location = ids.logUrl ? scrub(ids.logUrl) : input.log?.location ? logLocationText(input.log.location, locale) : undefined;
  if (location) facts.push({ label: t(locale, 'card.common.logLocation'), value: breakable(clip(location, ID_CHARS)) });
  return facts;
}

function diagnosisActions(input: DiagnosisCardInput, locale: Locale): ActionView[] {
  const d = input.diagnosis;
  // The id names the template fully; a name and group beside it would only repeat it in every button (twice, with
  // the old clients' fallback), and the 16 KB a card may take are better spent on evidence.
  const payload: ActionPayload = { templateId: input.template?.id, diagnosisId: d.diagnosis.id };
  const names = input.template ? [...d.actions] : d.actions.filter((a) => TEMPLATE_FREE_ACTIONS.has(a));
  const actions: ActionView[] = names.map((name) => execute(name, t(locale, `action.${name}`), payload));
  // Deleting is offered for any failed template (a failed one blocks resubmitting under its name), but when the
  // catalog did not name it as the fix it stays in the overflow rather than competing with the fix.
  const failed = input.facts ? statusFailed(input.facts) : /failed/i.test(`${d.status?.runState ?? ''} ${d.status?.provisioningState ?? ''}`);
  if (input.template && failed && !names.includes('delete-template')) {
    actions.push(execute('delete-template', t(locale, 'action.delete-template'), payload, 'secondary'));
  }
  // errorHandling abort kept the build VM: offer to delete it (the server re-reads what to delete from the template).
  if (input.template && input.facts && keptGroup(input.facts)) actions.push(execute('cleanup-staging', t(locale, 'action.cleanup-staging'), payload, 'secondary'));
  actions.push(openUrl(t(locale, 'card.common.guide'), d.docUrl));
  return withOverflow(actions);
}

// ------------------------------------------------------------------------------------------------ status

export interface StatusCardInput {
  template: TemplateRef;
  facts: StatusFacts;
  /** Facts of the 2022-2025 API (src/diagnosis/template-facts.ts): template fields, triggers, kept resources. */
  api?: TemplateApiFacts;
  /** When the card is rendered: a running build's elapsed time is measured against it. */
  now?: Date;
}

export interface StatusView {
  summary: string;
  heading: string;
  stateLine: string;
  stateColor: Color;
  facts: Fact[];
  messages: Array<{ label: string; text: string }>;
  actions: ExecuteAction[];
}

export function statusView(input: StatusCardInput, locale: Locale): StatusView {
  const f = input.facts;
  const heading = t(locale, 'card.status.heading', { name: shortName(input.template.name) });
  const { line, color } = stateLine(f, locale);
  const facts: Fact[] = [{ label: t(locale, 'card.common.resourceGroup'), value: clip(input.template.resourceGroup, NAME_CHARS) }];
  const add = (key: string, value: string | undefined) => {
    if (value) facts.push({ label: t(locale, key), value: clip(value, 40) });
  };
  const addState = (key: string, value: string | undefined) => add(key, value && stateLabel(locale, value));
  addState('card.common.provisioningState', f.provisioningState);
  addState('card.common.runState', f.lastRun?.runState);
  addState('card.common.runSubState', f.lastRun?.runSubState);
  facts.push(
    ...timingFacts(
      {
        startTime: f.lastRun?.startTime,
        endTime: f.lastRun?.endTime,
        durationMinutes: f.durationMinutes,
        timeoutMinutes: f.effectiveTimeoutMinutes,
        reachedTimeout: f.reachedTimeout,
      },
      locale,
    ),
  );
  const elapsed = runningElapsed(f, input.now, locale);
  if (elapsed) facts.push(elapsed);
  const messages: StatusView['messages'] = [];
  if (input.api) apiFacts(input.api, locale, facts, messages);
  if (f.lastRun?.message) messages.push({ label: t(locale, 'card.common.lastMessage'), text: clip(f.lastRun.message, MESSAGE_CHARS) });
  if (f.provisioningError) {
    const errorText = [f.provisioningError.code, f.provisioningError.message].filter(Boolean).join(': ');
    messages.push({ label: t(locale, 'card.common.provisioningError'), text: clip(errorText, MESSAGE_CHARS) });
  }
  const payload = templatePayload(input.template);
  const actions: ExecuteAction[] = [];
  if (statusFailed(f)) actions.push(execute('diagnose', t(locale, 'card.common.diagnose'), payload));
  if (input.api?.kept.kept) actions.push(execute('cleanup-staging', t(locale, 'action.cleanup-staging'), payload, 'secondary'));
  actions.push(execute('refresh', t(locale, 'card.common.refresh'), { ...payload, card: 'status' }));
  if (isRunning(f)) actions.push(execute('cancel-run', t(locale, 'action.cancel-run'), payload));
  return { summary: `${heading} — ${line}`, heading, stateLine: line, stateColor: color, facts, messages, actions: withOverflow(actions) };
}

function isRunning(f: StatusFacts): boolean {
  return (f.lastRun?.runState ?? '').toLowerCase() === 'running';
}

/** A running build has no duration yet: how long it has run so far, against the timeout that will stop it. */
function runningElapsed(f: StatusFacts, now: Date | undefined, locale: Locale): Fact | undefined {
  const start = Date.parse(f.lastRun?.startTime ?? '');
  if (!now || !isRunning(f) || f.durationMinutes !== undefined || !Number.isFinite(start)) return undefined;
  const minutes = Math.max(0, Math.floor((now.getTime() - start) / 60000));
  return { label: t(locale, 'card.common.elapsed'), value: t(locale, 'card.common.elapsedOf', { minutes: formatMinutes(minutes), timeout: formatMinutes(f.effectiveTimeoutMinutes) }) };
}

/** The 2022-2025 facts: short ones in the fact set, the ones a person must act on as messages. */
function apiFacts(a: TemplateApiFacts, locale: Locale, facts: Fact[], messages: StatusView['messages']): void {
  const key = (k: string) => `card.status.api.${k}`;
  const add = (k: string, value: string | undefined) => {
    if (value) facts.push({ label: t(locale, key(k)), value: clip(value, 80) });
  };
  add('vmSize', a.vmProfile.vmSize);
  add('autoRun', a.autoRun);
  add('optimize', a.optimize.vmBoot);
  const eh = a.errorHandling;
  if (eh.onCustomizerError !== 'cleanup' || eh.onValidationError !== 'cleanup') add('errorHandling', `${eh.onCustomizerError} / ${eh.onValidationError}`);
  const regions = [...new Set(a.targets.flatMap((x) => x.regions.map((r) => r.name)).filter(Boolean))];
  add('regions', regions.join(', '));
  add('versioning', a.targets.map((x) => x.versioning?.scheme).find(Boolean));
  add('dataDisks', a.additionalDataDiskSizesGB.join(', '));
  add('subnet', a.vmProfile.subnetId?.split('/').slice(-3).join('/'));
  add('aciSubnet', a.vmProfile.containerInstanceSubnetId?.split('/').slice(-3).join('/'));
  const tags = Object.entries(a.managedResourceTags).map(([k, v]) => `${k}=${v}`);
  add('managedTags', tags.join(', '));
  add('triggers', a.triggers.map((x) => `${x.name} (${x.statusCode ?? '?'})`).join(', '));
  if (a.validation) {
    const v = a.validation;
    const names = v.validators.map((x) => x.name ?? x.type).join(', ');
    facts.push({
      label: t(locale, 'card.validation.validators'),
      value: clip(`${names} · continueDistributeOnFailure ${v.continueDistributeOnFailure} · sourceValidationOnly ${v.sourceValidationOnly}`, 160),
    });
  }
  if (a.run.failedTargets.length > 0) {
    const lines = a.run.failedTargets.map((name) => (a.run.failureReasons[name] ? `${name} — ${a.run.failureReasons[name]}` : name));
    messages.push({ label: t(locale, key('partial')), text: clip(lines.join('\n'), MESSAGE_CHARS) });
  }
  if (a.kept.kept) {
    const kept = a.kept.resources.map((r) => `${r.type.split('/').pop()}/${r.name}`).join(', ');
    const text = t(locale, key('kept'), { group: clip(a.kept.stagingResourceGroup ?? '?', NAME_CHARS) });
    messages.push({ label: t(locale, key('keptLabel')), text: clip(kept ? `${text} ${kept}` : text, MESSAGE_CHARS) });
  }
  for (const tr of a.triggers.filter((x) => x.disabled)) {
    messages.push({
      label: t(locale, key('triggers')),
      text: clip(t(locale, key('triggerDisabled'), { name: clip(tr.name, NAME_CHARS), message: clip(tr.statusMessage ?? tr.statusCode ?? '', 300) }), MESSAGE_CHARS),
    });
  }
  if (a.buildContainer) {
    messages.push({
      label: t(locale, key('liveLogLabel')),
      text: t(locale, key('liveLog'), { container: clip(a.buildContainer, NAME_CHARS), group: clip(a.kept.stagingResourceGroup ?? '?', NAME_CHARS) }),
    });
  }
}

function stateLine(f: StatusFacts, locale: Locale): { line: string; color: Color } {
  const provisioning = (f.provisioningState ?? '').toLowerCase();
  if (provisioning === 'failed') return { line: t(locale, 'card.status.stateProvisioningFailed'), color: 'Attention' };
  if (['creating', 'updating', 'deleting'].includes(provisioning)) {
    return { line: t(locale, 'card.status.stateProvisioning'), color: 'Accent' };
  }
  const run = f.lastRun?.runState;
  const known = RUN_STATE_LINES.get((run ?? '').toLowerCase());
  if (known) return { line: t(locale, `card.status.${known.key}`), color: known.color };
  return { line: t(locale, 'card.status.stateOther', { state: stateLabel(locale, run ?? '') }), color: 'Default' };
}

/** The last run's state (lower-cased; '' when it never ran) → its line on the status card and the line's colour. */
const RUN_STATE_LINES = new Map<string, { key: string; color: Color }>([
  ['', { key: 'stateNoRun', color: 'Default' }],
  ['failed', { key: 'stateFailed', color: 'Attention' }],
  ['partiallysucceeded', { key: 'statePartial', color: 'Warning' }],
  ['succeeded', { key: 'stateSucceeded', color: 'Good' }],
  ['running', { key: 'stateRunning', color: 'Accent' }],
  ['canceling', { key: 'stateCanceling', color: 'Warning' }],
  ['canceled', { key: 'stateCanceled', color: 'Warning' }],
]);

// ------------------------------------------------------------------------------------------------ list and choice

export interface ListedTemplate extends TemplateRef {
  provisioningState?: string;
  runState?: string;
  runSubState?: string;
  endTime?: string;
  /** The catalog id of what broke (from the status), shown as the row's failure title. */
  failureId?: string;
}

export interface ListCardInput {
  /** Every template of the listing, in order; the card shows one page of them. */
  templates: ListedTemplate[];
  failedOnly: boolean;
  resourceGroup?: string;
  /** The name filter the list was narrowed by. */
  nameContains?: string;
  /** More templates exist than were read: the total is a lower bound. */
  truncated: boolean;
  /** Index of the page's first row (Show more). */
  offset?: number;
  /** Groups the narrowing choice offers (the configured ones and those listed). */
  groups?: string[];
}

interface RowView {
  name: string;
  detail: string;
  button: ExecuteAction;
}

export interface ListView {
  summary: string;
  heading: string;
  notes: TextItem[];
  rows: Array<RowView & { state: string; stateColor: Color; failure: string }>;
  /** The narrowing inputs (none or one): a name filter and a resource-group choice, applied by one button. */
  narrow: Array<{ nameLabel: string; name: string; groupLabel: string; group: string; groups: Array<{ title: string; value: string }> }>;
  actions: Array<ExecuteAction & { inputs: 'auto' | 'none' }>;
}

/** Rows a list card shows at a time: a glance, not a report (Show more pages on). */
export const LIST_PAGE_ROWS = 10;
const MAX_GROUP_CHOICES = 20;

export function listView(input: ListCardInput, locale: Locale, maxRows = LIST_PAGE_ROWS): ListView {
  const group = input.resourceGroup ? clip(input.resourceGroup, NAME_CHARS) : undefined;
  const variant = `${input.failedOnly ? 'Failed' : ''}${group ? 'Group' : ''}`;
  const heading = t(locale, variant ? `card.list.heading${variant}` : 'card.list.heading', { group });
  const total = input.templates.length;
  const offset = Math.min(Math.max(0, Math.floor(input.offset ?? 0)), Math.max(0, total - 1));
  const shown = input.templates.slice(offset, offset + Math.min(maxRows, LIST_PAGE_ROWS));
  const notes: TextItem[] = [];
  const filter = input.nameContains ? clip(input.nameContains, NAME_CHARS) : undefined;
  if (filter) notes.push({ text: t(locale, 'card.list.filteredName', { text: filter }) });
  if (!shown.length) notes.push({ text: t(locale, variant ? `card.list.empty${variant}` : 'card.list.empty', { group }) });
  else notes.push({ text: t(locale, input.truncated ? 'card.list.rangeMore' : 'card.list.range', { from: offset + 1, to: offset + shown.length, total }) });
  // One group for the whole page is said once, under the heading, instead of on every row.
  const oneGroup = shown.length > 1 && shown.every((tpl) => tpl.resourceGroup === shown[0].resourceGroup) ? shown[0].resourceGroup : undefined;
  if (oneGroup && !group) notes.push({ text: `${t(locale, 'card.common.resourceGroup')}: ${clip(oneGroup, NAME_CHARS)}` });
  const rows = shown.map((tpl) => {
    const states = joinStates(locale, tpl.runState, tpl.runSubState) ?? joinStates(locale, tpl.provisioningState);
    const parts = [states ?? t(locale, 'card.common.stateUnknown')];
    if (tpl.endTime) parts.push(t(locale, 'card.common.endedAt', { time: formatUtc(tpl.endTime) }));
    return {
      name: shortName(tpl.name),
      detail: oneGroup ? '' : `${t(locale, 'card.common.resourceGroup')}: ${clip(tpl.resourceGroup, NAME_CHARS)}`,
      state: parts.join(' · '),
      stateColor: rowColor(tpl),
      failure: tpl.failureId && tpl.failureId !== 'unknown' ? catalogText(locale, tpl.failureId).title : '',
      // Only the id: it names the template fully, and a long list is where every byte of the 28 KB counts.
      button: execute('diagnose', t(locale, 'card.common.diagnose'), { templateId: tpl.id }),
    };
  });
  const scope = { failedOnly: input.failedOnly, resourceGroup: input.resourceGroup, nameContains: input.nameContains };
  const actions: ListView['actions'] = [];
  const next = offset + shown.length;
  if (next < total) actions.push({ ...execute('list', t(locale, 'card.list.showMore'), { ...scope, offset: next }), inputs: 'none' });
  const groups = [...new Set([...(input.groups ?? []), ...input.templates.map((x) => x.resourceGroup)])].slice(0, MAX_GROUP_CHOICES);
  const narrowable = total > shown.length || !!filter || !!group;
  const narrow: ListView['narrow'] = [];
  if (narrowable) {
    narrow.push({
      nameLabel: t(locale, 'card.list.narrowName'),
      name: filter ?? '',
      groupLabel: t(locale, 'card.list.narrowGroup'),
      group: input.resourceGroup ?? '',
      groups: [{ title: t(locale, 'card.list.anyGroup'), value: '' }, ...groups.map((g) => ({ title: clip(g, NAME_CHARS), value: g }))],
    });
    actions.push({ ...execute('list', t(locale, 'card.list.narrow'), { failedOnly: input.failedOnly, narrow: true }), inputs: 'auto' });
  }
  return { summary: `${heading} — ${notes.map((n) => n.text).join(' ')}`, heading, notes, rows, narrow, actions };
}

function rowColor(tpl: ListedTemplate): Color {
  const states = `${tpl.provisioningState ?? ''} ${tpl.runState ?? ''}`.toLowerCase();
  if (/failed/.test(states)) return 'Attention';
  if (/running|creating|canceling/.test(states)) return 'Accent';
  if (/succeeded/.test(states)) return 'Good';
  return 'Default';
}

export type ChoicePurpose = 'diagnose' | 'status' | 'show-log';

export interface ChoiceCardInput {
  name: string;
  purpose: ChoicePurpose;
  candidates: Array<TemplateRef & { runState?: string }>;
}

export interface ChoiceView {
  summary: string;
  heading: string;
  prompt: string;
  rows: RowView[];
}

const CHOICE_BUTTON: Record<ChoicePurpose, string> = {
  diagnose: 'card.common.diagnose',
  status: 'card.common.showStatus',
  'show-log': 'action.show-log',
};

export function choiceView(input: ChoiceCardInput, locale: Locale, maxRows = MAX_LIST_ROWS): ChoiceView {
  const heading = t(locale, 'card.choice.heading', { name: shortName(input.name) });
  const rows = input.candidates.slice(0, maxRows).map((c) => ({
    name: shortName(c.name),
    detail: [`${t(locale, 'card.common.resourceGroup')}: ${clip(c.resourceGroup, NAME_CHARS)}`, c.runState && stateLabel(locale, c.runState)]
      .filter(Boolean)
      .join(' · '),
    button: execute(input.purpose, t(locale, CHOICE_BUTTON[input.purpose]), { templateId: c.id }),
  }));
  return { summary: heading, heading, prompt: t(locale, `card.choice.prompt.${input.purpose}`), rows };
}

// ------------------------------------------------------------------------------------------------ log

export interface LogCardInput {
  template: TemplateRef;
  excerpt: Evidence[];
  /** Where the full log is, as text (blob path, portal path). Never a URL with a SAS token; scrubbed anyway. */
  location?: string;
  /** Size of the whole log in bytes. */
  size?: number;
  partial: boolean;
}

export interface LogView {
  summary: string;
  heading: string;
  facts: Fact[];
  notes: TextItem[];
  excerptHeading: string;
  excerpt: LogLineView[];
  locations: Array<{ label: string; text: string; hint: string }>;
}

export function logView(input: LogCardInput, locale: Locale): LogView {
  const heading = t(locale, 'card.log.heading', { name: shortName(input.template.name) });
  const facts: Fact[] = [{ label: t(locale, 'card.common.resourceGroup'), value: clip(input.template.resourceGroup, NAME_CHARS) }];
  if (input.size !== undefined) facts.push({ label: t(locale, 'card.common.size'), value: formatBytes(input.size) });
  const notes: TextItem[] = [];
  if (input.partial) notes.push({ text: t(locale, 'card.log.partial') });
  if (!input.excerpt.length) notes.push({ text: t(locale, 'card.log.noExcerpt') });
  const locations = input.location
    ? [{ label: t(locale, 'card.log.where'), text: clip(input.location, ID_CHARS), hint: t(locale, 'card.log.portalHint') }]
    : [];
  return {
    summary: heading,
    heading,
    facts,
    notes,
    excerptHeading: t(locale, 'card.log.excerpt'),
    excerpt: logLines(input.excerpt, locale, MAX_LOG_EXCERPT_LINES),
    locations,
  };
}
