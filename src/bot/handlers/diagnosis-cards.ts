import { diagnosisCard } from '../../cards/render';
import type { RerunContext } from '../../cards/view-models';
import type { CardAttachment } from '../../cards/bind';
import { outcomeCard } from '../../cards/action-cards';
import type { Locale } from '../../i18n';
import type { TemplateId } from '../../model';
import { diagnoseFetchedTemplate, type TemplateDiagnosis } from '../../usecases/diagnose-template';
import type { Turn } from '../context';
import { loadTemplate, refOf } from '../guards/template-action';

// The diagnosis card of a template, saying how much of its log the answer rests on: the tail only (a full scan
// follows), the whole log, a capped part, or none (with why, e.g. the role that is missing).

export function templateDiagnosisCard(
  ref: { name: string; resourceGroup: string; id: string },
  d: TemplateDiagnosis,
  read: 'tail' | 'full',
  locale: Locale,
  rerun?: RerunContext,
): CardAttachment {
  const scan = !d.log.location || d.log.error ? 'none' : !d.log.partial ? 'complete' : read === 'tail' ? 'tail' : 'partial';
  return diagnosisCard({ template: ref, diagnosis: d.diagnosis, facts: d.facts, log: d.log, scan, rerun }, locale);
}

export function readOptions(turn: Turn, read: 'tail' | 'full') {
  return { read, tailBytes: turn.services.limits.tailBytes, maxBytes: turn.services.limits.maxBytes };
}

/** The card a Cancel puts back: a fresh diagnosis from the log's tail, or "gone". */
export async function freshDiagnosis(turn: Turn, id: TemplateId): Promise<CardAttachment> {
  const template = await loadTemplate(turn, id);
  if (!template) return outcomeCard({ kind: 'gone', template: refOf(id) }, turn.locale);
  const d = await diagnoseFetchedTemplate(turn.services.gateways, template, readOptions(turn, 'tail'));
  return templateDiagnosisCard(refOf(id), d, 'tail', turn.locale);
}
