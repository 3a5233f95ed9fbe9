import { createHash } from 'node:crypto';
import { TemplateId } from '../model';
import {
  DESCRIPTION_MAX,
  FORM_FIELDS,
  SUPPORT_LANGUAGES,
  TITLE_MAX,
  type FormField,
  type PortalCase,
  type SupportFailure,
  type SupportForm,
  type SupportMode,
  type SupportPrefill,
  type SupportResult as ModelSupportResult,
} from '../model/support-case';

// The values the support cards read live in src/model; they are re-exported here for the callers of the use case.
export {
  DESCRIPTION_MAX,
  FORM_FIELDS,
  SUPPORT_LANGUAGES,
  TITLE_MAX,
  prefilledForm,
  type FormField,
  type PortalCase,
  type SupportFailure,
  type SupportForm,
  type SupportFormContact,
  type SupportMode,
  type SupportPrefill,
} from '../model/support-case';
export type SupportResult = ModelSupportResult<SupportTicket>;

interface ResultBase {
  templateId?: string;
  diagnosisId: string;
}
import {
  MANAGE_TICKETS_URL,
  SUPPORT_SERVICES,
  SUPPORT_SEVERITIES,
  SUPPORT_SUBTOPIC,
  SUPPORT_TOPIC,
  isSupportError,
  supportPortalUrl,
  type SupportErrorCode,
  type SupportGateway,
  type SupportProduct,
  type SupportSeverity,
  type SupportTicket,
} from '../azure/support';
import { redact, type Diagnosis, type Evidence } from '../diagnosis';
import { countryAlpha3, isKnownCountry, isKnownTimeZone, windowsTimeZone } from '../model/support-regions';
import { catalogText, t, type Locale } from '../i18n';
import type { TemplateDiagnosis } from './diagnose-template';

// An Azure support case for a diagnosed failure: the prefill (pure: diagnosis in, form values out), the user's
// answers read back from the card, and the submission (through the support API, or as a portal link plus a
// copy-ready text). The texts go to Microsoft support as well as to the user, so they carry ids and facts, never
// a SAS token.

const MESSAGE_MAX = 1500;
const EVIDENCE_LINE_MAX = 300;


export interface SupportPrefillInput {
  /** A template diagnosis (status + log), or a diagnosis of pasted text only. */
  source: TemplateDiagnosis | Diagnosis;
  /** The id the diagnosis card's actions carry; derived from the diagnosis when absent. */
  diagnosisId?: string;
  /** For a text-only diagnosis: the pasted error, so its message reaches the ticket. */
  errorText?: string;
  locale?: Locale;
  /**
   * What the bot already knows about the person (Teams profile, roster email, the client's zone and country as
   * Teams reports them: IANA zone, alpha-2 country); everything else is left for them.
   */
  contact?: { firstName?: string; lastName?: string; email?: string; timeZone?: string; country?: string };
}






// ------------------------------------------------------------------------------------------------ prefill

export function buildSupportPrefill(input: SupportPrefillInput): SupportPrefill {
  const locale = input.locale ?? 'en';
  const td = 'facts' in input.source ? input.source : undefined;
  const diagnosis = td ? td.diagnosis : (input.source as Diagnosis);
  const templateId = td?.facts.id ?? td?.template.id ?? diagnosis.ids.templateId;
  const coords = templateId ? safeCoordinates(templateId) : undefined;
  const templateName = td?.facts.name ?? coords?.name;
  const catalogId = diagnosis.diagnosis.id;
  const summary = catalogText(locale, catalogId).title;
  const title = clipPoints(
    templateName ? t(locale, 'support.title', { name: templateName, summary }) : t(locale, 'support.titleNoName', { summary }),
    TITLE_MAX,
  );
  const runStart = td?.facts.lastRun?.startTime ?? diagnosis.status?.startTime;
  return {
    diagnosisId: input.diagnosisId ?? deriveDiagnosisId(templateId, diagnosis),
    catalogId,
    locale,
    templateId,
    templateName,
    resourceGroup: td?.facts.resourceGroup ?? coords?.resourceGroup,
    subscriptionId: td?.facts.subscriptionId ?? coords?.subscriptionId,
    productFamily: 'Azure',
    product: productOf(td, diagnosis),
    productNames: { windows: SUPPORT_SERVICES.windows.displayName, linux: SUPPORT_SERVICES.linux.displayName },
    supportTopic: SUPPORT_TOPIC,
    subtopic: SUPPORT_SUBTOPIC,
    title,
    description: buildDescription(locale, diagnosis, td, input.errorText, templateId),
    severity: 'minimal',
    problemStartTime: runStart && Number.isFinite(Date.parse(runStart)) ? new Date(Date.parse(runStart)).toISOString() : undefined,
    contact: {
      firstName: clipPoints(input.contact?.firstName ?? '', 60),
      lastName: clipPoints(input.contact?.lastName ?? '', 60),
      email: clipPoints(input.contact?.email ?? '', 120),
      contactMethod: 'email',
      phone: '',
      // Only values the form can offer as choices: an unknown zone is left for the person to pick.
      timeZone: windowsTimeZone(input.contact?.timeZone) ?? '',
      country: countryAlpha3(input.contact?.country) ?? '',
      language: SUPPORT_LANGUAGES[locale],
    },
  };
}

