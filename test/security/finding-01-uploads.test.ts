import { request } from 'node:http';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { MAX_BODY_BYTES } from '../../src/server';
import { startCaptureServer } from '../conversation/helpers/capture-server';
import { messageActivity, startSecurityBot } from './helpers/bot';
import { startedForSuite } from '../helpers/started';

// Finding 1: restify's bodyParser parsed multipart/form-data before the token check, so a 5 MB multipart POST
// without a token answered 500 and left its upload_* file in the temp directory for good. The attack is repeated
// against the running bot with token checks on and off; every refusal says what the endpoint takes.

const FIVE_MB = 5 * 1024 * 1024;

function multipart(bytes: number): { body: Buffer; contentType: string } {
  const boundary = '----finding01';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="fill.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: Buffer.concat([head, Buffer.alloc(bytes, 0x41), tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}

const uploads = () => readdirSync(tmpdir()).filter((f) => f.startsWith('upload_'));

async function post(url: string, body: Buffer | string, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** A body sent in chunks with no Content-Length: the cap must hold while the bytes stream in. */
function postChunked(url: string, total: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    req.write('{"type":"message","text":"');
    pump();
  });
}

describe('finding 1: unauthenticated uploads no longer fill the disk', () => {
  describe('token checks on (MicrosoftAppId set)', () => {
    const bot = startedForSuite(() => startSecurityBot({ MicrosoftAppId: '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f' }, { host: '127.0.0.1' }));

    test('a 5 MB multipart POST without a token gets 401 before any body work, and leaves no file', async () => {
      const before = uploads();
      const { body, contentType } = multipart(FIVE_MB);
      const res = await post(bot.app.url, body, { 'content-type': contentType });
      expect(res.status).toBe(401);
      expect(res.body.error).toEqual({ code: 'unauthenticated', message: expect.stringMatching(/Authorization: Bearer/) });
      expect(uploads().filter((f) => !before.includes(f))).toEqual([]);
    });

    test('with some token, multipart is refused as the wrong media type (415), still without a file', async () => {
      const before = uploads();
      const { body, contentType } = multipart(64 * 1024);
      const res = await post(bot.app.url, body, { 'content-type': contentType, authorization: 'Bearer not-checked-yet' });
      expect(res.status).toBe(415);
      expect(res.body.error.message).toMatch(/application\/json/);
      expect(uploads().filter((f) => !before.includes(f))).toEqual([]);
    });

    test('a 5 MB JSON body is refused by its size (413) before it is parsed', async () => {
      const res = await post(bot.app.url, JSON.stringify({ type: 'message', text: 'x'.repeat(FIVE_MB) }), {
        'content-type': 'application/json',
        authorization: 'Bearer not-checked-yet',
      });
      expect(res.status).toBe(413);
      expect(res.body.error).toEqual({ code: 'body-too-large', message: expect.stringMatching(/over 256 KiB/) });
    });
  });

  describe('token checks off (local sandbox)', () => {
    const bot = startedForSuite(() => startSecurityBot());

    test('a 5 MB multipart POST is refused (415) and leaves no file', async () => {
      const before = uploads();
      const { body, contentType } = multipart(FIVE_MB);
      const res = await post(bot.app.url, body, { 'content-type': contentType });
      expect(res.status).toBe(415);
      expect(uploads().filter((f) => !before.includes(f))).toEqual([]);
    });

    test('a chunked body without Content-Length is cut off at the cap (413)', async () => {
      expect(await postChunked(bot.app.url, 4 * MAX_BODY_BYTES)).toBe(413);
    });

    test('the cap leaves room for real activities: a 40 kB paste is accepted and answered', async () => {
      const capture = await startCaptureServer();
      try {
        const act = messageActivity(capture.serviceUrl, `error: ${'y'.repeat(40_000)}`);
        const res = await fetch(`${bot.app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(act) });
        expect(res.status).toBeLessThan(300);
        await capture.waitFor((c) => c.method === 'POST');
        await bot.app.idle();
      } finally {
        await capture.close();
      }
    });

    test('a body that is not JSON gets a 400 that says what is expected', async () => {
      const res = await post(bot.app.url, '{"type":', { 'content-type': 'application/json' });
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual({ code: 'invalid-json', message: expect.stringMatching(/Bot Framework activity/) });
    });

    test('HEAD /api/messages is answered without a warning in the log', async () => {
      const seen = bot.lines.length;
      const res = await fetch(`${bot.app.url}/api/messages`, { method: 'HEAD' });
      expect(res.status).toBe(200);
      expect(bot.lines.slice(seen).filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
    });
  });
});
