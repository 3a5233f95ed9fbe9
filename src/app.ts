import type { AddressInfo } from 'node:net';
import { checkServeConfig, type AppConfig, type AzureTarget } from './config';
import { createAzureGateways, type AzureGatewayOptions } from './azure';
import { createAuditLog, createRecordStore, recordStoreTarget } from './azure/records';
import { createSupportGateway } from './azure/support';
import { createAdapter } from './bot/adapter';
import { AibBot } from './bot/bot';
import { actionsDisabled } from './bot/handlers/disabled';
import { resumeWatches } from './bot/handlers/run-card';
import { resumeRecreates } from './bot/handlers/recreate-record';
import { loadPolicy, type Policy } from './bot/policy';
import { RateLimiter } from './bot/rate-limit';
import { createRouter } from './bot/routes';
import type { ActionServices, BotServices } from './bot/services';
import { notificationPoster, subscriptionSource } from './bot/notifications';
import { BotState, createBotStorage } from './bot/state';
import { Notifier } from './watch/notifier';
import { CARD_UPDATE_MIN_INTERVAL_MS } from './watch/delivery-policy';
import { createLogger, type Logger } from './logger';
import { createServer, listenHost } from './server';
import type { Sandbox } from './sandbox';
import { TemplateLocator } from './usecases/resolve-template';
import { ScanPool } from './usecases/scan-pool';
import { ScanWorkers } from './usecases/scan-workers';

// Wires config → gateways → services → router → bot → HTTP server. `npm start`, `npm run dev` and the conversation
// tests all start the bot through here, so what the tests exercise is what users run.

/** An answer sooner than this gets no typing indicator (botbuilder's ShowTypingMiddleware waits as long). */
const TYPING_DELAY_MS = 500;

