import { randomUUID } from 'node:crypto';
import { confirmationCard, type Change } from '../../cards/action-cards';
import { samePerson, TemplateId } from '../../model';
import { runInfo, snapshotChange, snapshotOf } from '../../usecases/template-edits';
import { cardAnswer, type Answer, type Turn } from '../context';
import type { PendingConfirmation } from '../state';
import { authorize, policyReason } from './authorize';
import { claimKey } from './claim-once';
import { auditQuietly, loadTemplate, outcome, type TemplateAction, type VerbHandler } from './template-action';
import { t } from '../../i18n';

// A destructive action in two clicks: the first shows exactly what will happen and keeps a pending confirmation;
// Confirm does it (if the template has not changed, the confirmation is still open and not too old); Cancel says so
// on the confirmation, under the diagnosis it was asked from (which the ask never replaced: see routes.ts). Only the person who asked, or someone the policy allows the same action, may answer either way.

export interface Confirmable {
  kind: 'confirmable';
  action: TemplateAction;
  ask: VerbHandler;
  confirm: VerbHandler;
  dismiss: VerbHandler;
}

type ConfirmableName = Parameters<typeof confirmationCard>[0]['action'];

export function isConfirmable(x: unknown): x is Confirmable {
  return typeof x === 'object' && x !== null && (x as Confirmable).kind === 'confirmable';
}

export function confirmable(action: TemplateAction): Confirmable {
  return {
    kind: 'confirmable',
    action,
    ask: authorize(action.name, (turn) => ask(turn, action)),
    confirm: authorize(action.name, (turn) => confirm(turn, action)),
    dismiss: (turn) => dismiss(turn, action),
  };
}

async function ask(turn: Turn, action: TemplateAction): Promise<Answer> {
  const state = stateOf(turn);
  const template = await loadTemplate(turn, turn.template());
  const id = turn.template();
  if (!template) return outcome(turn, id, 'gone', action.name);
  const checked = action.check(template);
  if ('refuse' in checked) return outcome(turn, id, checked.refuse, action.name, { run: runInfo(template), detail: checked.detail });
  // The intent is recorded before anything else is kept: a request the audit trail cannot hold is refused.
  await turn.audit(action.name, 'requested', undefined, Object.keys(checked.parameters).length ? checked.parameters : undefined);
  const requestedAt = new Date();
  const pending: PendingConfirmation = {
    id: randomUUID(),
    action: action.name,
    templateId: id.id,
    parameters: checked.parameters,
    requestedBy: { name: turn.subject.user.name, aadObjectId: turn.subject.user.aadObjectId },
    requestedAt: requestedAt.toISOString(),
    conversationId: turn.subject.conversationId,
    cardActivityId: turn.replyToId,
    snapshot: snapshotOf(template),
  };
  await state.savePending(pending);
  return cardAnswer(
    confirmationCard(
      {
        action: action.name as ConfirmableName,
        template: { name: id.name, resourceGroup: id.resourceGroup, id: id.id },
        pendingId: pending.id,
        diagnosisId: typeof turn.data.diagnosisId === 'string' ? turn.data.diagnosisId.slice(0, 64) : undefined,
        stagingResourceGroup: template.exactStagingResourceGroup?.split('/').pop(),
        changes: (checked.parameters.changes as Change[] | undefined) ?? undefined,
        run: runInfo(template),
        requestedBy: turn.subject.user.name,
        expiresAt: new Date(requestedAt.getTime() + turn.services.limits.confirmationTtlMs).toISOString(),
      },
      turn.locale,
    ),
  );
}

async function confirm(turn: Turn, action: TemplateAction): Promise<Answer> {
  let id = turn.template();
  const pending = await answeredConfirmation(turn, action, id, 'takePending');
  if (!pending) return afterTheFact(turn, action, id);
  if (expired(turn, pending)) return timedOut(turn, action, id);
  const template = await loadTemplate(turn, id);
  id = turn.template();
  if (!template) {
    await auditQuietly(turn, action.name, 'stale', 'template no longer exists');
    return outcome(turn, id, 'gone', action.name);
  }
  const change = snapshotChange(pending.snapshot, snapshotOf(template));
  if (change) {
    await auditQuietly(turn, action.name, 'stale', change);
    return outcome(turn, id, 'stale', action.name, { detail: change });
  }
  return action.run({ turn, id, template, parameters: pending.parameters, at: new Date().toISOString(), cardId: turn.replyToId ?? pending.cardActivityId, confirmed: true });
}

