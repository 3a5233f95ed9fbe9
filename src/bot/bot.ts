import { TeamsActivityHandler, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue, type TurnContext } from 'botbuilder';
import { errorCard, welcomeCard } from '../cards/render';
import type { CardAttachment } from '../cards/bind';
import { resolveLocale } from '../i18n';
import { cardInvokeResponse, cardMessage, messageInvokeResponse } from './card-delivery';
import { createTurn, type Answer, type Turn } from './context';
import { NO_LANGUAGE, replyLocale, stripMentions, understand, type Understood } from './intents';
import type { Router } from './router';
import type { BotServices } from './services';

// Bot Framework glue: an activity becomes a turn and an intent or a verb for the router; answers go back as
// activities or invoke responses. Nothing else happens here.

export class AibBot extends TeamsActivityHandler {
  constructor(
    private readonly services: BotServices,
    private readonly router: Router,
  ) {
    super();
    this.onMessage(async (context, next) => {
      await this.onText(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await context.sendActivity(cardMessage(welcomeCard(resolveLocale(context.activity.locale))));
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botJoined = (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient.id);
      // Teams sends installationUpdate too; answer once, on whichever arrives for personal chats and teams alike.
      if (botJoined && context.activity.channelId !== 'msteams') {
        await context.sendActivity(cardMessage(welcomeCard(resolveLocale(context.activity.locale))));
      }
      await next();
    });
  }

  private async onText(context: TurnContext): Promise<void> {
    const activity = context.activity;
    // Action.Submit from older clients arrives as a message with a value instead of text.
    if (!activity.text && activity.value && typeof activity.value === 'object') {
      const value = activity.value as Record<string, unknown>;
      const verb = typeof value.verb === 'string' ? value.verb : typeof value.action === 'string' ? value.action : undefined;
      if (verb) {
        const turn = createTurn(context, this.services, verb, value);
        const answer = await this.router.verb(turn);
        if (answer.kind === 'card') await this.replaceOrSend(context, turn.stamp(answer.card));
        else if (answer.text) await context.sendActivity(answer.text);
        return;
      }
    }
    if (typeof activity.text !== 'string') {
      await context.sendActivity(cardMessage(errorCard({ code: 'not-supported-activity', params: {} }, resolveLocale(activity.locale))));
      return;
    }
    const { intent, languages } = this.understood(activity.text, activity.entities, activity.recipient?.id);
    // A question written in another language than the client's is answered in the language it was written in.
    const turn = createTurn(context, this.services, '', {}, replyLocale(languages, resolveLocale(activity.locale)));
    this.services.logger.info('message', { intent: intent.kind, conversation: activity.conversation?.id, locale: turn.locale });
    await this.router.message(turn, intent);
  }

  /**
   * An Action.Submit's answer card replaces the card that was clicked, as an Action.Execute's invoke response
   * does; without a card to replace (or a channel that cannot update) it is sent as a new one.
   */
  private async replaceOrSend(context: TurnContext, card: CardAttachment): Promise<void> {
    const clicked = context.activity.replyToId;
    if (clicked) {
      try {
        await context.updateActivity(cardMessage(card, clicked));
        return;
      } catch (e) {
        this.services.logger.warn('could not update the clicked card; sending a new one', { error: (e as Error).message });
      }
    }
    await context.sendActivity(cardMessage(card));
  }

  /** A paste longer than the cap is cut to its end (where errors are) before any rule or regex reads it. */
  private understood(raw: string, entities: unknown, botId: string | undefined): Understood {
    const max = this.services.limits.maxPasteChars;
    if (raw.length > max) return { intent: { kind: 'diagnose-text', text: raw.slice(-max), cutFrom: raw.length }, languages: NO_LANGUAGE };
    return understand(stripMentions(raw, entities as never, botId));
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const action = invokeValue?.action;
    const verb = typeof action?.verb === 'string' ? action.verb : '';
    this.services.logger.info('card action', { verb: verb.slice(0, 80), conversation: context.activity.conversation?.id, user: context.activity.from?.aadObjectId });
    const turn = createTurn(context, this.services, verb, action?.data);
    return toInvokeResponse(await this.router.verb(turn), turn);
  }
}

function toInvokeResponse(answer: Answer, turn: Turn): AdaptiveCardInvokeResponse {
  return answer.kind === 'card' ? cardInvokeResponse(turn.stamp(answer.card)) : messageInvokeResponse(answer.text);
}
