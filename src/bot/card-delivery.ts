import { ActivityTypes, type Activity, type AdaptiveCardInvokeResponse, type CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import type { CardAttachment } from '../cards/bind';

// How a card reaches Teams: as the answer to a click (the invoke response replaces the clicked card), or as an
// update of a card sent earlier — in the live turn when there is one, else through a proactive turn.

/** Teams shows the summary in the chat list and in notifications; without one they say "Sent a card". */
const SUMMARY_CHARS = 200;

/** Every card the bot posts or updates goes out as this activity: the card and its one-line summary. */
export function cardMessage(card: CardAttachment, id?: string): Partial<Activity> {
  const activity: Partial<Activity> = { type: ActivityTypes.Message, attachments: [card] };
  if (id) activity.id = id;
  const summary = cardSummary(card);
  if (summary) activity.summary = summary;
  return activity;
}

/** Each card template sets `fallbackText` to its view model's summary; a card without one falls back to its first text. */
export function cardSummary(card: CardAttachment): string | undefined {
  const content = card.content as { fallbackText?: unknown; body?: Array<{ type?: string; text?: unknown }> };
  const text = typeof content.fallbackText === 'string' && content.fallbackText.trim() ? content.fallbackText : content.body?.find((e) => e.type === 'TextBlock' && typeof e.text === 'string')?.text;
  if (typeof text !== 'string') return undefined;
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SUMMARY_CHARS ? `${flat.slice(0, SUMMARY_CHARS - 1)}…` : flat || undefined;
}

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
  const activity = cardMessage(card, activityId);
  if (channel.context) {
    try {
      await channel.context.updateActivity(activity);
      return;
    } catch (e) {
      // After the turn has ended the context is revoked; anything else is a real failure.
      if (!/revoked/i.test((e as Error).message)) throw e;
    }
  }
  await proactively(channel.adapter, channel.appId, channel.reference, (ctx) => ctx.updateActivity(activity).then(() => undefined));
}

/**
 * A proactive turn whose send errors reach the caller. The adapter hands an error thrown in the turn to onTurnError,
 * which logs it and returns: without this, a 429 or a 403 from Teams would look like a delivered card, so nothing
 * would retry it, and a conversation the bot was removed from would never be dropped.
 */
export async function proactively<T>(adapter: CloudAdapter, appId: string, reference: Partial<ConversationReference>, logic: (ctx: TurnContext) => Promise<T>): Promise<T> {
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  await adapter.continueConversationAsync(appId, reference, async (ctx) => {
    try {
      outcome = { ok: true, value: await logic(ctx) };
    } catch (error) {
      outcome = { ok: false, error };
    }
  });
  if (!outcome) throw new Error('the proactive turn did not run');
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