function safeCoordinates(id: string): { subscriptionId: string; resourceGroup: string; name: string } | undefined {
  const parsed = TemplateId.parseAny(id);
  return parsed && { subscriptionId: parsed.subscriptionId, resourceGroup: parsed.resourceGroup, name: parsed.name };
}

/**
 * The template's source decides the product. Without one, only a customizer that exists on a single OS says
 * anything (PowerShell and the Windows restart/update steps are Windows-only, Shell is Linux-only); otherwise
 * the form asks rather than guessing.
 */
function productOf(td: TemplateDiagnosis | undefined, diagnosis: Diagnosis): SupportProduct | undefined {
  const os = td?.facts.source?.os;
  if (os) return os;
  const type = diagnosis.customizer && !diagnosis.customizer.deprovision ? diagnosis.customizer.type.toLowerCase() : undefined;
  if (type === 'powershell' || type === 'windows-restart' || type === 'windows-update') return 'windows';
  if (type === 'shell') return 'linux';
  return undefined;
}

/** Same diagnosis of the same run → same id, so a second click finds the first ticket instead of opening another. */
function deriveDiagnosisId(templateId: string | undefined, d: Diagnosis): string {
  const basis = [templateId ?? '', d.diagnosis.id, d.status?.startTime ?? '', d.status?.endTime ?? '', d.ids.operationId ?? '', d.ids.correlationId ?? '']
    .concat(templateId ? [] : d.evidence.map((e) => e.text))
    .join('|');
  return createHash('sha256').update(basis).digest('hex').slice(0, 16);
}

function buildDescription(
  locale: Locale,
  d: Diagnosis,
  td: TemplateDiagnosis | undefined,
  errorText: string | undefined,
  templateId: string | undefined,
): string {
  const L = (key: string, params?: Record<string, string | number | undefined>) => t(locale, `support.description.${key}`, params);
  const lines: string[] = [L('intro'), ''];
  const fact = (label: string, value: string | undefined) => {
    if (value) lines.push(`${L(label)}: ${value}`);
  };
  fact('template', templateId);
  const status = d.status;
  const run = td?.facts.lastRun;
  const runState = run?.runState ?? status?.runState;
  if (runState) {
    const sub = run?.runSubState ?? status?.runSubState;
    fact('runState', sub ? `${runState} / ${sub}` : runState);
  }
  fact('provisioningState', td?.facts.provisioningState ?? status?.provisioningState);
  fact('started', run?.startTime ?? status?.startTime);
  fact('ended', run?.endTime ?? status?.endTime);
  if (status?.durationMinutes !== undefined) {
    fact('duration', L('durationValue', { minutes: status.durationMinutes, timeout: status.timeoutMinutes }));
  }
  fact('vmSize', status?.vmSize);
  const errorLines = errorMessages(td, errorText);
  if (errorLines.length) {
    lines.push(`${L('error')}:`);
    for (const e of errorLines) lines.push(`  ${e}`);
  }
  fact('operationId', d.ids.operationId);
  fact('correlationId', d.ids.correlationId);
  fact('packerRunId', d.ids.packerRunId);
  if (d.customizer) fact('customizer', customizerText(locale, d));
  fact('log', logLocation(td, d));
  lines.push('');
  const conf = t(locale, `confidence.${d.diagnosis.confidence}`);
  fact('diagnosis', L('diagnosisValue', { title: catalogText(locale, d.diagnosis.id).title, id: d.diagnosis.id, confidence: conf }));
  const others = d.others.map((o) => `${catalogText(locale, o.id).title} (${o.id})`);
  fact('considered', others.length ? others.join('; ') : L('none'));
  fact('guide', d.docUrl);

  const head = lines.join('\n');
  const evidence = d.evidence.map((e) => `  ${evidenceWhere(locale, e)} ${clipPoints(noSecrets(e.text).replace(/\s+$/, ''), EVIDENCE_LINE_MAX)}`);
  // Evidence is what gets cut when the ticket grows too long: the facts above are what support asks for first.
  let text = head;
  if (evidence.length) {
    const withEvidence = [head, '', `${L('evidence')}:`, ...evidence].join('\n');
    text = withEvidence;
    while ([...text].length > DESCRIPTION_MAX && evidence.length > 1) {
      evidence.pop();
      text = [head, '', `${L('evidence')}:`, ...evidence, `  ${L('evidenceCut')}`].join('\n');
    }
  }
  return clipPoints(noSecrets(text), DESCRIPTION_MAX);
}

