import { outcomeCard, workingCard } from '../../cards/action-cards';
import { followRun } from '../../usecases/run-follower';
import { isRunning } from '../../usecases/template-edits';
import { cardAnswer } from '../context';
import { auditQuietly, refOf, type TemplateAction } from '../guards/template-action';
import { inBackground } from './background';
import { progressCardOf } from './run-card';

// Cancels the running build; the card follows the run until Image Builder reports it canceled.

export const cancelRun: TemplateAction = {
  name: 'cancel-run',
  check: (template) => (isRunning(template) ? { parameters: {} } : { refuse: 'not-running' }),
  async run(a) {
    const { turn, id } = a;
    const by = turn.subject.user.name;
    inBackground(a, 'cancel-run', async (update) => {
      const { templates } = turn.services.gateways;
      await templates.cancel(id.resourceGroup, id.name);
      await auditQuietly(turn, 'cancel-run', 'succeeded', 'cancel accepted');
      await a.finish?.('done', 'cancel requested');
      await update(outcomeCard({ kind: 'cancel-requested', template: refOf(id), action: 'cancel-run', by, at: new Date().toISOString() }, turn.locale));
      const final = await followRun(templates, id.resourceGroup, id.name, {
        pollMs: turn.services.limits.pollMs,
        since: a.at,
        which: 'current-run',
        onProgress: (t, seen) => update(progressCardOf(id, t, seen, { by, at: a.at }, turn.locale)),
      });
      if (final?.lastRunStatus?.runState === 'Canceled') {
        await update(outcomeCard({ kind: 'run-canceled', template: refOf(id), action: 'cancel-run', by, at: new Date().toISOString() }, turn.locale));
      }
    });
    return cardAnswer(workingCard({ template: refOf(id), action: 'cancel-run', by, at: a.at }, turn.locale));
  },
};
