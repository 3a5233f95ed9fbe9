import { diagnosisCard } from '../../cards/render';
import { classify, DiagnosisInputError, parseTemplateJson, type DiagnoseInput } from '../../diagnosis';
import { BotError } from '../../model';
import type { Intent } from '../intents';
import { ackAnswer, type Answer, type Turn } from '../context';

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

/**
 * "Diagnose this text as an error" on the card of a message that was not understood. The button's text is the
 * only thing read from the card, and it is read as what it is — something the person could have typed — under
 * the same cap as a message. The diagnosis comes as a new reply; the clicked card stays.
 */
export async function diagnoseTextVerb(turn: Turn): Promise<Answer> {
  const text = turn.data.text;
  if (typeof text !== 'string' || !text.trim()) throw new BotError('invalid-card-data', 'The card carried no text to diagnose.');
  const max = turn.services.limits.maxPasteChars;
  const intent: Extract<Intent, { kind: 'diagnose-text' }> = text.length > max ? { kind: 'diagnose-text', text: text.slice(-max), cutFrom: text.length } : { kind: 'diagnose-text', text };
  await diagnoseText(turn, intent);
  return ackAnswer('');
}
