import { runProgressCard } from '../../cards/action-cards';
import { isCatalogId } from '../../diagnosis';
import { t } from '../../i18n';
import { isRunning } from '../../usecases/template-edits';
import { ackAnswer } from '../context';
import { auditQuietly, refOf, type TemplateAction } from '../guards/template-action';
import type { RunWatch } from '../state';
import { followOnCard } from './run-card';

// Starts a build (no confirmation: a rerun destroys nothing) and follows it on a new reply, so the diagnosis card
// it was clicked on stays; a run that fails again ends on that reply as a diagnosis that says so.

export const rerun: TemplateAction = {
  name: 'rerun',
  check: (template) => (isRunning(template) ? { refuse: 'already-running' } : { parameters: {} }),
  async run(a) {
    const { turn, id } = a;
    const { services } = turn;
    await services.gateways.templates.run(id.resourceGroup, id.name);
    await auditQuietly(turn, 'rerun', 'succeeded', 'run accepted');
    const progress = runProgressCard({ template: refOf(id), runState: 'Running', runSubState: 'Queued', startedBy: turn.subject.user.name, startedAt: a.at, seen: [] }, turn.locale);
    const replyId = await turn.replies.send(progress);
    if (replyId) {
      const clicked = turn.data.diagnosisId;
      const watch: RunWatch = {
        templateId: id.id,
        activityId: replyId,
        conversation: turn.channel().reference,
        startedAt: a.at,
        startedBy: turn.subject.user.name,
        locale: turn.locale,
        which: 'new-run',
        claimKey: a.claimKey,
        // The card's data is the client's: only a catalog id is kept, to say whether the cause is the same.
        rerunOf: { failed: /failed/i.test(a.template.lastRunStatus?.runState ?? ''), diagnosisId: isCatalogId(clicked) ? clicked : undefined },
      };
      // Persisted first, so a bot restarted mid-build still brings this reply to the build's end.
      await services.actions?.state.saveWatch(watch).catch((e) => services.logger.warn('could not persist the run watch', { error: (e as Error).message }));
      services.track(followOnCard(services, watch, (card) => turn.update(replyId, card)));
    }
    return ackAnswer(t(turn.locale, 'actions.answeredBelow'));
  },
};
