import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// Stands in for the Bot Framework channel (Teams' connector): the bot's replies and card updates land here.
// It speaks the connector's REST shapes: POST/PUT /v3/conversations/{id}/activities[/{activityId}].

export interface Captured {
  method: 'POST' | 'PUT' | 'DELETE';
  conversationId: string;
  /** The id the bot replied to (POST …/activities/{replyToId}) or updated (PUT …/activities/{id}). */
  activityId?: string;
  /** The id this server gave the activity (POST) or the id that was updated (PUT). */
  assignedId: string;
  activity: Record<string, any>;
  at: number;
}

export interface CaptureServer {
  serviceUrl: string;
  received: Captured[];
  /** Waits until `count` captured entries satisfy `match`, then returns them. */
  waitFor(match: (c: Captured) => boolean, count?: number, timeoutMs?: number): Promise<Captured[]>;
  clear(): void;
  close(): Promise<void>;
  /** Answers the next `count` POSTs with `status` (e.g. 429 with Retry-After), as Teams throttling would. */
  failNext(count: number, status: number, headers?: Record<string, string>, body?: unknown): void;
  /** Answers every request to conversations whose id starts with `prefix` with `status` and `body` from now on. */
  refuse(prefix: string, status: number, body?: unknown): void;
  /** The requests answered with an error by failNext or refuse (not in `received`: Teams did not take them). */
  refused: (Captured & { status: number })[];
}

export async function startCaptureServer(): Promise<CaptureServer> {
  const received: Captured[] = [];
  const waiters = new Set<() => void>();
  const refused: CaptureServer['refused'] = [];
  const refusals: { prefix: string; status: number; body?: unknown }[] = [];
  let failing = { count: 0, status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
  let seq = 0;
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
    if (!m && req.method === 'POST' && req.url?.startsWith('/v3/conversations')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `conv-${++seq}`, activityId: `act-${seq}` }));
      return;
    }
    if (!m) {
      res.writeHead(404);
      res.end();
      return;
    }
    const method = req.method as Captured['method'];
    const conversationId = decodeURIComponent(m[1]);
    const activityId = m[2] ? decodeURIComponent(m[2]) : undefined;
    const refusal = refusals.find((r) => conversationId.startsWith(r.prefix));
    const failure = refusal ?? (method === 'POST' && failing.count > 0 ? (failing.count--, failing) : undefined);
    if (failure) {
      refused.push({ method, conversationId, activityId, assignedId: '', activity: body ? JSON.parse(body) : {}, at: Date.now(), status: failure.status });
      res.writeHead(failure.status, { 'content-type': 'application/json', ...('headers' in failure ? failure.headers : {}) });
      res.end(JSON.stringify(failure.body ?? { error: { code: 'Throttled', message: `capture server: answered ${failure.status}` } }));
      return;
    }
    const assignedId = method === 'PUT' && activityId ? activityId : `act-${++seq}`;
    received.push({ method, conversationId, activityId, assignedId, activity: body ? JSON.parse(body) : {}, at: Date.now() });
    waiters.forEach((w) => w());
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: assignedId }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    received,
    refused,
    failNext: (count, status, headers = {}, body) => {
      failing = { count, status, headers, body };
    },
    refuse: (prefix, status, body) => {
      refusals.push({ prefix, status, body });
    },
    clear: () => {
      received.length = 0;
    },
    waitFor: (match, count = 1, timeoutMs = 20000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const hits = received.filter(match);
          if (hits.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(hits);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`capture server: expected ${count} matching activities within ${timeoutMs} ms, got ${received.filter(match).length} (of ${received.length} received: ${received.map((r) => `${r.method} ${r.activity.type}`).join(', ')})`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}
