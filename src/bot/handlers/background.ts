import { outcomeCard } from '../../cards/action-cards';
import type { CardAttachment } from '../../cards/bind';
import type { ActionName } from '../../diagnosis';
import { auditQuietly, refOf, type ActionTarget } from '../guards/template-action';
import { describeError } from '../error-cards';

// The slow part of an action (an ARM long-running operation) continues after the click was answered. Whatever
// happens ends on the card, on the claim and in the audit trail.

export function inBackground(a: ActionTarget, action: ActionName, work: (update: (card: CardAttachment) => Promise<void>) => Promise<void>): void {
  const { turn } = a;
  const update = (card: CardAttachment) => turn.update(a.cardId, card);
  const job = work(update).catch(async (e) => {
    turn.services.logger.warn('action failed', { action, template: a.id.id, error: describeError(e) });
    await auditQuietly(turn, action, 'failed', describeError(e));
    await a.finish?.('failed', describeError(e));
    const card = outcomeCard({ kind: 'failed', template: refOf(a.id), action, by: turn.subject.user.name, at: new Date().toISOString(), detail: describeError(e) }, turn.locale);
    await update(card).catch(() => undefined);
  });
  turn.services.track(job);
}
