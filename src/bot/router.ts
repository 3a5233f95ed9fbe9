import { BotError } from '../model';
import { errorCardFor } from './error-cards';
import { cardAnswer, type Answer, type Turn } from './context';
import { isConfirmable, type Confirmable } from './guards/confirmable';
import type { VerbHandler } from './guards/template-action';
import type { Intent } from './intents';

// Where every message intent and card verb goes. Registration reads as a list of sentences (see routes.ts); this is
// also the one place where an unknown verb, a conversation over its rate, or a thrown error becomes a card.

type IntentKind = Intent['kind'];
export type IntentHandler<K extends IntentKind> = (turn: Turn, intent: Extract<Intent, { kind: K }>) => Promise<void>;

export class Router {
  private readonly verbs = new Map<string, VerbHandler>();
  private readonly intents = new Map<IntentKind, IntentHandler<IntentKind>>();

  onIntent<K extends IntentKind>(kind: K, handler: IntentHandler<K>): this {
    if (this.intents.has(kind)) throw new Error(`intent ${kind} registered twice`);
    this.intents.set(kind, handler as unknown as IntentHandler<IntentKind>);
    return this;
  }

  /** A confirmable action registers its three verbs: `verb`, `confirm-verb` and `dismiss-verb`. */
  onVerb(verb: string, handler: VerbHandler | Confirmable): this {
    if (isConfirmable(handler)) {
      this.add(verb, handler.ask);
      this.add(`confirm-${verb}`, handler.confirm);
      this.add(`dismiss-${verb}`, handler.dismiss);
    } else {
      this.add(verb, handler);
    }
    return this;
  }

  /** Every verb a card may carry, for tests and the start-up log. */
  registeredVerbs(): string[] {
    return [...this.verbs.keys()];
  }

  registeredIntents(): IntentKind[] {
    return [...this.intents.keys()];
  }

  async message(turn: Turn, intent: Intent): Promise<void> {
    try {
      this.checkRate(turn);
      const handler = this.intents.get(intent.kind);
      if (!handler) throw new Error(`no handler for intent ${intent.kind}`);
      await handler(turn, intent);
    } catch (e) {
      await turn.replies.send(errorCardFor(e, turn.locale, turn.services.logger));
    }
  }

  async verb(turn: Turn): Promise<Answer> {
    try {
      this.checkRate(turn);
      const handler = this.verbs.get(turn.verb);
      if (!handler) throw new BotError('unknown-action', 'No handler for this card verb.', { verb: turn.verb.slice(0, 80) });
      return await handler(turn);
    } catch (e) {
      return cardAnswer(errorCardFor(e, turn.locale, turn.services.logger));
    }
  }

  private add(verb: string, handler: VerbHandler): void {
    if (this.verbs.has(verb)) throw new Error(`verb ${verb} registered twice`);
    this.verbs.set(verb, handler);
  }

  private checkRate(turn: Turn): void {
    const wait = turn.services.limiter.take(turn.subject.conversationId);
    if (wait) throw new BotError('rate-limited', 'Too many requests from this conversation.', { retryAfterSeconds: wait });
  }
}
