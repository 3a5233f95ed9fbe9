import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import { isAzureGatewayError, parseTemplateId, type AzureGateways } from '../azure';
import type { AuditLog } from '../azure/records';
import type { SupportGateway } from '../azure/support';
import { outcomeCard } from '../cards/action-cards';
import { supportCaseCard, supportResultCard, CONFIRM_SUPPORT_VERB, DISMISS_SUPPORT_VERB, OPEN_SUPPORT_VERB } from '../cards/support-card';
import { classify } from '../diagnosis';
import { t, type Locale } from '../i18n';
import { diagnoseFetchedTemplate, type TemplateDiagnosis } from '../usecases/diagnose-template';
import { buildSupportPrefill, submitSupportCase, type SupportMode, type SupportPrefill } from '../usecases/support-case';
import { templateDiagnosisCard, type Conversation } from './conversation';
import { cardInvokeResponse, messageInvokeResponse } from './card-delivery';
import type { Policy } from './policy';

// The support-case verbs: open the prefilled form, submit it (a ticket through the support API, or a portal link
// and a copy-ready text), or put the diagnosis card back. The prefill is rebuilt from a fresh diagnosis at each
// step, so nothing about the case has to be kept between clicks; the ticket name derives from template and
// diagnosis, so submitting twice finds the first ticket instead of opening a second.

export interface SupportActionDeps {
  gateways: AzureGateways;
  policy: Policy;
  audit: AuditLog;
  conversation: Conversation;
  mode: SupportMode;
  support?: SupportGateway;
  tailBytes: number;
  maxBytes: number;
}

export function supportActions(deps: SupportActionDeps) {
  return async (context: TurnContext, verb: string, data: Record<string, unknown>, locale: Locale): Promise<AdaptiveCardInvokeResponse | undefined> => {
    if (![OPEN_SUPPORT_VERB, CONFIRM_SUPPORT_VERB, DISMISS_SUPPORT_VERB].includes(verb)) return undefined;
    const a = context.activity;
    const templateId = typeof data.templateId === 'string' ? data.templateId : undefined;
    const diagnosisId = typeof data.diagnosisId === 'string' ? data.diagnosisId : undefined;
    const audit = (result: 'requested' | 'dismissed' | 'denied' | 'succeeded' | 'failed', detail?: string) =>
      deps.audit
        .append({
          time: new Date().toISOString(),
          user: { name: a.from?.name, aadObjectId: a.from?.aadObjectId, id: a.from?.id },
          tenantId: a.conversation?.tenantId,
          conversationId: a.conversation?.id ?? '',
          action: verb,
          target: templateId ?? `(pasted text: ${diagnosisId ?? 'unknown'})`,
          result,
          detail,
        })
        .catch(() => undefined);
    try {
      let source: TemplateDiagnosis | ReturnType<typeof classify>;
      let ref: { name: string; resourceGroup: string; id: string } | undefined;
      if (templateId) {
        const c = parseTemplateId(templateId);
        ref = { name: c.name, resourceGroup: c.resourceGroup, id: templateId };
        const channel = (a.channelData ?? {}) as { team?: { id?: string }; channel?: { id?: string } };
        const decision = deps.policy.can(
          { tenantId: a.conversation?.tenantId, teamId: channel.team?.id, channelId: channel.channel?.id, conversationId: a.conversation?.id ?? '', userAadObjectId: a.from?.aadObjectId, userName: a.from?.name },
          { subscriptionId: c.subscriptionId, resourceGroup: c.resourceGroup },
          'open-support-case',
        );
        if (!decision.allowed) {
          await audit('denied', decision.reason);
          return card(outcomeCard({ kind: 'denied', template: ref, action: 'open-support-case', detail: decision.reason }, locale));
        }
        const template = await deps.gateways.templates.get(c.resourceGroup, c.name);
        source = await diagnoseFetchedTemplate(deps.gateways, template, { read: 'tail', tailBytes: deps.tailBytes, maxBytes: deps.maxBytes });
      } else {
        // A pasted-text card: the text itself was not kept, so the case carries the diagnosis class only.
        source = classify({});
      }
      if (verb === DISMISS_SUPPORT_VERB) {
        await audit('dismissed');
        if (ref && 'facts' in source) {
          return card(templateDiagnosisCard(ref, source, 'tail', locale));
        }
        // A pasted-text card has no template to diagnose again: just say nothing was sent.
        return messageInvokeResponse(t(locale, 'actions.supportDismissed'));
      }
      const prefill: SupportPrefill = buildSupportPrefill({ source, diagnosisId, locale, contact: nameParts(a.from?.name) });
      if (verb === OPEN_SUPPORT_VERB) {
        await audit('requested');
        return card(supportCaseCard(prefill, locale, { mode: deps.mode }));
      }
      const result = await submitSupportCase(prefill, data, { mode: deps.mode, gateway: deps.support });
      if (result.kind === 'invalid') return card(supportCaseCard(prefill, locale, { mode: deps.mode, retry: { form: result.form, fields: result.fields } }));
      await audit(result.kind === 'failed' ? 'failed' : 'succeeded', result.kind === 'created' ? `ticket ${result.ticket.ticketNumber}` : result.kind);
      return card(supportResultCard(result, locale));
    } catch (e) {
      await audit('failed', isAzureGatewayError(e) ? e.code : (e as Error).message);
      return card(deps.conversation.errorFor(e, locale));
    }
  };
}

function nameParts(name?: string): { firstName?: string; lastName?: string } {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  return parts.length ? { firstName: parts[0], lastName: parts.slice(1).join(' ') || undefined } : {};
}

const card = cardInvokeResponse;
