import type { ScopeCursor } from './outcomes';

// Where the watcher keeps what it has seen and what it has posted. Two implementations: a local folder (the CLI's
// `--state DIR`) and Blob Storage (the bot, shared by every replica).

export interface CursorStore {
  load(scope: string): Promise<ScopeCursor | undefined>;
  save(scope: string, cursor: ScopeCursor): Promise<void>;
}

export interface NotifyClaims {
  /**
   * Create-only: true for exactly one caller per key, across processes and restarts. The cursor alone cannot promise
   * that (a process can die between posting and saving it); the claim is what makes a post happen once.
   */
  claim(key: string): Promise<boolean>;
}

export interface WatchState {
  cursors: CursorStore;
  claims: NotifyClaims;
}

/** One notification: this conversation, this template, this run. */
export function notifyClaimKey(conversationId: string, templateId: string, runKey: string): string {
  return `notify|${conversationId}|${templateId.toLowerCase()}|${runKey}`;
}

/** A scope as a stable string: the subscription and one resource group, or `*` for the whole subscription. */
export function scopeKey(subscriptionId: string, resourceGroup?: string): string {
  return `${subscriptionId}/${resourceGroup ?? '*'}`.toLowerCase();
}
