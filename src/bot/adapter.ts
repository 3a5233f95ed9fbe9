import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { errorCard } from '../cards/render';
import { cardMessage } from './card-delivery';
import type { BotIdentity } from '../config';
import { resolveLocale } from '../i18n';
import type { Logger } from '../logger';

// The Bot Framework adapter: token validation for inbound requests, the connector client for replies, and the
// last-resort answer when a turn throws past the router (which turns handler errors into cards itself).

export function createAdapter(bot: BotIdentity, logger: Logger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: bot.appId,
    MicrosoftAppPassword: bot.appPassword ?? '',
    MicrosoftAppType: bot.appType,
    MicrosoftAppTenantId: bot.tenantId ?? '',
  } as ConfigurationBotFrameworkAuthenticationOptions);
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    logger.error('turn failed', { error: error.message, conversation: context.activity.conversation?.id });
    if (context.activity.type === 'message') {
      await context
        .sendActivity(cardMessage(errorCard({ code: 'internal', params: { errorId: context.activity.id ?? '' } }, resolveLocale(context.activity.locale))))
        .catch(() => undefined);
    }
  };
  return adapter;
}
