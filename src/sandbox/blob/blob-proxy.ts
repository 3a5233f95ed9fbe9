import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, listen } from '../emulator/arm-server';
import { defaultFaultCode, defaultFaultMessage, sleep, type FaultBook } from '../faults';
import { newGuid } from '../ids';

// The public blob endpoint: a pass-through proxy to Azurite that can answer with Storage-shaped errors, add
// latency or drop the connection first, so tests can see what a 403 or a dead socket does to the log reader.

export interface BlobProxy {
  endpoint: string;
  close(): Promise<void>;
}

export async function startBlobProxy(target: URL, faults: FaultBook, log: (line: string) => void): Promise<BlobProxy> {
  const server = createServer((req, res) => {
    handle(target, faults, req, res).catch((e: unknown) => {
      log(`sandbox: blob proxy failed: ${(e as Error).message}`);
      if (!res.headersSent) {
        res.writeHead(502);
        res.end();
      } else res.destroy();
    });
  });
  await listen(server, 0);
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}

async function handle(target: URL, faults: FaultBook, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  const rule = faults.take('blob', method, path);
  if (rule?.latencyMs) await sleep(rule.latencyMs);
  if (rule?.drop) {
    req.socket.destroy();
    return;
  }
  if (rule?.status) {
    sendStorageError(res, method, rule.status, rule.code ?? defaultFaultCode('blob', rule.status), rule.retryAfterSeconds);
    req.resume();
    return;
  }
  await forward(target, req, res);
}

function forward(target: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        up.on('end', resolve);
        up.on('error', reject);
      },
    );
    upstream.on('error', reject);
    // A client that gives up mid-transfer must not leave the upstream request running.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
}

function sendStorageError(res: ServerResponse, method: string, status: number, code: string, retryAfter?: number): void {
  const requestId = newGuid();
  const message = `${defaultFaultMessage('blob', status)}\nRequestId:${requestId}\nTime:${new Date().toISOString()}`;
  const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  const headers: Record<string, string> = {
    'x-ms-request-id': requestId,
    'x-ms-error-code': code,
    'x-ms-version': '2025-01-05',
    'content-type': 'application/xml',
  };
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  if (method === 'HEAD') {
    // Never chain on writeHead: restify (loaded in the same process when the bot embeds the sandbox) replaces
    // ServerResponse#writeHead with a version that returns undefined.
    res.writeHead(status, { ...headers, 'content-length': '0' });
    res.end();
    return;
  }
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(xml)) });
  res.end(xml);
}
