import { randomUUID } from 'node:crypto';
import { isAzureGatewayError, type AzureGatewayError } from '../azure';
import { errorCard } from '../cards/render';
import type { ErrorCardInput } from '../cards';
import type { CardAttachment } from '../cards/bind';
import type { Locale } from '../i18n';
import type { Logger } from '../logger';
import { isBotError, type BotError, type BotErrorCode } from '../model';

// The one table from an error's stable code to the card a person reads. A gateway error keeps its own code (the
// error card explains each); a bot refusal maps through BOT_ERROR_CARDS; anything else is a bug, logged with an id
// the card quotes so the person can report it.

const BOT_ERROR_CARDS: Record<BotErrorCode, (e: BotError) => ErrorCardInput> = {
  'invalid-template-id': () => ({ code: 'invalid-card-data' }),
  'invalid-card-data': () => ({ code: 'invalid-card-data' }),
  'invalid-name': (e) => ({ code: 'invalid-name', params: { invalidValue: e.params.value } }),
  'foreign-subscription': (e) => ({ code: 'foreign-subscription', params: { invalidValue: e.params.value } }),
  'rate-limited': (e) => ({ code: 'rate-limited', params: { retryAfterSeconds: e.params.retryAfterSeconds } }),
  'audit-unavailable': () => ({ code: 'audit-unavailable' }),
  'unknown-action': (e) => ({ code: 'unknown-action', params: { verb: e.params.verb } }),
};

function gatewayErrorCard(e: AzureGatewayError): ErrorCardInput {
  return {
    code: e.code,
    params: {
      resource: e.resource,
      missingAction: e.missingAction ?? e.requiredAction,
      scope: e.scope,
      requiredRole: e.requiredRole,
      stagingResourceGroup: e.stagingResourceGroup,
      retryAfterSeconds: e.retryAfterSeconds,
      invalidValue: e.invalidValue,
      message: e.serviceMessage,
    },
  };
}

export function errorCardFor(e: unknown, locale: Locale, logger: Logger): CardAttachment {
  if (isBotError(e)) return errorCard(BOT_ERROR_CARDS[e.code](e), locale);
  if (isAzureGatewayError(e)) return errorCard(gatewayErrorCard(e), locale);
  const errorId = randomUUID().slice(0, 8);
  logger.error('turn failed', { errorId, error: (e as Error)?.message, stack: (e as Error)?.stack });
  return errorCard({ code: 'internal', params: { errorId } }, locale);
}

/** A short English description for the audit trail and the server log: the code, never a token. */
export function describeError(e: unknown): string {
  if (isBotError(e)) return e.code;
  if (isAzureGatewayError(e)) return `${e.code}: ${e.serviceMessage ?? e.message}`;
  return (e as Error)?.message ?? String(e);
}
