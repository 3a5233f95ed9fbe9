import supportCaseTemplate from '../../cards/support-case.json';
import supportResultTemplate from '../../cards/support-case-result.json';
import { LOCALES, resolveLocale, t, type Locale } from '../i18n';
import { SUPPORT_ROLE } from '../model';
import {
  DESCRIPTION_MAX,
  FORM_FIELDS,
  SUPPORT_LANGUAGES,
  SUPPORT_SEVERITIES,
  TITLE_MAX,
  prefilledForm,
  type FormField,
  type PortalCase,
  type SupportForm,
  type SupportMode,
  type SupportPrefill,
  type SupportFailure,
  type SupportProduct,
  type SupportResult,
} from '../model/support-case';
import { COUNTRIES, TIME_ZONES } from '../model/support-regions';
import { execute, openUrl, type ActionPayload, type ActionView } from './actions';
import { bindCard, type CardAttachment } from './bind';
import { clip, formatUtc } from './text';
import type { Fact, TextItem } from './view-models';

// The support case as two cards: the prefilled form (Action.Execute `confirm-open-support-case`, the inputs merged
// into its data by the client) and the outcome (ticket number, or the portal link with a copy-ready text).

export const CONFIRM_SUPPORT_VERB = 'confirm-open-support-case';
export const DISMISS_SUPPORT_VERB = 'dismiss-open-support-case';
export const OPEN_SUPPORT_VERB = 'open-support-case';

export interface SupportCardOptions {
  /** Portal mode asks only what the link and the copy block need; contact details are the portal's business. */
  mode?: SupportMode;
  /** Showing the form again after an `invalid` result: the user's answers stay, the fields to fix are named. */
  retry?: { form: SupportForm; fields: FormField[] };
}

interface Choice {
  title: string;
  value: string;
}
interface TextInput {
  id: string;
  label: string;
  value: string;
  placeholder: string;
  style: 'text' | 'email' | 'tel';
  maxLength: number;
  required: boolean;
  errorMessage: string;
}
interface FormAction {
  title: string;
  verb: string;
  payload: ActionPayload;
  submitPayload: ActionPayload & { verb: string };
  associatedInputs: 'auto' | 'none';
  style: 'positive' | 'default';
}

