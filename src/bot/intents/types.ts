import type { SubscriptionCommand } from './subscriptions';

/** The contract the bot glue and the use cases code against. */

export type TemplateRef = { name: string; resourceGroup?: string };

export type Intent =
  | { kind: 'diagnose'; target: TemplateRef }
  | { kind: 'status'; target: TemplateRef }
  /** `nameContains`: "list templates named win2022" narrows by name. */
  | { kind: 'list'; failedOnly: boolean; resourceGroup?: string; nameContains?: string }
  | { kind: 'show-log'; target: TemplateRef }
  /** `cutFrom`: the pasted text had this many characters and was cut to its end before anything read it. */
  | { kind: 'diagnose-text'; text: string; cutFrom?: number }
  | { kind: 'help' }
  /** Failure notifications (src/bot/intents/subscriptions.ts). */
  | { kind: 'subscription'; command: SubscriptionCommand }
  | { kind: 'empty' }
  | { kind: 'unrecognized'; text: string };
