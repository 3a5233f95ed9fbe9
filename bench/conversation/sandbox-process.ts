import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// The sandbox (ARM emulator + Azurite, big logs seeded) as `npx aib-chatops sandbox` runs it: in a process of its
// own, so that the bot's figures — CPU per conversation, event-loop delay, RSS — are the bot's alone, as they would
// be against Azure. Its own CPU (and Azurite's, a child of it) is read from /proc for the record.

const CLI = path.join(__dirname, '..', '..', 'src', 'cli.js');
const START_TIMEOUT_MS = 300000;

export interface SandboxProcess {
  pid: number;
  /** What `aib-chatops sandbox` prints: endpoints and the `env` that points a bot at it. */
  info: { armEndpoint: string; blobEndpoint: string; subscriptionId: string; resourceGroup: string; env: Record<string, string> };
  /** CPU milliseconds used so far by the sandbox process and its descendants (Azurite); null without /proc. */
  cpuMs(): number | null;
  stop(): Promise<void>;
}

export class SandboxProcessError extends Error {
  readonly code = 'bench-sandbox-process';
}

// Linux's USER_HZ: /proc/<pid>/stat counts CPU in these ticks. 100 on every mainstream kernel configuration.
const TICKS_PER_S = 100;

function ownTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of the whole line)
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** CPU milliseconds used so far by `pid` and its descendants; null where /proc cannot be read. */
export function treeCpuMs(pid: number): number | null {
  try {
    let ticks = 0;
    const pending = [pid];
    while (pending.length > 0) {
      const p = pending.pop()!;
      ticks += ownTicks(p);
      pending.push(...childrenOf(p));
    }
    return (ticks / TICKS_PER_S) * 1000;
  } catch {
    return null;
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts the sandbox and resolves once it has printed its endpoints and finished seeding (big logs included). */
export async function startSandboxProcess(log: (m: string) => void): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [CLI, 'sandbox'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'development' } });
  let out = '';
  let err = '';
  const stop = async () => {
    const gone = exited(child);
    child.kill('SIGTERM');
    const late = setTimeout(() => child.kill('SIGKILL'), 10000);
    await gone;
    clearTimeout(late);
  };
  try {
    const info = await new Promise<SandboxProcess['info']>((resolve, reject) => {
      let parsed: SandboxProcess['info'] | undefined;
      const timer = setTimeout(() => reject(new SandboxProcessError(`the sandbox was not seeded within ${START_TIMEOUT_MS} ms:\n${err}`)), START_TIMEOUT_MS);
      const settle = () => {
        if (parsed && /seeding done/.test(err)) {
          clearTimeout(timer);
          resolve(parsed);
        }
      };
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const nl = out.indexOf('\n');
        if (!parsed && nl >= 0) parsed = JSON.parse(out.slice(0, nl)) as SandboxProcess['info'];
        settle();
      });
      child.stderr!.setEncoding('utf8').on('data', (d: string) => {
        err += d;
        if (/seeding failed/.test(err)) reject(new SandboxProcessError(`the sandbox could not seed its logs:\n${err}`));
        settle();
      });
      child.once('error', (e) => reject(new SandboxProcessError(`the sandbox could not be spawned: ${e.message}`)));
      child.once('exit', (code, signal) => reject(new SandboxProcessError(`the sandbox exited (${code ?? signal}) before it was ready:\n${err}`)));
    });
    log(`conversation: sandbox process ${child.pid} ready (${info.armEndpoint})`);
    return { pid: child.pid!, info, cpuMs: () => treeCpuMs(child.pid!), stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
