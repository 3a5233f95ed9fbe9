import { supportCaseCard, supportResultCard } from '../../cards/support-card';
import { classify, type Diagnosis } from '../../diagnosis';
import { t } from '../../i18n';
import { diagnoseFetchedTemplate, type TemplateDiagnosis } from '../../usecases/diagnose-template';
import { buildSupportPrefill, readSupportForm, submitSupportCase, type SupportPrefill } from '../../usecases/support-case';
import { ackAnswer, cardAnswer, type Answer, type Turn } from '../context';
import { severityAllowed } from '../policy';
import { auditQuietly, loadTemplate, outcome } from '../guards/template-action';
import { readOptions } from './diagnosis-cards';

// The support-case verbs: open the prefilled form (as a new reply: the diagnosis card stays), submit it (a ticket
// through the support API, or a portal link and a copy-ready text), or dismiss it. Everything on the case is rebuilt on the server at each
// step — from a fresh diagnosis of the template the card names — so nothing the client sends names the ticket.

const ACTION = 'open-support-case';

interface Source {
  diagnosis: TemplateDiagnosis | Diagnosis;
  template?: TemplateDiagnosis;
}

async function sourceOf(turn: Turn): Promise<Source | undefined> {
  // A pasted-text card: the text itself was not kept, so the case carries the diagnosis class only.
  if (!turn.namesTemplate) return { diagnosis: classify({}) };
  const id = turn.template();
  const template = await loadTemplate(turn, id);
  if (!template) return undefined;
  const d = await diagnoseFetchedTemplate(turn.services.gateways, template, readOptions(turn, 'tail'));
  return { diagnosis: d, template: d };
}

/**
 * The prefill, with what Teams says about the person: their name, their zone and country from the client's
 * `clientInfo`, and (when the form will ask for contact details) their email from the roster.
 */
async function prefillOf(turn: Turn, source: Source, withEmail = false): Promise<SupportPrefill> {
  const parts = (turn.subject.user.name ?? '').trim().split(/\s+/).filter(Boolean);
  const name = parts.length ? { firstName: parts[0], lastName: parts.slice(1).join(' ') || undefined } : {};
  const email = withEmail ? await turn.memberEmail() : undefined;
  const contact = { ...name, email, timeZone: turn.client.timeZone, country: turn.client.country };
  return buildSupportPrefill({ source: source.diagnosis, locale: turn.locale, contact });
}

export async function openSupportCase(turn: Turn): Promise<Answer> {
  const source = await sourceOf(turn);
  if (!source) return outcome(turn, turn.template(), 'gone', ACTION);
  await turn.audit(ACTION, 'requested');
  const mode = turn.services.support.mode;
  return cardAnswer(supportCaseCard(await prefillOf(turn, source, mode === 'api'), turn.locale, { mode }));
}

export async function submitSupportCaseVerb(turn: Turn): Promise<Answer> {
  const id = turn.namesTemplate ? turn.template() : undefined;
  const source = await sourceOf(turn);
  if (!source) return outcome(turn, id, 'gone', ACTION);
  const prefill = await prefillOf(turn, source);
  const asked = readSupportForm(turn.data).severity;
  const cap = turn.can(ACTION, id).maxSeverity;
  if (!severityAllowed(asked, cap)) {
    await auditQuietly(turn, ACTION, 'denied', `severity ${asked} above the policy's ${cap}`);
    const detail = t(turn.locale, 'actions.policy.severityCap', { max: t(turn.locale, `support.severity.${cap}`), asked: asked.slice(0, 40) });
    return outcome(turn, id, 'denied', ACTION, { detail });
  }
  const { mode, gateway } = turn.services.support;
  // The intent first: a ticket the audit trail cannot record is not opened.
  await turn.audit(ACTION, 'confirmed', undefined, { severity: asked, mode });
  const result = await submitSupportCase(prefill, turn.data as Record<string, unknown>, { mode, gateway });
  if (result.kind === 'invalid') return cardAnswer(supportCaseCard(prefill, turn.locale, { mode, retry: { form: result.form, fields: result.fields } }));
  await auditQuietly(turn, ACTION, result.kind === 'failed' ? 'failed' : 'succeeded', result.kind === 'created' ? `ticket ${result.ticket.ticketNumber}` : result.kind);
  return cardAnswer(supportResultCard(result, turn.locale));
}

/** The form came as its own reply under the diagnosis, which stayed: there is nothing to put back, only to say. */
export async function dismissSupportCase(turn: Turn): Promise<Answer> {
  await auditQuietly(turn, ACTION, 'dismissed');
  return ackAnswer(t(turn.locale, 'actions.supportDismissed'));
}
