// The support case as values: what the use case prefills and returns, and what the support cards show. Both
// sides import these from here, so the cards never reach into the use case or the support gateway.

export type SupportMode = 'portal' | 'api';
export type SupportProduct = 'windows' | 'linux';

/** The support API's severities, lowest first. */
export const SUPPORT_SEVERITIES = ['minimal', 'moderate', 'critical', 'highestcriticalimpact'] as const;
export type SupportSeverity = (typeof SUPPORT_SEVERITIES)[number];

export const TITLE_MAX = 140;
/** Long enough for the facts and eight evidence lines; long logs belong in the log, not in the ticket. */
export const DESCRIPTION_MAX = 4000;

/**
 * Support languages offered on the form: the bot's own six. The API's examples use `en-US`; the other tags follow
 * the same BCP 47 form, which we have not seen confirmed for every language.
 */
export const SUPPORT_LANGUAGES = {
  en: 'en-US',
  'zh-CN': 'zh-CN',
  'pt-BR': 'pt-BR',
  'it-IT': 'it-IT',
  'fr-FR': 'fr-FR',
  'ja-JP': 'ja-JP',
} as const;
type SupportLocale = keyof typeof SUPPORT_LANGUAGES;

export interface SupportFormContact {
  firstName: string;
  lastName: string;
  email: string;
  contactMethod: 'email' | 'phone';
  phone: string;
  timeZone: string;
  country: string;
  language: string;
}

/** The form's answers, as the card sends them back (inputs merged into the action data). */
export interface SupportForm extends SupportFormContact {
  product?: SupportProduct;
  title: string;
  description: string;
  severity: string;
}

/** Input ids on the card. Prefixed so they cannot overwrite the action's own data (templateId, name…). */
export const FORM_FIELDS = {
  product: 'supportProduct',
  title: 'supportTitle',
  description: 'supportDescription',
  severity: 'supportSeverity',
  firstName: 'supportFirstName',
  lastName: 'supportLastName',
  email: 'supportEmail',
  contactMethod: 'supportContactMethod',
  phone: 'supportPhone',
  timeZone: 'supportTimeZone',
  country: 'supportCountry',
  language: 'supportLanguage',
} as const satisfies Record<keyof SupportForm, string>;
export type FormField = keyof typeof FORM_FIELDS;

export interface SupportPrefill {
  diagnosisId: string;
  catalogId: string;
  locale: SupportLocale;
  templateId?: string;
  templateName?: string;
  resourceGroup?: string;
  subscriptionId?: string;
  productFamily: 'Azure';
  /** undefined: the source did not say; the form asks. */
  product?: SupportProduct;
  /** How the support service names each product, as the form shows them. */
  productNames: Record<SupportProduct, string>;
  supportTopic: string;
  subtopic: string;
  title: string;
  description: string;
  severity: SupportSeverity;
  problemStartTime?: string;
  contact: SupportFormContact;
}

/** The form as the prefill fills it, for the first showing of the card. */
export function prefilledForm(prefill: SupportPrefill): SupportForm {
  return { ...prefill.contact, product: prefill.product, title: prefill.title, description: prefill.description, severity: prefill.severity };
}

export interface PortalCase {
  url: string;
  product: SupportProduct;
  title: string;
  description: string;
  severity: string;
  /** Title, product path, severity and description as one block to paste into the portal's form. */
  copyText: string;
}

/** A ticket as the result card shows it. */
export interface SupportTicketView {
  ticketNumber: string;
  title: string;
  severity: string;
  status?: string;
  serviceDisplayName?: string;
  problemClassificationDisplayName?: string;
  createdDate?: string;
  /** True when an identical ticket already existed and was returned instead. */
  reused: boolean;
}

export interface SupportFailure {
  /** A support error code (`forbidden`, `throttled`, …): the card's text key. */
  code: string;
  message: string;
  /** The role whose assignment would let the call through (SUPPORT_ROLE when Azure did not say). */
  requiredRole?: string;
  retryAfterSeconds?: number;
  /** What Azure itself said, for `invalid-request` (secrets removed). */
  detail?: string;
}

interface ResultBase {
  templateId?: string;
  diagnosisId: string;
}

export type SupportResult<Ticket extends SupportTicketView = SupportTicketView> =
  | (ResultBase & { kind: 'created'; ticket: Ticket; manageUrl: string })
  | (ResultBase & { kind: 'portal'; portal: PortalCase })
  | (ResultBase & { kind: 'invalid'; fields: FormField[]; form: SupportForm })
  | (ResultBase & { kind: 'failed'; error: SupportFailure; portal?: PortalCase });
