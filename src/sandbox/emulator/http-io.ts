import type { IncomingMessage, ServerResponse } from 'node:http';
import { newGuid } from '../ids';
import { ArmError, armErrors } from './arm-errors';

// Request/response plumbing shared by every ARM handler.

const MAX_BODY_BYTES = 1024 * 1024;

export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY_BYTES) throw new ArmError(413, 'RequestEntityTooLarge', 'The request content is larger than the sandbox accepts (1 MiB).');
    chunks.push(b);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw armErrors.badJson((e as Error).message);
  }
}

/** Headers ARM puts on every answer; the correlation id follows the caller's when it sent one. */
export function armHeaders(req: IncomingMessage): Record<string, string> {
  const correlation = headerValue(req, 'x-ms-correlation-request-id') ?? newGuid();
  const headers: Record<string, string> = {
    'x-ms-request-id': newGuid(),
    'x-ms-correlation-request-id': correlation,
    'cache-control': 'no-cache',
  };
  const clientRequestId = headerValue(req, 'x-ms-client-request-id');
  if (clientRequestId) headers['x-ms-client-request-id'] = clientRequestId;
  return headers;
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}
