import * as restify from 'restify';
import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import type { Logger } from './logger';

// HTTP surface: the Bot Framework endpoint and the two probes App Service and load balancers call.

export interface ServerDeps {
  adapter: CloudAdapter;
  bot: ActivityHandler;
  /** Whether Azure (or the sandbox) answers; /readyz reports it. */
  ready: () => Promise<{ ok: boolean; detail: string }>;
  logger: Logger;
  mode: 'azure' | 'sandbox';
}

// A pasted 40 kB error fits; a card action never comes close. Bigger bodies are refused before parsing.
const MAX_BODY_BYTES = 256 * 1024;

export function createServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'aib-chatops', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false }));

  server.post('/api/messages', async (req, res) => {
    await deps.adapter.process(req, res, (context) => deps.bot.run(context));
  });

  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok', mode: deps.mode });
    return next();
  });

  server.get('/readyz', async (_req, res) => {
    const r = await deps.ready().catch((e: Error) => ({ ok: false, detail: e.message }));
    res.send(r.ok ? 200 : 503, { status: r.ok ? 'ready' : 'not-ready', mode: deps.mode, detail: r.detail });
  });

  server.on('restifyError', (req, res, err, callback) => {
    deps.logger.warn('http error', { path: req.path(), status: err.statusCode, error: err.message });
    return callback();
  });
  return server;
}