function errorMessages(td: TemplateDiagnosis | undefined, errorText: string | undefined): string[] {
  const out: string[] = [];
  const pe = td?.facts.provisioningError;
  if (pe?.code || pe?.message) out.push(clipPoints(noSecrets([pe.code, pe.message].filter(Boolean).join(': ')), MESSAGE_MAX));
  const message = td?.facts.lastRun?.message;
  if (message) out.push(clipPoints(flat(noSecrets(message)), MESSAGE_MAX));
  if (!td && errorText?.trim()) out.push(clipPoints(flat(noSecrets(errorText)), MESSAGE_MAX));
  return out;
}

function customizerText(locale: Locale, d: Diagnosis): string {
  const c = d.customizer!;
  const key = c.deprovision ? 'customizerDeprovision' : c.finished ? 'customizerFinished' : 'customizerUnfinished';
  return t(locale, `support.description.${key}`, {
    number: c.index !== undefined ? c.index + 1 : '?',
    name: c.name ?? '-',
    type: c.type,
    line: c.startLine ?? '?',
  });
}

/** The blob's address without any query string: the location is for support to find the log, not to read it. */
function logLocation(td: TemplateDiagnosis | undefined, d: Diagnosis): string | undefined {
  const loc = td?.log.location ?? td?.facts.logLocation;
  if (loc) return `https://${loc.account}.blob.core.windows.net/${loc.container}/${loc.blobPath}`;
  return d.ids.logUrl ? d.ids.logUrl.replace(/\?.*$/, '') : undefined;
}

function evidenceWhere(locale: Locale, e: Evidence): string {
  return e.source === 'log' ? `[${t(locale, 'support.description.logLine', { line: e.line })}]` : `[${t(locale, `support.description.source.${e.source}`)}]`;
}

/** A ticket and a chat card get none of a signature, not even an empty `sig=` (redact's markers never contain one). */
export function noSecrets(text: string): string {
  return redact(text);
}

