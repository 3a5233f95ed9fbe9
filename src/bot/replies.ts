// How a conversation handler talks back, without knowing about TurnContext: the bot implements this for a turn,
// and for the updates that arrive after the turn ended (a full log scan finishing, a build progressing).

import type { CardAttachment } from '../cards/bind';

export type { CardAttachment };

export interface Replies {
  /**
   * Shows the typing indicator while the answer is prepared. It returns before the indicator is sent (the Azure
   * calls go ahead meanwhile); the next send or text waits for it, so the indicator never lands after the answer.
   */
  typing(): void;
  /** Sends a card; returns the activity id to update it later. */
  send(card: CardAttachment): Promise<string | undefined>;
  /** Sends a short text message (confirmations that need no card). */
  text(message: string): Promise<void>;
  /** Replaces a card sent earlier, possibly after the turn that sent it has ended. */
  update(activityId: string, card: CardAttachment): Promise<void>;
}
