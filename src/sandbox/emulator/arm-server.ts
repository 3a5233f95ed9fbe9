import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultFaultCode, defaultFaultMessage, sleep, type FaultBook } from '../faults';
import { ArmError } from './arm-errors';
import { routeArm, type ArmContext } from './arm-router';
import { armHeaders, readJsonBody, sendJson } from './http-io';

// The ARM emulator's HTTP front: fault rules first, then routing, and every answer carries ARM's request ids.

export interface ArmServer {
  endpoint: string;
  close(): Promise<void>;
}

export async function startArmServer(ctx: ArmContext, faults: FaultBook, port: number, log: (line: string) => void): Promise<ArmServer> {
  const server = createServer((req, res) => {
    handle(ctx, faults, req, res).catch((e: unknown) => {
      log(`sandbox: ARM handler crashed: ${(e as Error).stack ?? String(e)}`);
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'InternalServerError', message: 'The sandbox failed to handle the request.' } }, armHeaders(req));
      else res.destroy();
    });
  });
  await listen(server, port);
  const { port: actual } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${actual}`,
    close: () => closeServer(server),
  };
}

async function handle(ctx: ArmContext, faults: FaultBook, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const headers = armHeaders(req);
  const rule = faults.take('arm', method, url.pathname);
  if (rule?.latencyMs) await sleep(rule.latencyMs);
  if (rule?.drop) {
    req.socket.destroy();
    return;
  }
  if (rule?.status) {
    const extra: Record<string, string> = { ...headers };
    if (rule.retryAfterSeconds !== undefined) extra['retry-after'] = String(rule.retryAfterSeconds);
    const code = rule.code ?? defaultFaultCode('arm', rule.status);
    sendJson(res, rule.status, { error: { code, message: defaultFaultMessage('arm', rule.status, method, url.pathname) } }, extra);
    return;
  }
  try {
    const reply = await routeArm(ctx, {
      method,
      url,
      base: `http://${req.headers.host ?? '127.0.0.1'}`,
      body: () => readJsonBody(req),
    });
    sendJson(res, reply.status, reply.body, { ...headers, ...(reply.headers ?? {}) });
  } catch (e) {
    if (!(e instanceof ArmError)) throw e;
    sendJson(res, e.status, e.body(), { ...headers, ...e.headers });
  }
}

export function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets would hold close() open until they time out.
    server.closeAllConnections();
  });
}