function flat(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clipPoints(text: string, max: number): string {
  const points = [...text];
  return points.length > max ? `${points.slice(0, max - 1).join('')}…` : text;
}

// ------------------------------------------------------------------------------------------------ the form

/** Reads the card's inputs back; anything missing or of the wrong type becomes an empty answer. */
export function readSupportForm(data: Record<string, unknown>): SupportForm {
  const s = (field: FormField) => {
    const v = data[FORM_FIELDS[field]];
    return typeof v === 'string' ? v.trim() : '';
  };
  const product = s('product');
  const method = s('contactMethod');
  return {
    product: product === 'windows' || product === 'linux' ? product : undefined,
    title: s('title'),
    description: s('description'),
    severity: s('severity'),
    firstName: s('firstName'),
    lastName: s('lastName'),
    email: s('email'),
    contactMethod: method === 'phone' ? 'phone' : 'email',
    phone: s('phone'),
    timeZone: s('timeZone'),
    country: s('country').toUpperCase(),
    language: s('language'),
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The fields the user still has to fix; the portal asks for contact details itself, the API needs them here. */
export function invalidFields(prefill: SupportPrefill, form: SupportForm, mode: SupportMode): FormField[] {
  const bad: FormField[] = [];
  if (!(prefill.product ?? form.product)) bad.push('product');
  if (!form.title || [...form.title].length > TITLE_MAX) bad.push('title');
  if (!form.description) bad.push('description');
  if (!(SUPPORT_SEVERITIES as readonly string[]).includes(form.severity)) bad.push('severity');
  if (mode === 'portal') return bad;
  if (!form.firstName) bad.push('firstName');
  if (!form.lastName) bad.push('lastName');
  if (!EMAIL.test(form.email)) bad.push('email');
  if (form.contactMethod === 'phone' && !/^\+?[0-9 ()./-]{6,}$/.test(form.phone)) bad.push('phone');
  if (!isKnownTimeZone(form.timeZone)) bad.push('timeZone');
  if (!isKnownCountry(form.country)) bad.push('country');
  if (!form.language) bad.push('language');
  return bad;
}

// ------------------------------------------------------------------------------------------------ submission





export interface SubmitOptions {
  mode: SupportMode;
  /** Needed in `api` mode. */
  gateway?: SupportGateway;
  /** Base of the ticket's resource name; tests pin it, the bot lets it derive from the diagnosis. */
  ticketName?: string;
}

/**
 * Never throws for what a user or Azure can cause: those come back as `invalid` (show the form again with
 * supportCaseCard's `retry`) or `failed` (with the portal route as a way out, when the product is known).
 */
export async function submitSupportCase(prefill: SupportPrefill, data: Record<string, unknown> | SupportForm, options: SubmitOptions): Promise<SupportResult> {
  const form = isForm(data) ? data : readSupportForm(data);
  const base: ResultBase = { templateId: prefill.templateId, diagnosisId: prefill.diagnosisId };
  const fields = invalidFields(prefill, form, options.mode);
  if (fields.length) return { ...base, kind: 'invalid', fields, form };
  const product = (prefill.product ?? form.product)!;
  const portal = portalCase(prefill, form, product);
  if (options.mode === 'portal') return { ...base, kind: 'portal', portal };
  if (!options.gateway) {
    return { ...base, kind: 'failed', portal, error: { code: 'misconfigured', message: 'SUPPORT_MODE=api but no support gateway was configured.' } };
  }
  try {
    const ticket = await options.gateway.createTicket({
      product,
      name: options.ticketName ?? ticketName(prefill),
      title: form.title,
      description: noSecrets(form.description),
      severity: form.severity as SupportSeverity,
      contact: {
        firstName: form.firstName,
        lastName: form.lastName,
        preferredContactMethod: form.contactMethod,
        primaryEmailAddress: form.email,
        phoneNumber: form.contactMethod === 'phone' ? form.phone : undefined,
        preferredTimeZone: form.timeZone,
        country: form.country,
        preferredSupportLanguage: form.language,
      },
      resourceId: prefill.templateId,
      problemStartTime: prefill.problemStartTime ? new Date(prefill.problemStartTime) : undefined,
    });
    return { ...base, kind: 'created', ticket, manageUrl: MANAGE_TICKETS_URL };
  } catch (e) {
    if (!isSupportError(e)) throw e;
    const error: SupportFailure = {
      code: e.code,
      message: e.message,
      requiredRole: e.requiredRole,
      retryAfterSeconds: e.retryAfterSeconds,
      detail: e.serviceMessage,
    };
    return { ...base, kind: 'failed', error, portal };
  }
}

function isForm(x: Record<string, unknown> | SupportForm): x is SupportForm {
  return typeof (x as SupportForm).title === 'string' && typeof (x as SupportForm).description === 'string' && !(FORM_FIELDS.title in x);
}

/** `aib-<template>-<diagnosis>`: stable per diagnosis, so the gateway can recognise a repeat. */
export function ticketName(prefill: SupportPrefill): string {
  const slug = (s: string, max: number) =>
    s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, max).replace(/-+$/, '');
  const name = slug(prefill.templateName ?? 'build', 36) || 'build';
  const id = slug(prefill.diagnosisId, 16) || 'case';
  return `aib-${name}-${id}`;
}

function portalCase(prefill: SupportPrefill, form: SupportForm, product: SupportProduct): PortalCase {
  const L = (key: string) => t(prefill.locale, `support.form.${key}`);
  const severity = t(prefill.locale, `support.severity.${form.severity}`);
  const description = noSecrets(form.description);
  const title = noSecrets(form.title);
  // Everything the person typed or chose goes into the copy text: the portal asks again, and nothing they told
  // the bot should be lost on the way (in portal mode the contact lines are simply empty and left out).
  const typed = (field: FormField, value: string) => (value ? [`${L(field)}: ${noSecrets(value)}`] : []);
  const method = form.firstName || form.lastName || form.email || form.phone ? L(form.contactMethod === 'phone' ? 'contactPhone' : 'contactEmail') : '';
  const contact = [
    ...typed('firstName', form.firstName),
    ...typed('lastName', form.lastName),
    ...typed('email', form.email),
    ...typed('contactMethod', method),
    ...typed('phone', form.phone),
    ...typed('timeZone', form.timeZone),
    ...typed('country', form.country),
    ...(contactGiven(form) ? typed('language', form.language) : []),
  ];
  const copyText = [
    `${L('productFamily')}: ${prefill.productFamily}`,
    `${L('product')}: ${SUPPORT_SERVICES[product].displayName}`,
    `${L('supportTopic')}: ${prefill.supportTopic}`,
    `${L('subtopic')}: ${prefill.subtopic}`,
    `${L('severity')}: ${severity}`,
    `${L('title')}: ${title}`,
    ...(contact.length ? ['', `${L('contactHeading')}:`, ...contact] : []),
    '',
    `${L('description')}:`,
    description,
  ].join('\n');
  return {
    url: supportPortalUrl({ product, subscriptionId: prefill.subscriptionId, context: title }),
    product,
    title,
    description,
    severity: form.severity,
    copyText,
  };
}

function contactGiven(form: SupportForm): boolean {
  return !!(form.firstName || form.lastName || form.email || form.phone || form.timeZone || form.country);
}
