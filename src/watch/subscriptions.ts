import { globMatches, isMuted, type Mute } from './delivery-policy';
import { isFailureOutcome, type OutcomeEvent } from './outcomes';

// Who hears of an event: the conversations whose subscription covers the template and the outcome, minus those that
// muted it. Pure; the bot keeps the subscriptions and mutes in its state.

export interface WatchSubscription {
  conversationId: string;
  /** Only templates of this resource group (any when absent). */
  resourceGroup?: string;
  /** Only template names matching this glob (any when absent). */
  templateGlob?: string;
  /** 'failures' (the default) or 'all', which adds successes. */
  outcomes: 'failures' | 'all';
}

/** `/subscriptions/S/resourceGroups/RG/providers/…/imageTemplates/NAME` → RG, NAME. */
function parts(templateId: string): { resourceGroup?: string; name: string } {
  const m = /\/resourceGroups\/([^/]+)\/.*\/([^/]+)$/i.exec(templateId);
  return m ? { resourceGroup: m[1], name: m[2] } : { name: templateId.split('/').pop() ?? templateId };
}

export function subscriptionCovers(sub: WatchSubscription, event: OutcomeEvent): boolean {
  if (sub.outcomes !== 'all' && !isFailureOutcome(event.outcome)) return false;
  const { resourceGroup, name } = parts(event.templateId);
  if (sub.resourceGroup && sub.resourceGroup.toLowerCase() !== resourceGroup?.toLowerCase()) return false;
  if (sub.templateGlob && !globMatches(sub.templateGlob, name)) return false;
  return true;
}

/** Distinct conversations to tell, in subscription order. */
export function recipientsFor(subs: readonly WatchSubscription[], mutes: readonly Mute[], event: OutcomeEvent, nowMs: number): string[] {
  const out: string[] = [];
  for (const sub of subs) {
    if (out.includes(sub.conversationId) || !subscriptionCovers(sub, event)) continue;
    if (isMuted(mutes, sub.conversationId, event.templateId, nowMs)) continue;
    out.push(sub.conversationId);
  }
  return out;
}

/** The resource groups to poll for these subscriptions: undefined (the whole subscription) if any has no group. */
export function scopesFor(subs: readonly WatchSubscription[]): (string | undefined)[] {
  if (subs.length === 0) return [];
  if (subs.some((s) => !s.resourceGroup)) return [undefined];
  const groups = new Map<string, string>();
  for (const s of subs) if (!groups.has(s.resourceGroup!.toLowerCase())) groups.set(s.resourceGroup!.toLowerCase(), s.resourceGroup!);
  return [...groups.values()];
}
