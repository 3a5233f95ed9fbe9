import { catalogEntry, type Diagnosis } from '../diagnosis';
import { catalogText, t, type Locale } from '../i18n';
import { distributionLines } from '../cards/distribution-text';

// The diagnosis as people and scripts read it: the `--json` object of the CLI contract, and the same content as
// localized text lines.

export interface DiagnosisJson {
  diagnosis: { id: string; phase: string; title: string; confidence: string };
  others: Array<{ id: string; phase: string; title: string; benign: boolean }>;
  evidence: Diagnosis['evidence'];
  customizer: Diagnosis['customizer'];
  ids: Diagnosis['ids'];
  actions: Diagnosis['actions'];
  cause: string;
  fix: string[];
  docUrl: string;
  status?: Diagnosis['status'];
  scan?: Diagnosis['scan'];
  /** For `unknown`: possible causes ranked by term overlap (never a diagnosis). */
  candidates?: Array<{ id: string; title: string; score: number; terms: string[] }>;
  warnings?: Diagnosis['warnings'];
  disagreement?: Diagnosis['disagreement'] & { text: string };
  exitCode?: NonNullable<Diagnosis['exitCode']> & { text?: string };
  codes?: string[];
  failedPart?: string;
  distribution?: Diagnosis['distribution'] & { text: string[] };
}

/** The exit code and its meaning in one line: `1603 — MSI fatal error…`, `-2147024891 (0x80070005) — access denied`. */
export function describeExitCodeText(e: NonNullable<Diagnosis['exitCode']>, locale: Locale): string {
  const parts: string[] = [];
  if (e.meaning) parts.push(t(locale, `exitCode.${e.meaning}`));
  if (e.hresult) parts.push(t(locale, 'exitCode.hresult', { hex: e.hex ?? '', facility: e.hresult.facility, code: e.hresult.code }));
  const head = e.hex ? `${e.value} (${e.hex})` : String(e.value);
  return parts.length ? `${head} — ${parts.join('; ')}` : head;
}

export function toJson(d: Diagnosis, locale: Locale): DiagnosisJson {
  const text = catalogText(locale, d.diagnosis.id);
  return {
    diagnosis: { id: d.diagnosis.id, phase: d.diagnosis.phase, title: text.title, confidence: d.diagnosis.confidence },
    others: d.others.map((o) => ({ id: o.id, phase: o.phase, title: catalogText(locale, o.id).title, benign: o.benign })),
    evidence: d.evidence,
    customizer: d.customizer,
    ids: d.ids,
    actions: d.actions,
    cause: text.cause,
    fix: text.fix,
    docUrl: d.docUrl,
    ...(d.status ? { status: d.status } : {}),
    ...(d.scan ? { scan: d.scan } : {}),
    ...(d.candidates ? { candidates: d.candidates.map((c) => ({ ...c, title: catalogText(locale, c.id).title })) } : {}),
    ...(d.warnings ? { warnings: d.warnings } : {}),
    ...(d.disagreement ? { disagreement: { ...d.disagreement, text: disagreementText(d.disagreement, locale) } } : {}),
    ...(d.exitCode ? { exitCode: { ...d.exitCode, text: describeExitCodeText(d.exitCode, locale) } } : {}),
    ...(d.codes ? { codes: d.codes } : {}),
    ...(d.failedPart ? { failedPart: d.failedPart } : {}),
    ...(d.distribution ? { distribution: { ...d.distribution, text: distributionLines(d.distribution, locale) } } : {}),
  };
}

function disagreementText(dis: NonNullable<Diagnosis['disagreement']>, locale: Locale): string {
  return t(locale, 'cli.disagreement', { status: catalogText(locale, dis.status).title, log: catalogText(locale, dis.log).title });
}

export interface Style {
  title(s: string): string;
  dim(s: string): string;
  label(s: string): string;
}

export const PLAIN: Style = { title: (s) => s, dim: (s) => s, label: (s) => s };
export const ANSI: Style = {
  title: (s) => `\x1b[1;31m${s}\x1b[0m`,
  dim: (s) => `\x1b[2m${s}\x1b[0m`,
  label: (s) => `\x1b[1m${s}\x1b[0m`,
};

