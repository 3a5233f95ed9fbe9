import { outcomeCard, workingCard, type Change } from '../../cards/action-cards';
import type { ActionName } from '../../diagnosis';
import { t } from '../../i18n';
import { changesFor, isRunning, recreatedBody, type TemplateEdit } from '../../usecases/template-edits';
import { cardAnswer } from '../context';
import { auditQuietly, refOf, type TemplateAction } from '../guards/template-action';
import { inBackground } from './background';

// Recreate with one property grown (a longer build timeout, the next VM size): Image Builder cannot update those in
// place, so the template is deleted and submitted again with exactly the change the confirmation card showed.

function recreate(name: Extract<ActionName, 'recreate-larger-timeout' | 'recreate-larger-vm'>, edit: TemplateEdit): TemplateAction {
  return {
    name,
    check(template) {
      if (isRunning(template)) return { refuse: 'already-running' };
      const changes = changesFor(edit, template);
      return changes ? { parameters: { changes } } : { refuse: 'limit' };
    },
    async run(a) {
      const { turn, id } = a;
      const by = turn.subject.user.name;
      const changes = (a.parameters.changes as Change[] | undefined) ?? [];
      const step = (n: number, what: 'delete' | 'create') => t(turn.locale, `actions.step.${what}`, { n, total: 2, name: id.name });
      inBackground(a, name, async (update) => {
        const { templates } = turn.services.gateways;
        const body = recreatedBody(a.template, changes);
        await update(workingCard({ template: refOf(id), action: name, by, at: a.at, step: step(1, 'delete') }, turn.locale));
        await templates.delete(id.resourceGroup, id.name);
        await update(workingCard({ template: refOf(id), action: name, by, at: a.at, step: step(2, 'create') }, turn.locale));
        await templates.create(id.resourceGroup, id.name, body);
        await auditQuietly(turn, name, 'succeeded', undefined);
        await a.finish?.('done', 'recreated');
        await update(outcomeCard({ kind: 'recreated', template: refOf(id), action: name, by, at: new Date().toISOString(), change: changes[0] }, turn.locale));
      });
      return cardAnswer(workingCard({ template: refOf(id), action: name, by, at: a.at }, turn.locale));
    },
  };
}

export const recreateLargerTimeout = recreate('recreate-larger-timeout', 'larger-timeout');
/** `resize-vm` and the older `recreate-larger-vm` verb: the same action (a PATCH of vmProfile needs a gateway update call). */
export const resizeVm = recreate('recreate-larger-vm', 'larger-vm');
