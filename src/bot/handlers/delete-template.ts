import { outcomeCard, workingCard } from '../../cards/action-cards';
import { isRunning } from '../../usecases/template-edits';
import { cardAnswer } from '../context';
import { auditQuietly, refOf, type TemplateAction } from '../guards/template-action';
import { inBackground } from './background';

// Deletes a template (with its staging resource group and logs). A failed template blocks resubmitting its name.

export const deleteTemplate: TemplateAction = {
  name: 'delete-template',
  check: (template) => (isRunning(template) ? { refuse: 'already-running' } : { parameters: {} }),
  async run(a) {
    const { turn, id } = a;
    inBackground(a, 'delete-template', async (update) => {
      await turn.services.gateways.templates.delete(id.resourceGroup, id.name);
      await auditQuietly(turn, 'delete-template', 'succeeded');
      await a.finish?.('done', 'deleted');
      await update(outcomeCard({ kind: 'deleted', template: refOf(id), action: 'delete-template', by: turn.subject.user.name, at: new Date().toISOString() }, turn.locale));
    });
    return cardAnswer(workingCard({ template: refOf(id), action: 'delete-template', by: turn.subject.user.name, at: a.at }, turn.locale));
  },
};
