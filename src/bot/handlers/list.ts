import { listCard } from '../../cards/render';
import { TemplateId } from '../../model';
import { listTemplates } from '../../usecases/list-templates';
import type { Intent } from '../intents';
import type { Turn } from '../context';

// "List (failed) templates": the scope's templates, newest runs first — only the rows this caller may read.

export async function list(turn: Turn, intent: Extract<Intent, { kind: 'list' }>): Promise<void> {
  const result = await listTemplates(turn.services.gateways, { failedOnly: intent.failedOnly, resourceGroup: intent.resourceGroup });
  const templates = result.templates.filter((row) => {
    const id = TemplateId.parseAny(row.id);
    return !!id && turn.can('read', id).allowed;
  });
  await turn.replies.send(listCard({ templates, truncated: result.truncated, failedOnly: intent.failedOnly, resourceGroup: intent.resourceGroup }, turn.locale));
}
