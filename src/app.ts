import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { AddressInfo } from 'node:net';
import { checkServeConfig, type AppConfig, type AzureTarget } from './config';
import { createAzureGateways, type AzureGatewayOptions } from './azure';
import { AibBot } from './bot/bot';
import { Conversation } from './bot/conversation';
import { errorCard } from './cards/render';
import { resolveLocale } from './i18n';
import { createLogger, type Logger } from './logger';
import { createServer, listenHost } from './server';
import type { Sandbox } from './sandbox';
import { CardActions } from './bot/actions';
import { loadPolicy, type Policy } from './bot/policy';
import { BotState, createBotStorage } from './bot/state';
import { createAuditLog, createRecordStore, recordStoreTarget } from './azure/records';
import { outcomeCard } from './cards/action-cards';
import { parseTemplateId } from './azure';
import { createSupportGateway } from './azure/support';
import { supportActions } from './bot/support-actions';
import { cardInvokeResponse } from './bot/card-delivery';

// Wires config → gateways → conversation → bot → HTTP server. `npm start`, `npm run dev` and the conversation tests
// all start the bot through here, so what the tests exercise is what users run.

export interface RunningApp {
  url: string;
  port: number;
  mode: 'azure' | 'sandbox';
  sandbox?: Sandbox;
  policy: Policy;
  /** False when no storage for state and audit is configured: card actions are then refused. */
  actionsEnabled: boolean;
  /** Resolves when background work (full log scans) started so far has finished. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Start an embedded sandbox with these options when the config asks for one. */
  sandbox?: { bigLog?: boolean; stepMs?: number };
  gatewayOptions?: AzureGatewayOptions;
  host?: string;
  /** How often a running build is polled for its progress card (default: 15 s on Azure, 2 × stepMs in a sandbox). */
  progressPollMs?: number;
  /** How long one /readyz answer is reused (default: the server's 20 s). */
  readyCacheMs?: number;
}

export async function startApp(config: AppConfig, options: StartOptions = {}): Promise<RunningApp> {
  checkServeConfig(config);
  const host = listenHost(!!config.bot.appId, options.host);
  const logger = options.logger ?? createLogger(config.logLevel);
  let target: AzureTarget = config.azure;
  let sandbox: Sandbox | undefined;
  const sandboxStepMs = options.sandbox?.stepMs ?? config.sandboxStepMs;
  if (target.kind === 'sandbox' && target.origin === 'embedded') {
    const { startSandbox } = await import('./sandbox');
    sandbox = await startSandbox({ stepMs: sandboxStepMs, bigLog: options.sandbox?.bigLog ?? true });
    target = { ...target, armEndpoint: sandbox.armEndpoint, blobEndpoint: sandbox.blobEndpoint, storageKey: sandbox.storageKey, subscriptionId: sandbox.subscriptionId };
  }
  const gateways = createAzureGateways(target, options.gatewayOptions);
  const stateStore = sandbox
    ? { kind: 'sandbox' as const, url: sandbox.stateStorage.url, account: sandbox.stateStorage.account, key: sandbox.stateStorage.key }
    : config.stateStore;
  const policy = await loadPolicy(config.actionPolicyPath, target.kind === 'sandbox' ? 'sandbox' : 'production');

  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.appPassword ?? '',
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId ?? '',
  } as ConfigurationBotFrameworkAuthenticationOptions);
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    logger.error('turn failed', { error: error.message, conversation: context.activity.conversation?.id });
    if (context.activity.type === 'message') {
      await context
        .sendActivity({ attachments: [errorCard({ code: 'internal', params: { errorId: context.activity.id ?? '' } }, resolveLocale(context.activity.locale))] })
        .catch(() => undefined);
    }
  };

  const background = new Set<Promise<unknown>>();
  const conversation = new Conversation({
    gateways,
    tailBytes: config.logTailBytes,
    maxBytes: config.logMaxBytes,
    logger,
    track: (work) => {
      background.add(work);
      void work.finally(() => background.delete(work));
    },
  });
  let actions: CardActions | undefined;
  if (stateStore) {
    const storage = await createBotStorage(recordStoreTarget(stateStore, config.stateContainer));
    const audit = createAuditLog(recordStoreTarget(stateStore, config.auditContainer));
    actions = new CardActions({
      gateways,
      policy,
      state: new BotState(storage),
      claims: createRecordStore(recordStoreTarget(stateStore, config.stateContainer)),
      audit,
      conversation,
      adapter,
      appId: config.bot.appId,
      logger,
      pollMs: options.progressPollMs ?? (sandbox ? Math.max(20, Math.min(5000, sandboxStepMs / 2)) : 15000),
      tailBytes: config.logTailBytes,
      maxBytes: config.logMaxBytes,
      track: (work) => {
        background.add(work);
        void work.finally(() => background.delete(work));
      },
      support: supportActions({
        gateways,
        policy,
        audit,
        conversation,
        mode: config.supportMode,
        support: config.supportMode === 'api' ? createSupportGateway(target, { tuning: options.gatewayOptions?.tuning }) : undefined,
        tailBytes: config.logTailBytes,
        maxBytes: config.logMaxBytes,
      }),
    });
  } else {
    logger.warn('card actions are off: no storage for bot state and the audit trail (set BOT_STORAGE_ACCOUNT_URL)');
  }
  const bot = new AibBot({
    conversation,
    adapter,
    appId: config.bot.appId,
    logger,
    actions: async (context, verb, data, locale) => {
      if (actions) return actions.handle(context, verb, data, locale);
      // Without an audit trail nothing is changed in Azure: say so instead of acting unaudited.
      let ref = { name: '?', resourceGroup: '?', id: String(data.templateId ?? '') };
      try {
        const c = parseTemplateId(ref.id);
        ref = { name: c.name, resourceGroup: c.resourceGroup, id: ref.id };
      } catch {
        /* keep the placeholders */
      }
      return cardInvokeResponse(outcomeCard({ kind: 'disabled', template: ref }, locale));
    },
  });
  const mode = target.kind;
  const server = createServer({
    adapter,
    bot,
    logger,
    mode,
    tokenChecks: !!config.bot.appId,
    readyCacheMs: options.readyCacheMs,
    ready: async () => {
      for await (const page of gateways.templates.pages()) return { ok: true, detail: `${page.length} template(s) on the first page` };
      return { ok: true, detail: 'no templates' };
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  // Builds a previous process was following for cards: pick them up now that we can answer.
  if (actions) {
    const resumed = await actions.resume().catch((e: Error) => {
      logger.warn('could not resume build watches', { error: e.message });
      return 0;
    });
    if (resumed) logger.info('resumed build watches', { count: resumed });
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    mode,
    sandbox,
    policy,
    actionsEnabled: !!actions,
    idle: async () => {
      while (background.size) await Promise.allSettled([...background]);
    },
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sandbox?.stop();
    },
  };
}
