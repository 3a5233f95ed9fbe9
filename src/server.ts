import { isIP } from 'node:net';
import * as restify from 'restify';
import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import { ConfigError } from './config';
import type { Logger } from './logger';

// HTTP surface: the Bot Framework endpoint and the two probes App Service and load balancers call.
//
// Nothing reaches the adapter before these checks, in this order: a token-checked bot refuses a request without an
// Authorization header before reading a byte of it; only `application/json` is read at all (no multipart, so no
// temporary files); the body is counted while it streams in and refused past the cap; a bot without token checks
// only talks to a Bot Framework connector on this machine. The adapter then validates the token itself.

export interface ServerDeps {
  adapter: CloudAdapter;
  bot: ActivityHandler;
  /** Whether Azure (or the sandbox) answers; /readyz reports it. */
  ready: () => Promise<{ ok: boolean; detail: string }>;
  logger: Logger;
  mode: 'azure' | 'sandbox';
  /**
   * Whether the adapter validates Bot Framework tokens (MicrosoftAppId set). When true, a request without an
   * Authorization header gets 401 before its body is read. When false (the default), the bot answers only
   * activities whose `serviceUrl` is on this machine, so a stranger cannot make it post anywhere.
   */
  tokenChecks?: boolean;
  /** How long one /readyz answer is reused (default 20 s), so probes and strangers cannot make it call ARM per hit. */
  readyCacheMs?: number;
  /** Largest request body read (default MAX_BODY_BYTES). */
  maxBodyBytes?: number;
}

/**
 * Teams refuses messages over 100 KB, and an Action.Execute invoke carries a card's data, far less; with channelData,
 * entities and the JSON framing a real activity stays well under 256 KiB. Bigger bodies are refused while they
 * stream in, so one request holds at most this much memory and never touches the disk.
 */
export const MAX_BODY_BYTES = 256 * 1024;

export const READY_CACHE_MS = 20_000;

/** Stable codes of the refusals; the message beside each tells the sender what to change. */
export type RequestRefusal = 'unauthenticated' | 'unsupported-media-type' | 'body-too-large' | 'invalid-json' | 'service-url-not-local';

class Refused extends Error {
  constructor(
    readonly status: number,
    readonly code: RequestRefusal,
    message: string,
  ) {
    super(message);
  }
}

export function createServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'aib-chatops', handleUncaughtExceptions: false });
  const tokenChecks = deps.tokenChecks ?? false;
  const maxBytes = deps.maxBodyBytes ?? MAX_BODY_BYTES;

  const refuse = (req: restify.Request, res: restify.Response, r: Refused) => {
    deps.logger.info('request refused', { path: req.path(), status: r.status, code: r.code });
    // A refused body is not read to its end (Node would otherwise drain a 5 GB upload to keep the connection
    // alive): close the connection once the answer is out.
    const unread = !req.complete;
    if (unread) res.setHeader('connection', 'close');
    res.send(r.status, { error: { code: r.code, message: r.message } });
    if (unread) res.once('finish', () => req.destroy());
  };

  server.post('/api/messages', async (req, res) => {
    let activity: Record<string, unknown>;
    try {
      if (tokenChecks && !req.headers.authorization) {
        throw new Refused(401, 'unauthenticated', 'This endpoint takes activities from the Bot Framework connector only: the request needs its Authorization: Bearer token.');
      }
      if (mediaType(req.headers['content-type']) !== 'application/json') {
        throw new Refused(415, 'unsupported-media-type', 'POST /api/messages takes one Bot Framework activity as Content-Type: application/json.');
      }
      activity = parseActivity(await readBody(req, maxBytes));
      if (!tokenChecks) checkLocalServiceUrl(activity.serviceUrl);
    } catch (e) {
      if (e instanceof Refused) return refuse(req, res, e);
      throw e;
    }
    (req as { body?: unknown }).body = activity;
    await deps.adapter.process(req, res, (context) => deps.bot.run(context));
  });

  // Connectivity checks (and some proxies) probe the endpoint with HEAD; it exists, there is nothing to say.
  server.head('/api/messages', (_req, res, next) => {
    res.send(200);
    return next();
  });

  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok', mode: deps.mode });
    return next();
  });

  const readiness = cachedReadiness(deps.ready, deps.readyCacheMs ?? READY_CACHE_MS, deps.logger);
  server.get('/readyz', async (_req, res) => {
    const ok = await readiness();
    // Generic on purpose: the reason (an ARM message with object ids and scopes) is in the server log only.
    res.send(ok ? 200 : 503, { status: ok ? 'ready' : 'not-ready', mode: deps.mode });
  });

  server.on('restifyError', (req, res, err, callback) => {
    deps.logger.warn('http error', { path: req.path(), status: err.statusCode, error: err.message });
    return callback();
  });
  return server;
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/** The body, counted as it arrives; past `maxBytes` reading stops (the rest is never buffered) and 413 follows. */
function readBody(req: restify.Request, maxBytes: number): Promise<Buffer> {
  const tooLarge = () =>
    new Refused(413, 'body-too-large', `The request body is over ${Math.round(maxBytes / 1024)} KiB; a Bot Framework activity is far smaller.`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer | string) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += buf.length;
      if (total > maxBytes) {
        stop();
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(buf);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, total));
    };
    const onError = (e: Error) => {
      stop();
      reject(e);
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
  });
}

