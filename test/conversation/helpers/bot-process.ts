import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

// The bot as `npm start` runs it (`node dist/src/index.js`), in its own process, so a test can kill -9 it. Given the
// env of a sandbox the test started (`sb.env`), it talks to that sandbox and starts none of its own.

const CLI = join(__dirname, '..', '..', '..', 'dist', 'src', 'index.js');

export interface BotProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** The JSON log lines the bot wrote on stderr so far (non-JSON lines, such as the sandbox banner, are skipped). */
  logs: { msg: string; time: string; [k: string]: unknown }[];
  stderr(): string;
  exited: Promise<number | null>;
  /** POSTs an activity to its /api/messages. */
  post(body: Record<string, unknown>): Promise<{ status: number; body: any }>;
  /** SIGKILL (no clean-up, no lease release) or SIGTERM (a clean stop), and waits for the exit. */
  kill(signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** Spawns the bot and resolves once /healthz answers (or rejects if it exits first). */
export async function startBotProcess(env: Record<string, string>, options: { port?: number; logLevel?: string; waitHealthy?: boolean } = {}): Promise<BotProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [CLI], {
    env: { PATH: process.env.PATH, PORT: String(port), LOG_LEVEL: options.logLevel ?? 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let buf = '';
  const logs: BotProcess['logs'] = [];
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    buf += d;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.startsWith('{')) {
        try {
          logs.push(JSON.parse(line));
        } catch {
          /* a partial or foreign line */
        }
      }
    }
  });
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  const url = `http://127.0.0.1:${port}`;
  const bot: BotProcess = {
    child,
    port,
    url,
    logs,
    stderr: () => stderr,
    exited,
    post: async (body) => {
      const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  if (options.waitHealthy === false) return bot;
  for (let i = 0; i < 200; i++) {
    if (await fetch(`${url}/healthz`).then((r) => r.ok).catch(() => false)) return bot;
    if (child.exitCode !== null) throw new Error(`the bot exited with ${child.exitCode}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the bot did not listen on ${port}: ${stderr}`);
}
