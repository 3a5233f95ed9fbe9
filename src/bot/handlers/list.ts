import { listCard } from '../../cards/render';
import type { ListCardInput } from '../../cards';
import { TemplateId } from '../../model';
import { listTemplates, type ListOptions } from '../../usecases/list-templates';
import type { Intent } from '../intents';
import { cardAnswer, type Answer, type Turn } from '../context';

// "List (failed) templates": the scope's templates, newest runs first — only the rows this caller may read — ten
// at a time with the total, Show more, and narrowing by name or resource group on the card itself.

export async function list(turn: Turn, intent: Extract<Intent, { kind: 'list' }>): Promise<void> {
  await turn.replies.send(await listCardOf(turn, { failedOnly: intent.failedOnly, resourceGroup: intent.resourceGroup, nameContains: intent.nameContains }, 0));
}

/**
 * The `list` verb: Show more (the scope and the next offset in the card data) or Narrow (the card's inputs). Every
 * value is a stranger's: bounded and shape-checked here, and the rows are filtered by the policy as for a message.
 * The answer replaces the clicked card, so paging does not pile up cards.
 */
export async function listVerb(turn: Turn): Promise<Answer> {
  const d = turn.data;
  const narrowing = d.narrow === true;
  const options: ListOptions = {
    failedOnly: d.failedOnly === true,
    resourceGroup: resourceGroupOf(narrowing ? d.listGroup : d.resourceGroup),
    nameContains: nameFilterOf(narrowing ? d.listName : d.nameContains),
  };
  const offset = !narrowing && typeof d.offset === 'number' && Number.isInteger(d.offset) && d.offset > 0 ? Math.min(d.offset, MAX_OFFSET) : 0;
  return cardAnswer(await listCardOf(turn, options, offset));
}

const MAX_OFFSET = 10_000;
// Azure's own rules for a resource group name (1-90 characters of these); anything else narrows nothing.
const RESOURCE_GROUP = /^[-\w.()]{1,90}$/u;

function resourceGroupOf(value: unknown): string | undefined {
  return typeof value === 'string' && RESOURCE_GROUP.test(value) && !value.endsWith('.') ? value : undefined;
}

function nameFilterOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim().slice(0, 64);
  return trimmed || undefined;
}

async function listCardOf(turn: Turn, options: ListOptions, offset: number) {
  const result = await listTemplates(turn.services.gateways, options);
  const templates = result.templates.filter((row) => {
    const id = TemplateId.parseAny(row.id);
    return !!id && turn.can('read', id).allowed;
  });
  // The group choice offers only groups of rows the caller may read: a configured group they may not read is not
  // theirs to learn the name of.
  const input: ListCardInput = { ...options, templates, truncated: result.truncated, offset };
  return listCard(input, turn.locale);
}
