import { runProgressCard } from '../../cards/action-cards';
import { isRunning } from '../../usecases/template-edits';
import { cardAnswer } from '../context';
import { auditQuietly, refOf, type TemplateAction } from '../guards/template-action';
import type { RunWatch } from '../state';
import { followOnCard } from './run-card';

// Starts a build (no confirmation: a rerun destroys nothing) and follows it on the clicked card.

export const rerun: TemplateAction = {
  name: 'rerun',
  check: (template) => (isRunning(template) ? { refuse: 'already-running' } : { parameters: {} }),
  async run(a) {
    const { turn, id } = a;
    const { services } = turn;
    await services.gateways.templates.run(id.resourceGroup, id.name);
    await auditQuietly(turn, 'rerun', 'succeeded', 'run accepted');
    if (a.cardId) {
      const watch: RunWatch = {
        templateId: id.id,
        activityId: a.cardId,
        conversation: turn.channel().reference,
        startedAt: a.at,
        startedBy: turn.subject.user.name,
        locale: turn.locale,
        which: 'new-run',
        claimKey: a.claimKey,
      };
      // Persisted first, so a bot restarted mid-build still brings this card to the build's end.
      await services.actions?.state.saveWatch(watch).catch((e) => services.logger.warn('could not persist the run watch', { error: (e as Error).message }));
      services.track(followOnCard(services, watch, (card) => turn.update(a.cardId, card)));
    }
    return cardAnswer(runProgressCard({ template: refOf(id), runState: 'Running', runSubState: 'Queued', startedBy: turn.subject.user.name, startedAt: a.at, seen: [] }, turn.locale));
  },
};