export function toText(d: Diagnosis, locale: Locale, style: Style = PLAIN): string {
  const text = catalogText(locale, d.diagnosis.id);
  const lines: string[] = [];
  const label = (key: string) => style.label(`${t(locale, key)}:`);
  lines.push(`${label('cli.diagnosis')} ${style.title(text.title)} ${style.dim(`[${d.diagnosis.id}]`)}`);
  lines.push(
    `${label('cli.phase')} ${t(locale, `phase.${d.diagnosis.phase}`)}   ${label('cli.confidence')} ${t(locale, `confidence.${d.diagnosis.confidence}`)}`,
  );
  if (d.customizer) lines.push(`${label('cli.customizer')} ${describeCustomizer(d, locale)}`);
  if (d.status?.durationMinutes !== undefined) {
    lines.push(t(locale, 'cli.runDuration', { minutes: d.status.durationMinutes, timeout: d.status.timeoutMinutes }));
  }
  if (d.scan?.partial) lines.push(style.dim(t(locale, 'cli.partial', { reason: d.scan.partial.reason })));
  if (d.scan?.stepsCut) lines.push(style.dim(t(locale, 'cli.stepsCut', { steps: d.scan.stepsCut.steps, cut: d.scan.stepsCut.markersCut })));
  if (d.failedPart) lines.push(t(locale, 'cli.failedPart', { part: d.failedPart }));
  if (d.distribution) lines.push(...distributionLines(d.distribution, locale));
  if (d.exitCode) lines.push(`${label('cli.exitCode')} ${describeExitCodeText(d.exitCode, locale)}`);
  if (d.codes?.length) lines.push(`${label('cli.codes')} ${d.codes.join(', ')}`);
  if (d.disagreement) lines.push(disagreementText(d.disagreement, locale));
  if (d.evidence.length) {
    lines.push(label(d.diagnosis.id === 'unknown' ? 'cli.unknownHint' : 'cli.evidence'));
    // A validation failure is read from validation.log, the validators' log beside customization.log.
    const logName = d.diagnosis.id === 'validation-failed' ? 'validation.log' : t(locale, 'cli.sourceLog');
    for (const e of d.evidence) {
      const where = e.source === 'log' ? `${logName}:${e.line}` : t(locale, e.source === 'status' ? 'cli.sourceStatus' : 'cli.sourceText');
      lines.push(`  ${style.dim(where.padEnd(22))} ${e.text}`);
    }
  }
  if (d.candidates?.length) {
    lines.push(label('cli.candidates'));
    for (const c of d.candidates) lines.push(`  ${catalogText(locale, c.id).title} [${c.id}] ${style.dim(`(${c.terms.join(', ')})`)}`);
  }
  if (d.warnings?.length) {
    lines.push(label('cli.warnings'));
    for (const w of d.warnings) lines.push(`  ${style.dim(`${w.source}:${w.line}`.padEnd(22))} ${w.text}`);
  }
  lines.push(`${label('cli.cause')} ${text.cause}`);
  lines.push(label('cli.fix'));
  text.fix.forEach((step, i) => lines.push(`  ${i + 1}. ${step}`));
  if (d.actions.length) lines.push(`${label('cli.actions')} ${d.actions.map((a) => t(locale, `action.${a}`)).join(' · ')}`);
  const ids = Object.entries(d.ids).filter(([, v]) => v);
  if (ids.length) {
    lines.push(label('cli.ids'));
    for (const [k, v] of ids) lines.push(`  ${k}: ${v}`);
  }
  lines.push(`${label('cli.docs')} ${d.docUrl}`);
  const others = d.others.filter((o) => !catalogEntry(o.id).benign || d.diagnosis.benign === false);
  if (others.length) lines.push(`${label('cli.others')} ${others.map((o) => `${catalogText(locale, o.id).title} [${o.id}]`).join('; ')}`);
  return lines.join('\n');
}

function describeCustomizer(d: Diagnosis, locale: Locale): string {
  const c = d.customizer!;
  if (c.deprovision) return t(locale, 'cli.deprovision');
  if (c.validator) {
    return c.index !== undefined && c.name
      ? t(locale, 'card.validation.validatorNamed', { type: c.type, name: c.name, index: c.index + 1 })
      : t(locale, 'card.validation.validatorType', { name: c.name ?? c.type });
  }
  const index = c.index !== undefined ? c.index + 1 : '?';
  const type = c.name ? `${c.type} "${c.name}"` : c.type;
  return t(locale, c.finished ? 'cli.customizerFailed' : 'cli.customizerUnfinished', { type, index, line: c.startLine });
}
