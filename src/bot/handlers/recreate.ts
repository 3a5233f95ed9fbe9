import { workingCard, type Change } from '../../cards/action-cards';
import type { ActionName } from '../../diagnosis';
import { t } from '../../i18n';
import { changesFor, isRunning, recreatedBody, resubmitProblems, type TemplateEdit } from '../../usecases/template-edits';
import { cardAnswer } from '../context';
import { auditQuietly, refOf, type TemplateAction } from '../guards/template-action';
import { inBackground } from './background';
import { completeRecreate } from './recreate-record';
import type { RecreateRecord } from '../state';

// Recreate with one property grown (a longer build timeout, the next VM size): Image Builder cannot update those in
// place, so the template is deleted and submitted again with exactly the change the confirmation card showed. The
// full definition is saved in bot state first; see recreate-record.ts for the create and the start-up resume.

function recreate(name: Extract<ActionName, 'recreate-larger-timeout' | 'recreate-larger-vm'>, edit: TemplateEdit): TemplateAction {
  return {
    name,
    check(template) {
      if (isRunning(template)) return { refuse: 'already-running' };
      const changes = changesFor(edit, template);
      if (!changes) return { refuse: 'limit' };
      // Image Builder has no dry run for a template PUT: check here what it would refuse, before anything is deleted.
      const problems = resubmitProblems(recreatedBody(template, changes));
      return problems.length ? { refuse: 'not-resubmittable', detail: problems.join('; ') } : { parameters: { changes } };
    },
    async run(a) {
      const { turn, id } = a;
      const by = turn.subject.user.name;
      const changes = (a.parameters.changes as Change[] | undefined) ?? [];
      const step = (n: number, what: 'delete' | 'create') => t(turn.locale, `actions.step.${what}`, { n, total: 2, name: id.name });
      inBackground(a, name, async (update) => {
        const { templates } = turn.services.gateways;
        const state = turn.services.actions!.state;
        const record: RecreateRecord = {
          templateId: id.id,
          action: name,
          stage: 'saved',
          body: recreatedBody(a.template, changes) as unknown as Record<string, unknown>,
          original: a.template as unknown as Record<string, unknown>,
          changes,
          startedBy: by,
          startedAt: a.at,
          activityId: a.cardId,
          conversation: turn.channel().reference,
          locale: turn.locale,
        };
        // Saved durably before anything is deleted: a failed create, or a process dying now, loses nothing.
        await state.saveRecreate(record);
        await update(workingCard({ template: refOf(id), action: name, by, at: a.at, step: step(1, 'delete') }, turn.locale));
        try {
          await templates.delete(id.resourceGroup, id.name);
        } catch (e) {
          await state.removeRecreate(id.id);
          throw e;
        }
        await state.saveRecreate({ ...record, stage: 'deleted' });
        await update(workingCard({ template: refOf(id), action: name, by, at: a.at, step: step(2, 'create') }, turn.locale));
        await completeRecreate(turn.services, record, { update, audit: (result, detail) => auditQuietly(turn, name, result, detail), finish: a.finish });
      });
      return cardAnswer(workingCard({ template: refOf(id), action: name, by, at: a.at }, turn.locale));
    },
  };
}

export const recreateLargerTimeout = recreate('recreate-larger-timeout', 'larger-timeout');
/** `resize-vm` and the older `recreate-larger-vm` verb: the same action (a PATCH of vmProfile needs a gateway update call). */
export const resizeVm = recreate('recreate-larger-vm', 'larger-vm');
