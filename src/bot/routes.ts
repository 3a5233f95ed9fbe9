import { Router } from './router';
import { authorize } from './guards/authorize';
import { claimOnce } from './guards/claim-once';
import { confirmable, type Confirmable } from './guards/confirmable';
import { keepsDiagnosis } from './guards/in-reply';
import { cancelRun } from './handlers/cancel-run';
import { emptyMessage, help, unrecognized } from './handlers/conversation';
import { cleanupStaging } from './handlers/cleanup-staging';
import { deleteTemplate } from './handlers/delete-template';
import { diagnose, readVerb } from './handlers/diagnose';
import { diagnoseText, diagnoseTextVerb } from './handlers/diagnose-text';
import { grantPermissions } from './handlers/grant-permissions';
import { list, listVerb } from './handlers/list';
import { recreateLargerTimeout } from './handlers/recreate';
import { resizeVmInPlace } from './handlers/resize-vm';
import { rerun } from './handlers/rerun';
import { showLog } from './handlers/show-log';
import { refreshStatus, status } from './handlers/status';
import { dismissSupportCase, openSupportCase, submitSupportCaseVerb } from './handlers/support-case';
import { subscription } from './handlers/subscriptions';
import { unsubscribe } from './handlers/unsubscribe';
import type { VerbHandler } from './guards/template-action';

// Everything the bot answers, one line each. Reads authorize `read` against the template they resolve to (inside
// the handler: a typed name has no resource group until it is resolved); actions authorize before anything else.

export function createRouter(options: { actionsEnabled: boolean; disabled: VerbHandler }): Router {
  const router = new Router()
    .onIntent('diagnose', (turn, i) => diagnose(turn, i.target))
    .onIntent('status', (turn, i) => status(turn, i.target))
    .onIntent('show-log', (turn, i) => showLog(turn, i.target))
    .onIntent('list', list)
    .onIntent('diagnose-text', diagnoseText)
    .onIntent('help', help)
    .onIntent('empty', emptyMessage)
    .onIntent('unrecognized', unrecognized)
    .onIntent('subscription', subscription)
    .onVerb('diagnose', readVerb(diagnose))
    .onVerb('status', readVerb(status))
    .onVerb('refresh', refreshStatus)
    .onVerb('show-log', readVerb(showLog))
    .onVerb('diagnose-text', diagnoseTextVerb)
    .onVerb('list', listVerb)
    .onVerb('unsubscribe', unsubscribe);
  // Without an audit trail nothing is changed in Azure: every action verb says so instead of acting unaudited.
  const a = options.actionsEnabled;
  // The buttons of the diagnosis card answer in a new reply (keepsDiagnosis): in a group chat everyone reads that
  // diagnosis, so no refusal, confirmation, form or progress replaces it. The others answer on their own card.
  const actionVerbs: Array<[string, VerbHandler | Confirmable, 'keeps-diagnosis' | 'on-own-card']> = [
    ['delete-template', confirmable(claimOnce(deleteTemplate)), 'keeps-diagnosis'],
    ['cancel-run', confirmable(claimOnce(cancelRun)), 'on-own-card'],
    ['recreate-larger-timeout', confirmable(claimOnce(recreateLargerTimeout)), 'keeps-diagnosis'],
    ['resize-vm', confirmable(claimOnce(resizeVmInPlace)), 'keeps-diagnosis'],
    ['cleanup-staging', confirmable(claimOnce(cleanupStaging)), 'keeps-diagnosis'],
    ['recreate-larger-vm', confirmable(claimOnce(resizeVmInPlace)), 'keeps-diagnosis'],
    ['rerun', authorize('rerun', claimOnce(rerun)), 'keeps-diagnosis'],
    ['grant-permissions', authorize('grant-permissions', grantPermissions), 'keeps-diagnosis'],
    ['open-support-case', authorize('open-support-case', openSupportCase), 'keeps-diagnosis'],
    ['confirm-open-support-case', authorize('open-support-case', submitSupportCaseVerb), 'on-own-card'],
    ['dismiss-open-support-case', authorize('read', dismissSupportCase), 'on-own-card'],
  ];
  for (const [verb, handler, where] of actionVerbs) {
    const placed = where === 'keeps-diagnosis' ? keepsDiagnosis : <T>(h: T) => h;
    if (a) router.onVerb(verb, placed(handler));
    else for (const v of verbsOf(verb, handler)) router.onVerb(v, v === verb ? placed(options.disabled) : options.disabled);
  }
  return router;
}

function verbsOf(verb: string, handler: unknown): string[] {
  return typeof handler === 'object' && handler !== null && (handler as { kind?: string }).kind === 'confirmable' ? [verb, `confirm-${verb}`, `dismiss-${verb}`] : [verb];
}
