// The bot's own refusals, as one typed error with stable codes. Each code has one row in the bot's code → card
// table (src/bot/error-cards.ts), so what a person reads never depends on which layer noticed the problem.

export const BOT_ERROR_CODES = [
  /** Card data without a usable template resource id. */
  'invalid-template-id',
  /** A name that breaks Azure's naming rule. */
  'invalid-name',
  /** Card data naming a subscription the bot does not serve. */
  'foreign-subscription',
  /** Card data that is not an object of the expected shape. */
  'invalid-card-data',
  /** Too many requests from one conversation in a short time. */
  'rate-limited',
  /** The audit trail could not be written, so the action was not done. */
  'audit-unavailable',
  /** A card verb no handler is registered for. */
  'unknown-action',
] as const;
export type BotErrorCode = (typeof BOT_ERROR_CODES)[number];

export interface BotErrorParams {
  /** The offending value as given (shortened); shown escaped, never as markdown. */
  value?: string;
  verb?: string;
  retryAfterSeconds?: number;
}

export class BotError extends Error {
  constructor(
    readonly code: BotErrorCode,
    message: string,
    readonly params: BotErrorParams = {},
  ) {
    super(message);
    this.name = 'BotError';
  }
}

export function isBotError(e: unknown): e is BotError {
  return e instanceof BotError;
}
