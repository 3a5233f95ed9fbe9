import type { ImageTemplate } from '../../azure';
import { choiceCard, errorCard } from '../../cards/render';
import { TemplateId } from '../../model';
import type { TemplateRef } from '../intents';
import type { Turn } from '../context';
import { policyReason } from '../guards/authorize';
import { auditQuietly } from '../guards/template-action';

// A name as typed (or a card's target) → the one template it means, which the caller may read. Ambiguous and
// unknown names, and templates the policy hides from this caller, are answered here with their own cards.

export type ReadPurpose = 'diagnose' | 'status' | 'show-log';

export interface Found {
  id: TemplateId;
  template: ImageTemplate;
}

export async function findReadable(turn: Turn, target: TemplateRef, purpose: ReadPurpose): Promise<Found | undefined> {
  const { locator, gateways } = turn.services;
  const r = await locator.resolve(target.name, target.resourceGroup);
  if (r.kind === 'ambiguous') {
    const readable = r.candidates.filter((c) => {
      const id = TemplateId.parseAny(c.id);
      return id && turn.can('read', id).allowed;
    });
    if (readable.length) {
      await turn.replies.send(choiceCard({ name: target.name, purpose, candidates: readable }, turn.locale));
      return undefined;
    }
  }
  if (r.kind !== 'found') {
    const suggestions = r.kind === 'not-found' ? r.suggestions : [];
    await turn.replies.send(errorCard({ code: 'template-not-found', params: { name: target.name, resourceGroup: target.resourceGroup, suggestions } }, turn.locale));
    return undefined;
  }
  const id = TemplateId.parseAny(r.id) ?? TemplateId.of(gateways.subscriptionId, r.resourceGroup, r.name);
  const decision = turn.can('read', id);
  if (!decision.allowed) {
    await auditQuietly(turn, purpose, 'denied', decision.reason);
    await turn.replies.send(errorCard({ code: 'not-allowed', params: { resourceGroup: id.resourceGroup, message: policyReason(turn.locale, decision) } }, turn.locale));
    return undefined;
  }
  return { id, template: r.template };
}

/** The target a read verb's card data names: a template id (list rows, choices) or a name and group (suggestions). */
export function readTarget(turn: Turn): TemplateRef {
  if (turn.namesTemplate || typeof turn.data.name !== 'string') {
    const id = turn.template();
    return { name: id.name, resourceGroup: id.resourceGroup };
  }
  const name = turn.data.name.slice(0, 200);
  const rg = turn.data.resourceGroup;
  return typeof rg === 'string' ? { name, resourceGroup: rg.slice(0, 200) } : { name };
}
