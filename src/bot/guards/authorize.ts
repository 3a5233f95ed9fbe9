import { t, type Locale } from '../../i18n';
import type { PolicyAction, PolicyDecision } from '../policy';
import type { Turn } from '../context';
import { act, auditQuietly, isTemplateAction, outcome, type TemplateAction, type VerbHandler } from './template-action';

// Every verb asks the policy before anything else, for the template the card names (canonical, on the served
// subscription) — or, for a card without a template, for the served subscription as a whole.

export function authorize(action: Exclude<PolicyAction, 'subscribe'>, inner: VerbHandler | TemplateAction): VerbHandler {
  const handler = isTemplateAction(inner) ? act(inner) : inner;
  return async (turn) => {
    const id = turn.namesTemplate ? turn.template() : undefined;
    const decision = turn.can(action, id);
    if (decision.allowed) return handler(turn);
    await auditQuietly(turn, action, 'denied', decision.reason);
    return outcome(turn, id, 'denied', action === 'read' ? undefined : action, { detail: policyReason(turn.locale, decision) });
  };
}

/** The policy's decision in the reader's language (the English `reason` is for the audit trail). */
export function policyReason(locale: Locale, d: PolicyDecision): string {
  return d.basis.kind === 'rule'
    ? t(locale, 'actions.policy.rule', { rule: d.basis.rule })
    : t(locale, 'actions.policy.default', { fallback: d.basis.fallback, source: d.basis.source });
}
