import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAzureGateways, type AzureGateways } from '../../src/azure';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig, type AppConfig } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { ALL_SCENARIOS } from '../../src/sandbox/scenarios';
import type { ScenarioInfo } from '../../src/sandbox/contract';
import { scenarioInfo } from '../../src/sandbox/seed';
import type { SayReply, SayRequest } from './driver-process';
import { startSandboxProcess, treeCpuMs, type SandboxProcess } from './sandbox-process';

// The bot as `npm start` runs it against a sandbox started by `aib-chatops sandbox` in another process (default
// configuration: 1 MiB tail, production retry and polling settings, big logs seeded); the people asking and the
// Teams connector (a capture server) in a third process (driver-process.ts); and a second set of gateways built
// from the same target for the baseline: the Azure calls alone, without the bot around them. With the sandbox and
// the driver out of this process, this process's CPU, event loop and memory are the bot's.

export interface BotUnderTest {
  app: RunningApp;
  config: AppConfig;
  /** Gateways of their own, same target and options as the bot's: the baseline's direct calls. */
  gateways: AzureGateways;
  sandbox: SandboxProcess;
  /** CPU milliseconds used so far by the driver process (the client and the capture server); null without /proc. */
  driverCpuMs(): number | null;
  /** The seeded templates, as the sandbox process seeded them. */
  scenarios: ScenarioInfo[];
  /** Sends "why did template X fail" in a new conversation; resolves when the first card arrives. */
  ask(name: string, options?: SayOptions): Promise<Answer>;
  /** Sends `text` as typed (or pasted) in a new conversation; resolves when the first card (or, with
   * `anyReply`, the first message of any kind) arrives. */
  say(text: string, options?: SayOptions): Promise<Answer>;
  stop(): Promise<void>;
}

export interface SayOptions {
  waitForUpdate?: boolean;
  timeoutMs?: number;
  anyReply?: boolean;
}

export interface Answer {
  conversationId: string;
  status: number;
  /** Milliseconds from sending the POST to the first card reaching the capture server. */
  firstCardMs: number;
  /** Milliseconds from sending the POST to the card's update (the full-scan answer), when one was awaited. */
  updateMs?: number;
  firstDiagnosisId?: string;
  /** False when the first reply was plain text (only possible with `anyReply`). */
  firstWasCard?: boolean;
  updateDiagnosisId?: string;
}

export async function startBotUnderTest(log: (m: string) => void): Promise<BotUnderTest> {
  const started = performance.now();
  const sandbox = await startSandboxProcess(log);
  log(`conversation: sandbox up and seeded (big logs included) in ${Math.round(performance.now() - started)} ms`);
  let driver: Driver | undefined;
  try {
    driver = await startDriver();
    log(`conversation: driver process ${driver.pid} ready (client and capture server)`);
    // PORT 1 only satisfies the schema; the app listens on an ephemeral port. The sandbox's env makes it external.
    const config = loadConfig({ PORT: '1', LOG_LEVEL: 'error', ...sandbox.info.env });
    const app = await startApp({ ...config, port: 0 }, { logger: silentLogger, host: '127.0.0.1' });
    if (app.sandbox) throw new Error('bench: the app started an embedded sandbox instead of using the sandbox process');
    const d = driver;
    const say: BotUnderTest['say'] = (text, options = {}) => d.say({ botUrl: app.url, text, options });
    return {
      app,
      config,
      gateways: createAzureGateways(config.azure),
      sandbox,
      driverCpuMs: () => treeCpuMs(d.pid),
      scenarios: ALL_SCENARIOS.map(scenarioInfo),
      say,
      ask: (name, options) => say(`why did template ${name} fail`, options),
      stop: async () => {
        await app.idle();
        await app.stop();
        await d.stop();
        await sandbox.stop();
      },
    };
  } catch (e) {
    await driver?.stop();
    await sandbox.stop();
    throw e;
  }
}

interface Driver {
  pid: number;
  say(request: Omit<SayRequest, 'id'>): Promise<Answer>;
  stop(): Promise<void>;
}

const DRIVER = path.join(__dirname, 'driver-process.js');

async function startDriver(): Promise<Driver> {
  // 'advanced' keeps NaN and undefined in the answers as they are.
  const child: ChildProcess = fork(DRIVER, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve(a: Answer): void; reject(e: Error): void }>();
  let next = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench: the driver process exited (${code}) before it was ready`)));
  });
  child.on('message', (m: SayReply) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if ('answer' in m) p.resolve(m.answer);
    else p.reject(new Error(m.error));
  });
  child.once('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`bench: the driver process exited (${code})`));
    pending.clear();
  });
  return {
    pid: child.pid!,
    say: (request) =>
      new Promise<Answer>((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        child.send({ ...request, id } satisfies SayRequest);
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.disconnect();
      await exited;
    },
  };
}

/** Reads a whole async iterable of chunks, returning the byte count (the baseline reads what the bot reads). */
export async function drain(chunks: AsyncIterable<Buffer>): Promise<number> {
  let n = 0;
  for await (const c of chunks) n += c.length;
  return n;
}
