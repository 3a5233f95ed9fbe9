import { outcomeCard, workingCard } from '../../cards/action-cards';
import { keptBecause } from '../../diagnosis/template-facts';
import { isRunning } from '../../usecases/template-edits';
import { cardAnswer } from '../context';
import { refOf, type TemplateAction } from '../guards/template-action';
import { inBackground } from './background';

// After a build failed with errorHandling `abort`, Image Builder keeps the build VM, its disks and network (and an
// isolated build's container) in the staging resource group for debugging. This deletes them, never the storage
// account with the logs. Which group and which resources come from the template as read on the server just now
// (the confirmation compares it again), never from the card. The list is written to the audit trail before the
// first delete, and only what that list names is deleted; a second run finds nothing and says so.

export const cleanupStaging: TemplateAction = {
  name: 'cleanup-staging',
  check(template) {
    if (isRunning(template)) return { refuse: 'already-running' };
    const run = template.lastRunStatus;
    const because = keptBecause(run?.runState, run?.runSubState, template.errorHandling);
    const group = template.exactStagingResourceGroup?.split('/').pop();
    if (!because || !group) return { refuse: 'nothing-kept' };
    return { parameters: { stagingResourceGroup: group, because } };
  },
  async run(a) {
    const { turn, id, template } = a;
    const by = turn.subject.user.name;
    inBackground(a, 'cleanup-staging', async (update) => {
      const staging = turn.services.gateways.staging;
      const plan = await staging.keptResources(template);
      if (plan.deletable.length === 0) {
        await turn.audit('cleanup-staging', 'succeeded', 'nothing left to delete', { stagingResourceGroup: plan.stagingResourceGroup });
        await a.finish?.('done', 'nothing to delete');
        await update(outcomeCard({ kind: 'nothing-kept', template: refOf(id), action: 'cleanup-staging', by, at: new Date().toISOString() }, turn.locale));
        return;
      }
      // Saved before anything is deleted: the record alone says what went. An audit trail that cannot take it
      // stops the cleanup here (turn.audit throws), so nothing is deleted unrecorded.
      const ids = plan.deletable.map((r) => r.id);
      await turn.audit('cleanup-staging', 'confirmed', `deleting ${ids.length} kept resources`, {
        stagingResourceGroup: plan.stagingResourceGroup,
        resources: plan.deletable.map((r) => ({ id: r.id, type: r.type })),
      });
      const done = await staging.cleanupKept(template, { only: ids });
      const names = done.deleted.map((r) => `${r.type.split('/').pop()}/${r.name}`);
      await turn.audit('cleanup-staging', 'succeeded', `deleted ${names.length} in ${done.stagingResourceGroup}: ${names.join(', ')}`.slice(0, 2000));
      await a.finish?.('done', 'cleaned up');
      await update(
        outcomeCard(
          { kind: 'cleaned-up', template: refOf(id), action: 'cleanup-staging', by, at: new Date().toISOString(), detail: `${done.stagingResourceGroup}: ${names.join(', ')}` },
          turn.locale,
        ),
      );
    });
    return cardAnswer(workingCard({ template: refOf(id), action: 'cleanup-staging', by, at: a.at }, turn.locale));
  },
};
