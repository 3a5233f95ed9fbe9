import { diagnosisCard } from '../../cards/render';
import { classify, DiagnosisInputError, parseTemplateJson, type DiagnoseInput } from '../../diagnosis';
import type { Intent } from '../intents';
import type { Turn } from '../context';

// A pasted error (DevOps output, CLI error, status JSON) → a diagnosis card. The text was capped before it got
// here (see the bot's message path); the card says so when it was.

export async function diagnoseText(turn: Turn, intent: Extract<Intent, { kind: 'diagnose-text' }>): Promise<void> {
  const input: DiagnoseInput = {};
  // A pasted status JSON is a template in all but name: read it as one so its status facts count.
  const trimmed = intent.text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      input.template = parseTemplateJson(trimmed);
    } catch (e) {
      if (!(e instanceof DiagnosisInputError)) throw e;
    }
  }
  if (!input.template) input.texts = [intent.text];
  const diagnosis = classify(input);
  const pasteCut = intent.cutFrom ? { shown: intent.text.length, total: intent.cutFrom } : undefined;
  await turn.replies.send(diagnosisCard({ diagnosis, facts: input.template, scan: 'none', pasteCut }, turn.locale));
}
