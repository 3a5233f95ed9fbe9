import { diagnoseFetchedTemplate, diagnoseWholeLog } from '../../usecases/diagnose-template';
import type { TemplateRef } from '../intents';
import { ackAnswer, type Answer, type Turn } from '../context';
import { refOf } from '../guards/template-action';
import { readOptions, templateDiagnosisCard } from './diagnosis-cards';
import { findReadable, readTarget } from './find-template';

// "Why did X fail?": answer from the log's tail at once, then scan the whole log in the background (one scan per
// template at a time, in the process-wide pool) and update the same card. The full scan starts from what the tail
// answer found (the template's status, the log's location and size): no Azure call is made twice.

export async function diagnose(turn: Turn, target: TemplateRef): Promise<void> {
  turn.replies.typing();
  const found = await findReadable(turn, target, 'diagnose');
  if (!found) return;
  const { services } = turn;
  const ref = refOf(found.id);
  const quick = await diagnoseFetchedTemplate(services.gateways, found.template, readOptions(turn, 'tail'));
  const activityId = await turn.replies.send(templateDiagnosisCard(ref, quick, 'tail', turn.locale));
  if (!quick.log.partial || quick.log.error || !activityId) return;
  const full = services.scans
    .run(found.id.key, () => diagnoseWholeLog(services.gateways, quick, { ...readOptions(turn, 'full'), scan: services.scans.scan }))
    .then((complete) => turn.replies.update(activityId, templateDiagnosisCard(ref, complete, 'full', turn.locale)))
    .catch(async (e) => {
      services.logger.warn('full log scan failed; the tail answer stands', { template: found.id.id, error: (e as Error).message });
      await turn.replies.update(activityId, templateDiagnosisCard(ref, quick, 'tail', turn.locale)).catch(() => undefined);
    });
  services.track(full);
}

/** A read verb answers with new cards in the conversation and leaves the clicked card as it was. */
export function readVerb(read: (turn: Turn, target: TemplateRef) => Promise<void>) {
  return async (turn: Turn): Promise<Answer> => {
    await read(turn, readTarget(turn));
    return ackAnswer('');
  };
}
