import type { ActionClaim, RecordStore } from '../../azure/records';
import { BotError, type TemplateId } from '../../model';
import { snapshotOf } from '../../usecases/template-edits';
import type { Turn } from '../context';
import { describeError } from '../error-cards';
import { auditQuietly, outcome, type ActionTarget, type TemplateAction } from './template-action';

// Exactly one of several concurrent clicks (double clicks, two people, two bot instances) does the action. The
// claim is a create-only record keyed by the canonical template id and the state the click saw; then the intent is
// audited, and only then is Azure called: an action the audit trail cannot record is not done.

/** A non-rerun claim older than this and still running was left by a crashed process (deletes take minutes). */
const ABANDONED_CLAIM_MS = 2 * 60 * 60 * 1000;
/** Retries of one action on one observed state, after failures, before the bot says "already handled". */
const MAX_CLAIM_ATTEMPTS = 5;

export function claimKey(action: string, template: TemplateId | string, snapshot: Record<string, string | undefined>): string {
  const key = typeof template === 'string' ? template.trim().toLowerCase() : template.key;
  return `${action}|${key}|${snapshot.provisioningState ?? ''}|${snapshot.runStartTime ?? 'never'}`;
}

export function claimOnce(action: TemplateAction): TemplateAction {
  return {
    ...action,
    async run(target: ActionTarget) {
      const { turn } = target;
      const claims = turn.services.actions?.claims;
      if (!claims) throw new BotError('audit-unavailable', 'No record store is configured.');
      const base = claimKey(action.name, target.id, snapshotOf(target.template));
      const claim = await take(claims, turn, action.name, target.id, base, target.at);
      if (!claim.claimed) {
        const { by, at } = claim.existing;
        await auditQuietly(turn, action.name, 'duplicate', `claimed by ${by.name ?? '?'} at ${at}`);
        return outcome(turn, target.id, 'duplicate', action.name, { by: by.name, at });
      }
      const record: ActionClaim = { key: claim.key, action: action.name, templateId: target.id.id, by: { name: turn.subject.user.name, aadObjectId: turn.subject.user.aadObjectId }, at: target.at, status: 'running' };
      const finish = async (status: 'done' | 'failed', result: string) => {
        await claims.update({ ...record, status, result }).catch((e) => turn.services.logger.warn('claim update failed', { key: claim.key, error: (e as Error).message }));
      };
      try {
        await turn.audit(action.name, target.confirmed ? 'confirmed' : 'requested', undefined, target.parameters);
      } catch (e) {
        await finish('failed', 'audit trail unavailable');
        throw e;
      }
      try {
        return await action.run({ ...target, finish, claimKey: claim.key });
      } catch (e) {
        await finish('failed', describeError(e));
        await auditQuietly(turn, action.name, 'failed', describeError(e));
        throw e;
      }
    },
  };
}

/** A failed claim must not block a retry: it passes the turn to the next numbered key, which is again create-only. */
async function take(claims: RecordStore, turn: Turn, action: string, id: TemplateId, base: string, at: string) {
  const by = { name: turn.subject.user.name, aadObjectId: turn.subject.user.aadObjectId };
  let existing: ActionClaim | undefined;
  for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
    const key = attempt === 0 ? base : `${base}#${attempt}`;
    const r = await claims.claim({ key, action, templateId: id.id, by, at, status: 'running' });
    if (r.claimed) return { claimed: true as const, key };
    existing = r.existing;
    const abandoned = existing.status === 'running' && Date.now() - Date.parse(existing.at) > ABANDONED_CLAIM_MS && action !== 'rerun';
    if (existing.status !== 'failed' && !abandoned) break;
  }
  return { claimed: false as const, existing: existing! };
}
