import { statusCard } from '../../cards/render';
import { templateFacts } from '../../diagnosis';
import type { TemplateRef } from '../intents';
import type { Turn } from '../context';
import { refOf } from '../guards/template-action';
import { findReadable } from './find-template';

// "Status of X": the template's states and timings, with Diagnose when it failed and Refresh always.

export async function status(turn: Turn, target: TemplateRef): Promise<void> {
  const found = await findReadable(turn, target, 'status');
  if (!found) return;
  await turn.replies.send(statusCard({ template: refOf(found.id), facts: templateFacts(found.template) }, turn.locale));
}
