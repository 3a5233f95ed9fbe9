import {
  ActivityTypes,
  CardFactory,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type CloudAdapter,
  type ConversationReference,
} from 'botbuilder';
import { parseTemplateId } from '../azure';
import { welcomeCard, errorCard } from '../cards/render';
import { resolveLocale, type Locale } from '../i18n';
import type { Logger } from '../logger';
import type { Conversation } from './conversation';
import { parseIntent, stripMentions } from './intents';
import type { CardAttachment, Replies } from './replies';
import { cardInvokeResponse, messageInvokeResponse, updateCardActivity } from './card-delivery';

// Bot Framework glue: turn activities into intents and card verbs, and cards back into activities. Thin on purpose;
// what the bot *does* lives in Conversation and the use cases.

const READ_VERBS = ['diagnose', 'status', 'show-log', 'refresh'] as const;
type ReadVerb = (typeof READ_VERBS)[number];

export interface BotDeps {
  conversation: Conversation;
  adapter: CloudAdapter;
  /** Empty in local development (anonymous), else the bot's app id, needed for proactive updates. */
  appId: string;
  logger: Logger;
  /** Verbs another module handles (destructive card actions); returns undefined when it does not know the verb. */
  actions?: (context: TurnContext, verb: string, data: Record<string, unknown>, locale: Locale) => Promise<AdaptiveCardInvokeResponse | undefined>;
}

export class AibBot extends TeamsActivityHandler {
  constructor(private readonly deps: BotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.onText(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await context.sendActivity({ attachments: [welcomeCard(this.locale(context))] });
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botJoined = (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient.id);
      // Teams sends installationUpdate too; answer once, on whichever arrives for personal chats and teams alike.
      if (botJoined && context.activity.channelId !== 'msteams') {
        await context.sendActivity({ attachments: [welcomeCard(this.locale(context))] });
      }
      await next();
    });
  }

  private locale(context: TurnContext): Locale {
    return resolveLocale(context.activity.locale);
  }

  private async onText(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const locale = this.locale(context);
    // Action.Submit from older clients arrives as a message with a value instead of text.
    if (!activity.text && activity.value && typeof activity.value === 'object') {
      const value = activity.value as Record<string, unknown>;
      const verb = typeof value.verb === 'string' ? value.verb : typeof value.action === 'string' ? value.action : undefined;
      if (verb) {
        const response = await this.runVerb(context, verb, value, locale);
        if (response.type === 'application/vnd.microsoft.card.adaptive') await context.sendActivity({ attachments: [CardFactory.adaptiveCard(response.value)] });
        else if (typeof response.value === 'string') await context.sendActivity(response.value);
        return;
      }
    }
    if (typeof activity.text !== 'string') {
      await context.sendActivity({ attachments: [errorCard({ code: 'not-supported-activity', params: {} }, locale)] });
      return;
    }
    const text = stripMentions(activity.text, activity.entities as never, activity.recipient?.id);
    const intent = parseIntent(text);
    this.deps.logger.info('message', { intent: intent.kind, conversation: activity.conversation?.id, locale });
    await this.deps.conversation.handle(intent, locale, this.replies(context));
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const locale = this.locale(context);
    const action = invokeValue.action;
    return this.runVerb(context, action.verb, (action.data ?? {}) as Record<string, unknown>, locale);
  }

  private async runVerb(context: TurnContext, verb: string, data: Record<string, unknown>, locale: Locale): Promise<AdaptiveCardInvokeResponse> {
    this.deps.logger.info('card action', { verb, conversation: context.activity.conversation?.id, user: context.activity.from?.aadObjectId });
    if ((READ_VERBS as readonly string[]).includes(verb)) return this.readVerb(context, verb as ReadVerb, data, locale);
    const handled = await this.deps.actions?.(context, verb, data, locale);
    if (handled) return handled;
    return cardInvokeResponse(errorCard({ code: 'unknown-action', params: { verb } }, locale));
  }

  /**
   * Read-only verbs answer with new cards in the conversation, and acknowledge the click with a short message so
   * the card that was clicked stays as it was.
   */
  private async readVerb(context: TurnContext, verb: ReadVerb, data: Record<string, unknown>, locale: Locale): Promise<AdaptiveCardInvokeResponse> {
    let target;
    try {
      // List rows and choices carry the ARM id; "did you mean" suggestions carry only the name they suggest.
      if (data.templateId === undefined && typeof data.name === 'string') {
        target = { name: data.name, resourceGroup: typeof data.resourceGroup === 'string' ? data.resourceGroup : undefined };
      } else {
        const c = parseTemplateId(String(data.templateId ?? ''));
        target = { name: c.name, resourceGroup: c.resourceGroup };
      }
    } catch (e) {
      return cardInvokeResponse(this.deps.conversation.errorFor(e, locale));
    }
    const conversationVerb = verb === 'refresh' ? 'status' : verb;
    await this.deps.conversation.handleTemplateVerb(conversationVerb, target, locale, this.replies(context));
    return messageInvokeResponse('');
  }

  private replies(context: TurnContext): Replies {
    const reference: Partial<ConversationReference> = TurnContext.getConversationReference(context.activity);
    const { adapter, appId } = this.deps;
    return {
      typing: async () => {
        await context.sendActivity({ type: ActivityTypes.Typing });
      },
      send: async (card: CardAttachment) => {
        const r = await context.sendActivity({ attachments: [card] });
        return r?.id;
      },
      update: (activityId: string, card: CardAttachment) => updateCardActivity({ adapter, appId, reference, context }, activityId, card),
    };
  }
}
