import { isAzureGatewayError, type ImageTemplate } from '../../azure';
import { outcomeCard, type OutcomeKind } from '../../cards/action-cards';
import type { ActionName } from '../../diagnosis';
import type { TemplateId } from '../../model';
import { runInfo } from '../../usecases/template-edits';
import { cardAnswer, type Answer, type Turn } from '../context';

// An action on one template, in the shape the guards compose: whether the template can take it now, and what doing
// it means. `authorize`, `confirmable` and `claimOnce` wrap these; the router only ever sees verb handlers.

export type VerbHandler = (turn: Turn) => Promise<Answer>;

export interface ActionTarget {
  turn: Turn;
  id: TemplateId;
  /** The template as read just now (after a confirmation: read again, and unchanged since the card was shown). */
  template: ImageTemplate;
  parameters: Record<string, unknown>;
  /** When the click that does the action arrived. */
  at: string;
  /** The card the action's progress and outcome go on. */
  cardId?: string;
  /** True when a confirmation came before (the audit's intent record then says `confirmed`). */
  confirmed: boolean;
  /** Set by claimOnce: records the action's end on its claim. */
  finish?(status: 'done' | 'failed', result: string): Promise<void>;
  /** Set by claimOnce: the claim's key, for work that outlives the turn (a followed build). */
  claimKey?: string;
}

export type Check = { refuse: OutcomeKind; detail?: string } | { parameters: Record<string, unknown> };

export interface TemplateAction {
  /** The policy action, audit action and text key this verb stands for. */
  name: ActionName;
  check(template: ImageTemplate): Check;
  run(target: ActionTarget): Promise<Answer>;
}

export function isTemplateAction(x: unknown): x is TemplateAction {
  return typeof x === 'object' && x !== null && typeof (x as TemplateAction).run === 'function' && typeof (x as TemplateAction).check === 'function';
}

/** Reads the template; undefined when it no longer exists. */
export async function loadTemplate(turn: Turn, id: TemplateId): Promise<ImageTemplate | undefined> {
  try {
    const template = await turn.services.gateways.templates.get(id.resourceGroup, id.name);
    turn.adopt(template.id);
    return template;
  } catch (e) {
    if (isAzureGatewayError(e) && e.code === 'not-found') return undefined;
    throw e;
  }
}

export function refOf(id: TemplateId): { name: string; resourceGroup: string; id: string } {
  return { name: id.name, resourceGroup: id.resourceGroup, id: id.id };
}

export function outcome(
  turn: Turn,
  id: TemplateId | undefined,
  kind: OutcomeKind,
  action: ActionName | undefined,
  extra: { by?: string; at?: string; detail?: string; run?: { startTime?: string; runSubState?: string }; minutes?: number } = {},
): Answer {
  const template = id ? refOf(id) : { name: '—', resourceGroup: '—', id: '' };
  return cardAnswer(outcomeCard({ kind, template, action, ...extra }, turn.locale));
}

/** Loads the template and checks it, then runs the action: the plain path of a verb without a confirmation. */
export function act(action: TemplateAction): VerbHandler {
  return async (turn) => {
    const template = await loadTemplate(turn, turn.template());
    const id = turn.template();
    if (!template) return outcome(turn, id, 'gone', action.name);
    const checked = action.check(template);
    if ('refuse' in checked) return outcome(turn, id, checked.refuse, action.name, { run: runInfo(template), detail: checked.detail });
    return action.run({ turn, id, template, parameters: checked.parameters, at: new Date().toISOString(), cardId: turn.replyToId, confirmed: false });
  };
}

/** An audit record about something that did not happen (denied, stale, duplicate): a failure is logged, not fatal. */
export async function auditQuietly(turn: Turn, action: string, result: Parameters<Turn['audit']>[1], detail?: string): Promise<void> {
  try {
    await turn.audit(action, result, detail);
  } catch {
    /* the failure is in the server log already; nothing was done that needs the record */
  }
}
