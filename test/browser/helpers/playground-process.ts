import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The Microsoft 365 Agents Playground as `npm run dev` starts it, but on a free port, in a scratch directory (it
// writes devTools/ and reads .m365agentsplayground.yml from its cwd) and in its own process group so that stopping
// it leaves no orphan behind.

const CLI = require.resolve('@microsoft/m365agentsplayground/cli.js');

export interface RunningPlayground {
  url: string;
  port: number;
  /** Everything the Playground printed so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export class PlaygroundStartError extends Error {
  readonly code = 'PLAYGROUND_START_FAILED';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* the group is already gone */
  }
}

export async function startPlayground(botEndpoint: string, options: { startTimeoutMs?: number } = {}): Promise<RunningPlayground> {
  const workDir = mkdtempSync(join(tmpdir(), 'aib-playground-'));
  const requested = await freePort();
  const child = spawn(process.execPath, [CLI, 'start', '-e', botEndpoint, '-c', 'msteams', '-p', String(requested), '--disable-telemetry'], {
    cwd: workDir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      TEAMSAPPTESTER_BROWSER: 'none',
      M365_AGENTS_PLAYGROUND_LOGFILE: join(workDir, 'playground.log'),
    },
  });
  let printed = '';
  const output = () => printed;

  const stop = async () => {
    const gone = exited(child);
    signalGroup(child, 'SIGTERM');
    const late = setTimeout(() => signalGroup(child, 'SIGKILL'), 5000);
    await gone;
    clearTimeout(late);
    // A child the CLI forked may outlive the leader: make sure the whole group is gone.
    signalGroup(child, 'SIGKILL');
    rmSync(workDir, { recursive: true, force: true });
  };

  // It prints "Listening on <port>"; the port may differ from the one asked for if that one was taken meanwhile.
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new PlaygroundStartError(`the Playground did not print "Listening on" within ${options.startTimeoutMs ?? 30000} ms:\n${printed}`)), options.startTimeoutMs ?? 30000);
    const onData = (chunk: Buffer) => {
      printed += chunk.toString();
      const m = /Listening on (\d+)/.exec(printed);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new PlaygroundStartError(`the Playground could not be spawned: ${e.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new PlaygroundStartError(`the Playground exited (${code ?? signal}) before listening:\n${printed}`));
    });
  }).catch(async (e: unknown) => {
    await stop();
    throw e;
  });

  return { url: `http://localhost:${port}`, port, output, stop };
}
