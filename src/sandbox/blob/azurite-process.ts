import { spawn, type ChildProcess } from 'node:child_process';

// Azurite's blob server as a child process. The child runs behind a tiny launcher that exits as soon as its
// stdin closes, so even a parent killed with SIGKILL (no handler runs) leaves no Azurite behind: the pipe closes
// with the parent. Signal and exit hooks below cover the orderly cases faster.

export interface AzuriteProcess {
  /** `http://127.0.0.1:<port>`, Azurite itself (the public blob endpoint is the fault proxy in front of it). */
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const LAUNCHER = [
  "const main = process.argv[1];",
  "process.argv = [process.argv[0], main, ...process.argv.slice(2)];",
  "const bye = () => process.exit(0);",
  "process.stdin.on('end', bye); process.stdin.on('error', bye); process.stdin.on('close', bye); process.stdin.resume();",
  "process.on('SIGTERM', bye); process.on('SIGINT', bye);",
  "require(main);",
].join('\n');

const READY = /successfully listens on (http:\/\/127\.0\.0\.1:(\d+))/;
const START_TIMEOUT_MS = 20000;

export interface AzuriteOptions {
  /** `name:key;name:key`: every storage account Azurite will accept (it reads the list once). */
  accounts: string;
  log: (line: string) => void;
}

export async function startAzurite(opts: AzuriteOptions): Promise<AzuriteProcess> {
  const main = require.resolve('azurite/dist/src/blob/main.js');
  const args = [
    '-e', LAUNCHER, main,
    '--blobHost', '127.0.0.1', '--blobPort', '0',
    '--skipApiVersionCheck', '--disableTelemetry', '--disableProductStyleUrl', '--inMemoryPersistence', '--silent',
  ];
  const child = spawn(process.execPath, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, AZURITE_ACCOUNTS: opts.accounts },
    windowsHide: true,
  });
  const unhook = hookParentExit(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000);
  });
  let url: string;
  try {
    url = await waitForReady(child, () => stderr);
  } catch (e) {
    child.kill('SIGKILL');
    unhook();
    throw e;
  }
  // Keep draining output so a chatty Azurite never blocks on a full pipe.
  child.stdout!.resume();
  let stopping: Promise<void> | undefined;
  return {
    url,
    pid: child.pid!,
    stop: () => {
      stopping ??= stopChild(child).finally(unhook);
      return stopping;
    },
  };
}

function waitForReady(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`Azurite did not start within ${START_TIMEOUT_MS} ms. ${stderr()}`)), START_TIMEOUT_MS);
    const onData = (d: Buffer) => {
      out += d.toString('utf8');
      const m = READY.exec(out);
      if (m) {
        cleanup();
        resolve(m[1]);
      }
    };
    const onExit = (code: number | null) => fail(new Error(`Azurite exited during start-up (code ${code}). ${stderr()}`));
    const fail = (e: Error) => {
      cleanup();
      reject(e);
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
    child.stdin?.end();
  });
}

/**
 * Kills the child when this process exits or is told to stop. A signal handler would otherwise swallow the
 * signal, so when ours is the only listener the signal is raised again after the child is gone.
 */
function hookParentExit(child: ChildProcess): () => void {
  const killNow = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const onSignal = (signal: NodeJS.Signals) => {
    killNow();
    unhook();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.on('exit', killNow);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const unhook = () => {
    process.off('exit', killNow);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  return unhook;
}