export function supportCaseCard(prefill: SupportPrefill, locale: string, options: SupportCardOptions = {}): CardAttachment {
  const loc = resolveLocale(locale);
  const F = (key: string, params?: Record<string, string | number>) => t(loc, `support.form.${key}`, params);
  const api = (options.mode ?? 'api') === 'api';
  const form = options.retry?.form ?? prefilledForm(prefill);
  const required = F('required');
  const facts: Fact[] = [
    { label: F('productFamily'), value: prefill.productFamily },
    ...(prefill.product ? [{ label: F('product'), value: prefill.productNames[prefill.product] }] : []),
    { label: F('supportTopic'), value: prefill.supportTopic },
    { label: F('subtopic'), value: prefill.subtopic },
    ...(prefill.templateName
      ? [{ label: F('template'), value: clip(prefill.resourceGroup ? `${prefill.templateName} (${prefill.resourceGroup})` : prefill.templateName, 120) }]
      : []),
  ];
  const text = (field: FormField, style: TextInput['style'], maxLength: number, isRequired: boolean, placeholder = ''): TextInput => ({
    id: FORM_FIELDS[field],
    label: F(field),
    value: String(form[field] ?? ''),
    placeholder,
    style,
    maxLength,
    required: isRequired,
    errorMessage: required,
  });
  const payload: ActionPayload = { templateId: prefill.templateId, diagnosisId: prefill.diagnosisId };
  const confirm = execute(CONFIRM_SUPPORT_VERB, F('submit'), payload);
  const dismiss = execute(DISMISS_SUPPORT_VERB, F('cancel'), payload);
  const actions: FormAction[] = [
    { ...pick(confirm), associatedInputs: 'auto', style: 'positive' },
    { ...pick(dismiss), associatedInputs: 'none', style: 'default' },
  ];
  const product = form.product ?? prefill.product;
  const view = {
    summary: F('summary', { name: prefill.templateName ?? prefill.subtopic }),
    heading: F('heading'),
    intro: F(api ? 'intro' : 'introPortal'),
    notice: options.retry?.fields.length ? retryNotice(loc, options.retry) : '',
    // The portal asks for the contact details itself: in portal mode the card asks only what the case says.
    askContact: api,
    requiredText: required,
    facts,
    product: {
      ask: !prefill.product,
      id: FORM_FIELDS.product,
      label: F('productAsk'),
      value: product ?? '',
      choices: (['windows', 'linux'] as SupportProduct[]).map((p) => ({
        title: `${F(p === 'windows' ? 'productWindows' : 'productLinux')} – ${prefill.productNames[p]}`,
        value: p,
      })),
    },
    titleInput: { id: FORM_FIELDS.title, label: F('title'), value: clip(form.title, TITLE_MAX), maxLength: TITLE_MAX },
    descriptionInput: { id: FORM_FIELDS.description, label: F('description'), value: form.description, maxLength: DESCRIPTION_MAX },
    severity: {
      id: FORM_FIELDS.severity,
      label: F('severity'),
      value: form.severity || prefill.severity,
      choices: SUPPORT_SEVERITIES.map((s): Choice => ({ title: t(loc, `support.severity.${s}`), value: s })),
    },
    contactHeading: F('contactHeading'),
    personInputs: [
      text('firstName', 'text', 60, api),
      text('lastName', 'text', 60, api),
      text('email', 'email', 120, api),
    ],
    contactMethod: {
      id: FORM_FIELDS.contactMethod,
      label: F('contactMethod'),
      required: api,
      value: form.contactMethod,
      choices: [
        { title: F('contactEmail'), value: 'email' },
        { title: F('contactPhone'), value: 'phone' },
      ],
    },
    // The phone number is needed only for phone contact; Adaptive Cards cannot make one input depend on another.
    reachInputs: [text('phone', 'tel', 40, false)],
    timeZone: {
      id: FORM_FIELDS.timeZone,
      label: F('timeZone'),
      value: form.timeZone,
      choices: TIME_ZONES.map(([zone, iana]): Choice => ({ title: `${zone} (${iana[0]})`, value: zone })),
    },
    country: {
      id: FORM_FIELDS.country,
      label: F('country'),
      value: form.country,
      choices: countryChoices(loc),
    },
    language: {
      id: FORM_FIELDS.language,
      label: F('language'),
      required: api,
      value: form.language || SUPPORT_LANGUAGES[loc],
      choices: LOCALES.map((l: Locale): Choice => ({ title: t(l, 'meta.languageName'), value: SUPPORT_LANGUAGES[l] })),
    },
    actions,
  };
  return bindCard('support-case', supportCaseTemplate, view);
}

/** Countries by their name in the card's language (ICU's names), sorted as that language sorts them. */
function countryChoices(loc: Locale): Choice[] {
  const names = new Intl.DisplayNames([loc], { type: 'region' });
  return Object.entries(COUNTRIES)
    .map(([alpha2, alpha3]): Choice => ({ title: names.of(alpha2) ?? alpha3, value: alpha3 }))
    .sort((a, b) => a.title.localeCompare(b.title, loc));
}

/**
 * What to fix, said plainly: a contact method without the address it needs gets its own sentence ("support will
 * write to you: enter your email"), the other fields are listed.
 */
function retryNotice(loc: Locale, retry: NonNullable<SupportCardOptions['retry']>): string {
  const F = (key: string, params?: Record<string, string>) => t(loc, `support.form.${key}`, params);
  const method = retry.form.contactMethod;
  const needs: FormField = method === 'phone' ? 'phone' : 'email';
  const sentences: string[] = [];
  if (retry.fields.includes(needs)) sentences.push(F(method === 'phone' ? 'needPhone' : 'needEmail'));
  const rest = retry.fields.filter((f) => !(f === needs && sentences.length));
  if (rest.length) sentences.push(F('fix', { fields: rest.map((f) => F(f)).join(', ') }));
  return sentences.join(' ');
}

