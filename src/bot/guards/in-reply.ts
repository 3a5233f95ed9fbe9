import { t } from '../../i18n';
import { cardAnswer, ackAnswer, type Answer } from '../context';
import { errorCardFor } from '../error-cards';
import { isConfirmable, type Confirmable } from './confirmable';
import type { VerbHandler } from './template-action';

// A verb whose answer must not erase the card it was clicked on: in a group chat everyone reads that diagnosis.
// Whatever the verb answers with — its form, its progress, a refusal, an error — comes as a new reply in the same
// conversation (in a channel, the same thread: the reply goes to the conversation the click came from), and the
// click itself is acknowledged with a short text pointing there (an empty one shows as a blank notice), so the
// clicked card stays as it was.

export function inReply(handler: VerbHandler): VerbHandler {
  return async (turn) => {
    let answer: Answer;
    try {
      answer = await handler(turn);
    } catch (e) {
      answer = cardAnswer(errorCardFor(e, turn.locale, turn.services.logger));
    }
    if (answer.kind !== 'card') return answer;
    await turn.replies.send(answer.card);
    return ackAnswer(t(turn.locale, 'actions.answeredBelow'));
  };
}

/**
 * A button on the diagnosis card: its answer comes in a new reply. For a two-click action that is the question (the
 * confirmation, or a refusal to ask it); Confirm and Cancel then answer on that confirmation, its own card.
 */
export function keepsDiagnosis(handler: VerbHandler | Confirmable): VerbHandler | Confirmable {
  return isConfirmable(handler) ? { ...handler, ask: inReply(handler.ask) } : inReply(handler);
}
