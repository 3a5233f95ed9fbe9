import { errorCard, logCard } from '../../cards/render';
import { diagnoseFetchedTemplate } from '../../usecases/diagnose-template';
import type { TemplateRef } from '../intents';
import type { Turn } from '../context';
import { refOf } from '../guards/template-action';
import { readOptions } from './diagnosis-cards';
import { findReadable } from './find-template';

// "Show the log of X": the lines the diagnosis rests on and where the whole log is. Never a URL with a SAS token.

export async function showLog(turn: Turn, target: TemplateRef): Promise<void> {
  turn.replies.typing();
  const found = await findReadable(turn, target, 'show-log');
  if (!found) return;
  const d = await diagnoseFetchedTemplate(turn.services.gateways, found.template, readOptions(turn, 'tail'));
  if (d.log.error) {
    await turn.replies.send(errorCard({ code: d.log.error.code, params: { message: d.log.error.message, stagingResourceGroup: d.log.location?.stagingResourceGroup } }, turn.locale));
    return;
  }
  const loc = d.log.location;
  await turn.replies.send(
    logCard(
      {
        template: refOf(found.id),
        excerpt: d.diagnosis.evidence.filter((e) => e.source === 'log'),
        location: loc ? `${loc.stagingResourceGroup ? `${loc.stagingResourceGroup} › ` : ''}${loc.account} › ${loc.container} › ${loc.blobPath}` : undefined,
        size: d.log.size,
        partial: d.log.partial,
      },
      turn.locale,
    ),
  );
}