function parseActivity(body: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new Refused(400, 'invalid-json', 'The request body is not valid JSON; POST /api/messages takes one Bot Framework activity.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Refused(400, 'invalid-json', 'The request body must be one JSON object (a Bot Framework activity).');
  }
  return value as Record<string, unknown>;
}

/** `localhost`, 127.0.0.0/8 and ::1 (also IPv4-mapped): addresses that never leave this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return isIP(h) === 6 && (h === '::1' || h === '0:0:0:0:0:0:0:1');
}

function checkLocalServiceUrl(serviceUrl: unknown): void {
  let host = '';
  try {
    host = typeof serviceUrl === 'string' ? new URL(serviceUrl).hostname : '';
  } catch {
    /* reported below */
  }
  if (host && isLoopbackHost(host)) return;
  const shown = typeof serviceUrl === 'string' ? JSON.stringify(serviceUrl.slice(0, 200)) : 'none';
  throw new Refused(
    403,
    'service-url-not-local',
    `Token checks are off (MicrosoftAppId is empty), so this bot only answers a connector on this machine (a serviceUrl on localhost or 127.0.0.1, as the Agents Playground sends); the activity's serviceUrl is ${shown}. To serve Teams, set MicrosoftAppId.`,
  );
}

/**
 * The host to listen on: with token checks, every interface unless told otherwise; without them, loopback only,
 * and asking for anything else is a start-up error rather than a bot open to the network.
 */
export function listenHost(tokenChecks: boolean, requested?: string): string {
  if (tokenChecks) return requested ?? '0.0.0.0';
  if (requested === undefined) return '127.0.0.1';
  if (isLoopbackHost(requested)) return requested;
  throw new ConfigError(
    `Refusing to listen on ${requested}: token checks are off (MicrosoftAppId is empty), so the bot listens on 127.0.0.1 only. Set MicrosoftAppId to serve other machines.`,
  );
}

/** One readiness check in flight at a time, its answer reused for `ttlMs`; failures are logged with their reason. */
function cachedReadiness(check: ServerDeps['ready'], ttlMs: number, logger: Logger): () => Promise<boolean> {
  let cached: { ok: boolean; at: number } | undefined;
  let running: Promise<boolean> | undefined;
  return () => {
    if (cached && Date.now() - cached.at < ttlMs) return Promise.resolve(cached.ok);
    running ??= check()
      .catch((e: Error) => ({ ok: false, detail: e?.message ?? String(e) }))
      .then((r) => {
        if (!r.ok) logger.warn('not ready', { detail: r.detail });
        else if (cached && !cached.ok) logger.info('ready again', { detail: r.detail });
        cached = { ok: r.ok, at: Date.now() };
        return r.ok;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
}
