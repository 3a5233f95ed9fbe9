import type { TemplateId } from '../../model';
import type { Answer, Turn } from '../context';
import { outcome } from '../guards/template-action';

// Without storage for state and the audit trail the bot changes nothing in Azure, and says so on every action.

export async function actionsDisabled(turn: Turn): Promise<Answer> {
  let id: TemplateId | undefined;
  try {
    id = turn.namesTemplate ? turn.template() : undefined;
  } catch {
    id = undefined;
  }
  return outcome(turn, id, 'disabled', undefined);
}