async function dismiss(turn: Turn, action: TemplateAction): Promise<Answer> {
  const id = turn.template();
  const pending = await answeredConfirmation(turn, action, id, 'getPending');
  if (!pending) return afterTheFact(turn, action, id);
  if (!samePerson(pending.requestedBy, turn.subject.user)) {
    const decision = turn.can(action.name, id);
    if (!decision.allowed) {
      await auditQuietly(turn, action.name, 'denied', `dismissing a confirmation asked by ${pending.requestedBy.name ?? '?'}: ${decision.reason}`);
      const detail = `${t(turn.locale, 'actions.dismissNotYours', { user: pending.requestedBy.name ?? t(turn.locale, 'actions.someone') })} ${policyReason(turn.locale, decision)}`;
      return outcome(turn, id, 'denied', action.name, { detail });
    }
  }
  const taken = await stateOf(turn).takePending(turn.subject.conversationId, pendingIdOf(turn));
  if (!taken) return afterTheFact(turn, action, id);
  if (expired(turn, taken)) return timedOut(turn, action, id);
  await auditQuietly(turn, action.name, 'dismissed');
  // The confirmation came as its own reply below the diagnosis (see inReply): it says so in place, once.
  return outcome(turn, id, 'dismissed', action.name);
}

/**
 * The confirmation a confirm or dismiss click answers, taken (it can be answered once) or only read; undefined when
 * it is gone, or was asked for another template or action than the click names.
 */
async function answeredConfirmation(turn: Turn, action: TemplateAction, id: TemplateId, read: 'takePending' | 'getPending'): Promise<PendingConfirmation | undefined> {
  const pending = await stateOf(turn)[read](turn.subject.conversationId, pendingIdOf(turn));
  return pending && sameTemplate(pending, id) && pending.action === action.name ? pending : undefined;
}

/** A confirm/dismiss whose confirmation is gone: someone answered first (say who), or the card is unknown. */
async function afterTheFact(turn: Turn, action: TemplateAction, id: TemplateId): Promise<Answer> {
  const template = await loadTemplate(turn, id).catch(() => undefined);
  const claim = template ? await turn.services.actions?.claims.get(claimKey(action.name, id, snapshotOf(template))) : undefined;
  if (claim) {
    await auditQuietly(turn, action.name, 'duplicate', `already handled by ${claim.by.name ?? '?'} at ${claim.at}`);
    return outcome(turn, id, 'duplicate', action.name, { by: claim.by.name, at: claim.at });
  }
  await auditQuietly(turn, action.name, 'stale', 'confirmation already answered or unknown');
  return outcome(turn, id, template ? 'expired' : 'gone', action.name);
}

async function timedOut(turn: Turn, action: TemplateAction, id: TemplateId): Promise<Answer> {
  await auditQuietly(turn, action.name, 'stale', 'confirmation expired');
  return outcome(turn, id, 'timed-out', action.name, { minutes: Math.round(turn.services.limits.confirmationTtlMs / 60_000) });
}

function expired(turn: Turn, p: PendingConfirmation): boolean {
  const asked = Date.parse(p.requestedAt);
  return !Number.isFinite(asked) || Date.now() - asked > turn.services.limits.confirmationTtlMs;
}

function sameTemplate(p: PendingConfirmation, id: TemplateId): boolean {
  return TemplateId.parseAny(p.templateId)?.key === id.key;
}

function pendingIdOf(turn: Turn): string {
  const v = turn.data.pendingId;
  return typeof v === 'string' ? v.slice(0, 100) : '';
}

function stateOf(turn: Turn) {
  const actions = turn.services.actions;
  if (!actions) throw new Error('confirmable actions need bot state');
  return actions.state;
}
