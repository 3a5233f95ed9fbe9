import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

// Spawning `aib-chatops sandbox` from the TypeScript sources and looking at what it leaves behind.

const ROOT = resolve(__dirname, '../../..');

export interface SpawnedCli {
  child: ChildProcess;
  /** The first stdout line, parsed. */
  firstLine: Promise<any>;
  stderr: () => string;
  exited: Promise<number | null>;
}

export function spawnSandboxCli(args: string[]): SpawnedCli {
  const child = spawn(process.execPath, ['-r', resolve(__dirname, 'ts-register.js'), resolve(ROOT, 'src/cli.ts'), 'sandbox', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'development' },
  });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  const firstLine = new Promise<any>((res, rej) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) res(JSON.parse(out.slice(0, nl)));
    });
    exited.then((code) => rej(new Error(`sandbox exited (${code}) before printing its line: ${err}`)));
  });
  firstLine.catch(() => undefined);
  return { child, firstLine, stderr: () => err, exited };
}

interface Proc {
  pid: number;
  ppid: number;
  stat: string;
  args: string;
}

export function processes(): Proc[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,stat=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), stat: m[3], args: m[4] }));
}

/** Azurite processes started by `parentPid` (the launcher names azurite's blob main.js in its arguments). */
export function azuriteChildrenOf(parentPid: number): Proc[] {
  return processes().filter((p) => p.ppid === parentPid && p.args.includes('azurite'));
}

/** Alive means listed and not a zombie (a zombie has exited and only waits for its parent to collect it). */
export function isAlive(pid: number): boolean {
  return processes().some((p) => p.pid === pid && !p.stat.startsWith('Z'));
}
