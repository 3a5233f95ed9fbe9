// How a conversation handler talks back, without knowing about TurnContext: the bot implements this for a turn,
// and for the updates that arrive after the turn ended (a full log scan finishing, a build progressing).

import type { CardAttachment } from '../cards/bind';

export type { CardAttachment };

export interface Replies {
  typing(): Promise<void>;
  /** Sends a card; returns the activity id to update it later. */
  send(card: CardAttachment): Promise<string | undefined>;
  /** Replaces a card sent earlier, possibly after the turn that sent it has ended. */
  update(activityId: string, card: CardAttachment): Promise<void>;
}
