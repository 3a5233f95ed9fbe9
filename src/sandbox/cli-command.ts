import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { startSandbox } from './index';

// `aib-chatops sandbox`: the emulator and Azurite as a foreground process for demos and for other processes
// (`npm start`, `aib-chatops diagnose`) to point at through the environment it prints.

export interface SandboxArgs {
  stepMs?: number;
  bigLog: boolean;
  port: number;
}

export class SandboxUsageError extends Error {
  readonly code = 'SANDBOX_USAGE';
}

const USAGE = 'sandbox takes --step-ms N, --no-big-log, --port N';

function wholeNumber(flag: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min) throw new SandboxUsageError(`${flag} needs a whole number ≥ ${min}`);
  if (n > max) throw new SandboxUsageError(`${flag} must be at most ${max}`);
  return n;
}

/** `aib-chatops sandbox` arguments; a usage mistake is a SandboxUsageError naming the flag. */
export function parseSandboxArgs(argv: string[]): SandboxArgs {
  let values: { 'step-ms'?: string; 'no-big-log'?: boolean; port?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { 'step-ms': { type: 'string' }, 'no-big-log': { type: 'boolean' }, port: { type: 'string' } },
    }));
  } catch (e) {
    // node:util's first line names the option ("Unknown option '--x'", "Option '--port <value>' argument missing");
    // the lines after it explain `--` escaping, which this command never needs.
    throw new SandboxUsageError(`${(e as Error).message.split('\n')[0]} (${USAGE})`);
  }
  return {
    stepMs: values['step-ms'] === undefined ? undefined : wholeNumber('--step-ms', values['step-ms'], 1),
    bigLog: values['no-big-log'] !== true,
    port: values.port === undefined ? 0 : wholeNumber('--port', values.port, 0, 65535),
  };
}

export async function runSandboxCommand(argv: string[]): Promise<number> {
  let args: SandboxArgs;
  let stepMs: number;
  try {
    args = parseSandboxArgs(argv);
    stepMs = args.stepMs ?? loadConfig().sandboxStepMs;
  } catch (e) {
    process.stderr.write(`aib-chatops sandbox: ${(e as Error).message}\n`);
    return 2;
  }
  const sandbox = await startSandbox({
    stepMs,
    bigLog: args.bigLog,
    port: args.port,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const stopped = new Promise<void>((resolve) => {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      sandbox.stop().then(resolve, resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  process.stdout.write(
    JSON.stringify({
      armEndpoint: sandbox.armEndpoint,
      blobEndpoint: sandbox.blobEndpoint,
      subscriptionId: sandbox.subscriptionId,
      resourceGroup: sandbox.resourceGroup,
      env: sandbox.env,
    }) + '\n',
  );
  sandbox.ready.then(
    () => process.stderr.write(`aib-chatops sandbox: seeding done (${sandbox.scenarios.length} templates${args.bigLog ? ', 200 MB log included' : ''})\n`),
    () => undefined,
  );
  await stopped;
  return 0;
}
