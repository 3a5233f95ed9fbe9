import { ActivityTypes, type AdaptiveCardInvokeResponse, type CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import type { CardAttachment } from '../cards/bind';

// How a card reaches Teams: as the answer to a click (the invoke response replaces the clicked card), or as an
// update of a card sent earlier — in the live turn when there is one, else through a proactive turn.

export function cardInvokeResponse(card: CardAttachment): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card.content } as AdaptiveCardInvokeResponse;
}

/** A short text answer to a click; the clicked card stays as it was. */
export function messageInvokeResponse(text: string): AdaptiveCardInvokeResponse {
  // botbuilder types `value` as an object; Teams' message response carries a string.
  return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text } as unknown as AdaptiveCardInvokeResponse;
}

export interface CardChannel {
  adapter: CloudAdapter;
  /** Empty in local development (anonymous). */
  appId: string;
  /** Captured while the turn was live: a turn's context is revoked once it has been answered. */
  reference: Partial<ConversationReference>;
  context?: TurnContext;
}

export async function updateCardActivity(channel: CardChannel, activityId: string, card: CardAttachment): Promise<void> {
  const activity = { id: activityId, type: ActivityTypes.Message, attachments: [card] };
  if (channel.context) {
    try {
      await channel.context.updateActivity(activity);
      return;
    } catch (e) {
      // After the turn has ended the context is revoked; anything else is a real failure.
      if (!/revoked/i.test((e as Error).message)) throw e;
    }
  }
  await channel.adapter.continueConversationAsync(channel.appId, channel.reference, async (ctx) => {
    await ctx.updateActivity(activity);
  });
}