function pick(a: ReturnType<typeof execute>): Pick<FormAction, 'title' | 'verb' | 'payload' | 'submitPayload'> {
  return { title: a.title, verb: a.verb, payload: a.payload, submitPayload: a.submitPayload };
}

type Color = 'Good' | 'Warning' | 'Attention' | 'Default';

export function supportResultCard(result: SupportResult, locale: string): CardAttachment {
  const loc = resolveLocale(locale);
  const R = (key: string, params?: Record<string, string | number>) => t(loc, `support.result.${key}`, params);
  const payload: ActionPayload = { templateId: result.templateId, diagnosisId: result.diagnosisId };
  let heading: string;
  let color: Color;
  const texts: TextItem[] = [];
  const facts: Fact[] = [];
  let copy: PortalCase | undefined;
  const actions: ActionView[] = [];

  switch (result.kind) {
    case 'created': {
      const tk = result.ticket;
      heading = R(tk.reused ? 'reusedHeading' : 'createdHeading', { number: tk.ticketNumber });
      color = 'Good';
      texts.push({ text: R(tk.reused ? 'reusedText' : 'createdText') });
      facts.push({ label: R('number'), value: tk.ticketNumber });
      facts.push({ label: t(loc, 'support.form.title'), value: clip(tk.title, TITLE_MAX) });
      if (tk.severity) facts.push({ label: t(loc, 'support.form.severity'), value: severityLabel(loc, tk.severity) });
      if (tk.serviceDisplayName) facts.push({ label: t(loc, 'support.form.product'), value: clip(tk.serviceDisplayName, 80) });
      if (tk.problemClassificationDisplayName) facts.push({ label: R('classification'), value: clip(tk.problemClassificationDisplayName, 120) });
      if (tk.status) facts.push({ label: R('status'), value: clip(tk.status, 40) });
      if (tk.createdDate) facts.push({ label: R('created'), value: formatUtc(tk.createdDate) });
      actions.push(openUrl(R('manage'), result.manageUrl));
      break;
    }
    case 'portal':
      heading = R('portalHeading');
      color = 'Default';
      texts.push({ text: R('portalText') });
      copy = result.portal;
      actions.push(openUrl(R('portalOpen'), result.portal.url));
      break;
    case 'invalid':
      heading = R('invalidHeading');
      color = 'Warning';
      texts.push({ text: t(loc, 'support.form.fix', { fields: result.fields.map((f) => t(loc, `support.form.${f}`)).join(', ') }) });
      actions.push(execute(OPEN_SUPPORT_VERB, R('reopen'), payload));
      break;
    case 'failed':
      heading = R('failedHeading');
      color = 'Attention';
      texts.push({ text: errorText(loc, result.error) });
      if (result.portal) {
        texts.push({ text: R('fallback') });
        copy = result.portal;
        actions.push(openUrl(R('portalOpen'), result.portal.url));
      }
      break;
  }
  const view = {
    summary: heading,
    heading,
    color,
    texts,
    facts,
    copy: copy ? { show: true, label: R('copyLabel'), text: copy.copyText } : { show: false, label: '', text: '' },
    actions,
  };
  return bindCard('support-case-result', supportResultTemplate, view);
}

function severityLabel(loc: Locale, severity: string): string {
  return (SUPPORT_SEVERITIES as readonly string[]).includes(severity) ? t(loc, `support.severity.${severity}`) : clip(severity, 40);
}

function errorText(loc: Locale, error: SupportFailure): string {
  return t(loc, `support.error.${error.code}`, { role: error.requiredRole ?? SUPPORT_ROLE, detail: clip(error.detail ?? error.message, 300) });
}