export interface RunningApp {
  url: string;
  port: number;
  mode: 'azure' | 'sandbox';
  sandbox?: Sandbox;
  policy: Policy;
  /** False when no storage for state and audit is configured: card actions are then refused. */
  actionsEnabled: boolean;
  /** Every card verb the router answers. */
  verbs: string[];
  /** Resolves when background work (full log scans, followed builds) started so far has finished. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Start an embedded sandbox with these options when the config asks for one. */
  sandbox?: { bigLog?: boolean; stepMs?: number; recurringBuilds?: boolean };
  gatewayOptions?: AzureGatewayOptions;
  host?: string;
  /** How often a running build is polled for its progress card (default: 15 s on Azure, 2 × stepMs in a sandbox). */
  progressPollMs?: number;
  /** Minimum time between two updates of one card while a build runs (default 30 s; the sandbox step on the sandbox). */
  cardUpdateMs?: number;
  /** How long an answer may take before a typing indicator is shown (default 500 ms). */
  typingDelayMs?: number;
  /** How long one /readyz answer is reused (default: the server's 20 s). */
  readyCacheMs?: number;
  /** Run the failure notifier beside the bot (default true when bot state is configured). */
  watch?: boolean;
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
    sandbox = await startSandbox({ stepMs: sandboxStepMs, bigLog: options.sandbox?.bigLog ?? true, recurringBuilds: options.sandbox?.recurringBuilds ?? false });
    target = { ...target, armEndpoint: sandbox.armEndpoint, blobEndpoint: sandbox.blobEndpoint, storageKey: sandbox.storageKey, subscriptionId: sandbox.subscriptionId };
  }
  const gateways = createAzureGateways(target, options.gatewayOptions);
  const stateStore = sandbox
    ? { kind: 'sandbox' as const, url: sandbox.stateStorage.url, account: sandbox.stateStorage.account, key: sandbox.stateStorage.key }
    : config.stateStore;
  const policy = await loadPolicy(config.actionPolicyPath, config.actionPolicyDefault);
  const adapter = createAdapter(config.bot, logger);

  let actions: ActionServices | undefined;
  if (stateStore) {
    const storage = await createBotStorage(recordStoreTarget(stateStore, config.stateContainer));
    actions = {
      state: new BotState(storage),
      claims: createRecordStore(recordStoreTarget(stateStore, config.stateContainer)),
      audit: createAuditLog(recordStoreTarget(stateStore, config.auditContainer)),
    };
  } else {
    logger.warn('card actions are off: no storage for bot state and the audit trail (set BOT_STORAGE_ACCOUNT_URL)');
  }
  const background = new Set<Promise<unknown>>();
  const pollMs = options.progressPollMs ?? (sandbox ? Math.max(20, Math.min(5000, sandboxStepMs / 2)) : 15000);
  // Full scans run in worker threads, as many as may run at once: the event loop stays free for conversations.
  const scanWorkers = new ScanWorkers({ size: config.scanConcurrency });
  if (!scanWorkers.threaded) logger.warn('full log scans run on the main thread: dist/src/usecases/scan-worker.js is missing (run npm run build)');
  const services: BotServices = {
    gateways,
    policy,
    locator: new TemplateLocator(gateways),
    scans: new ScanPool(config.scanConcurrency, scanWorkers.scan),
    limiter: new RateLimiter(config.rateLimitPerMinute),
    logger,
    actions,
    support: { mode: config.supportMode, gateway: config.supportMode === 'api' ? createSupportGateway(target, { tuning: options.gatewayOptions?.tuning }) : undefined },
    delivery: { adapter, appId: config.bot.appId },
    limits: {
      tailBytes: config.logTailBytes,
      maxBytes: config.logMaxBytes,
      maxPasteChars: config.maxPasteChars,
      confirmationTtlMs: config.confirmationTtlMinutes * 60_000,
      pollMs,
      // Teams' limit; on the sandbox clock a whole build takes seconds, so there it is the poll (each step stays visible).
      cardUpdateMs: options.cardUpdateMs ?? (sandbox ? Math.min(CARD_UPDATE_MIN_INTERVAL_MS, pollMs) : CARD_UPDATE_MIN_INTERVAL_MS),
      typingDelayMs: options.typingDelayMs ?? TYPING_DELAY_MS,
    },
    track: (work) => {
      background.add(work);
      void work.finally(() => background.delete(work));
    },
  };
  const router = createRouter({ actionsEnabled: !!actions, disabled: actionsDisabled });
  const bot = new AibBot(services, router);
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
    const resumed = await resumeWatches(services).catch((e: Error) => {
      logger.warn('could not resume build watches', { error: e.message });
      return 0;
    });
    if (resumed) logger.info('resumed build watches', { count: resumed });
    const recreates = await resumeRecreates(services).catch((e: Error) => {
      logger.error('could not resume unfinished recreates', { error: e.message });
      return 0;
    });
    if (recreates) logger.info('resumed unfinished recreates', { count: recreates });
  }
  // The failure notifier: every replica runs one, the blob lease lets exactly one of them poll and post.
  let notifier: Notifier | undefined;
  if (actions && stateStore && options.watch !== false) {
    const deps = {
      state: actions.state,
      audit: actions.audit,
      gateways,
      adapter,
      appId: config.bot.appId,
      tailBytes: config.logTailBytes,
      maxBytes: config.logMaxBytes,
      logger,
      digestWindowMs: config.watch.digestWindowMs,
      scans: services.scans,
      track: services.track,
    };
    // On the sandbox clock a build takes a few steps; polling once a minute would hide that in the demo.
    const intervalMs = sandbox ? Math.min(config.watch.intervalMs, Math.max(1000, sandboxStepMs)) : config.watch.intervalMs;
    notifier = new Notifier({
      config: { ...config.watch, intervalMs },
      gateways,
      subscriptions: subscriptionSource(deps),
      poster: notificationPoster(deps),
      stateTarget: recordStoreTarget(stateStore, config.stateContainer),
      log: (line) => logger.info(line),
    });
    notifier.start();
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    mode,
    sandbox,
    policy,
    actionsEnabled: !!actions,
    verbs: router.registeredVerbs(),
    idle: async () => {
      while (background.size) await Promise.allSettled([...background]);
    },
    stop: async () => {
      await notifier?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await scanWorkers.close();
      await sandbox?.stop();
    },
  };
}
