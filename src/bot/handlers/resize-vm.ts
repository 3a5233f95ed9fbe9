import { outcomeCard, workingCard, type Change } from '../../cards/action-cards';
import { changesFor, isRunning } from '../../usecases/template-edits';
import { cardAnswer } from '../context';
import { auditQuietly, refOf, type TemplateAction } from '../guards/template-action';
import { inBackground } from './background';

// A larger build VM in place: a PATCH of vmProfile (Image Builder API 2024-02-01 and later). Nothing is deleted; the
// template keeps its name, id, run history and logs, and answers every read while Image Builder applies the change.
// `resize-vm` and the older `recreate-larger-vm` verb both land here; the policy, audit and text name stays
// `recreate-larger-vm`, the catalog's action name.

export const resizeVmInPlace: TemplateAction = {
  name: 'recreate-larger-vm',
  check(template) {
    if (isRunning(template)) return { refuse: 'already-running' };
    const changes = changesFor('larger-vm', template);
    return changes ? { parameters: { changes } } : { refuse: 'limit' };
  },
  async run(a) {
    const { turn, id } = a;
    const by = turn.subject.user.name;
    const [change] = (a.parameters.changes as Change[] | undefined) ?? [];
    inBackground(a, 'recreate-larger-vm', async (update) => {
      const after = await turn.services.gateways.templates.resizeVm(id.resourceGroup, id.name, { vmSize: change.after });
      const done: Change = { ...change, after: after.vmProfile?.vmSize ?? change.after };
      // The audit names both sizes: the record alone must say what the action changed.
      await auditQuietly(turn, 'recreate-larger-vm', 'succeeded', `${done.field}: ${done.before} → ${done.after}`);
      await a.finish?.('done', 'resized');
      await update(outcomeCard({ kind: 'resized', template: refOf(id), action: 'recreate-larger-vm', by, at: new Date().toISOString(), change: done }, turn.locale));
    });
    return cardAnswer(workingCard({ template: refOf(id), action: 'recreate-larger-vm', by, at: a.at }, turn.locale));
  },
};
