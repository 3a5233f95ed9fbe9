import { startApp } from './app';
import { checkServeConfig, ConfigError, loadConfig } from './config';
import { createLogger } from './logger';

// `npm start`: the bot on PORT, on Azure when configured, else on the embedded sandbox (and it says so).

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
    checkServeConfig(config);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`aib-chatops: configuration error: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  const sandboxed = config.azure.kind === 'sandbox';
  if (sandboxed) {
    const lines = [
      'SANDBOX MODE — not talking to Azure.',
      'Image Builder emulator + Azurite, seeded with one failed template per',
      'known failure. Set AZURE_SUBSCRIPTION_ID to use real Azure.',
    ];
    const width = Math.max(...lines.map((l) => l.length)) + 2;
    process.stderr.write(
      ['', `  ┌${'─'.repeat(width)}┐`, ...lines.map((l) => `  │ ${l.padEnd(width - 1)}│`), `  └${'─'.repeat(width)}┘`, ''].join('\n'),
    );
  }
  const app = await startApp(config, { logger, sandbox: { recurringBuilds: true } });
  logger.info('listening', {
    url: `${app.url}/api/messages`,
    mode: app.mode,
    tokenValidation: config.bot.appId ? 'on' : 'off (MicrosoftAppId empty: listening on 127.0.0.1, local connectors only)',
    actionPolicy: app.policy.summary,
    cardActions: app.actionsEnabled ? 'on' : 'off (no BOT_STORAGE_ACCOUNT_URL for state and audit)',
    sandbox: app.sandbox ? { armEndpoint: app.sandbox.armEndpoint, resourceGroup: app.sandbox.resourceGroup, templates: app.sandbox.scenarios.length } : undefined,
  });
  process.stderr.write(`\n  Card actions: ${app.actionsEnabled ? app.policy.summary : 'off: no storage for the audit trail (BOT_STORAGE_ACCOUNT_URL)'}\n`);
  if (sandboxed) {
    process.stderr.write(`\n  Try it: npm run dev (Agents Playground), then ask "why did template win2019-minimal fail?"\n\n`);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    await app.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e) => {
  process.stderr.write(`aib-chatops: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
