import { loadConfig } from '../config';
import { startSandbox } from './index';

// `aib-chatops sandbox`: the emulator and Azurite as a foreground process for demos and for other processes
// (`npm start`, `aib-chatops diagnose`) to point at through the environment it prints.

interface SandboxArgs {
  stepMs?: number;
  bigLog: boolean;
  port: number;
}

class SandboxUsageError extends Error {}

function parseArgs(argv: string[]): SandboxArgs {
  const args: SandboxArgs = { bigLog: true, port: 0 };
  const wholeNumber = (flag: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < min) throw new SandboxUsageError(`${flag} needs a whole number ≥ ${min}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--step-ms':
        args.stepMs = wholeNumber(a, argv[++i], 1);
        break;
      case '--no-big-log':
        args.bigLog = false;
        break;
      case '--port':
        args.port = wholeNumber(a, argv[++i], 0);
        if (args.port > 65535) throw new SandboxUsageError('--port must be at most 65535');
        break;
      default:
        throw new SandboxUsageError(`unknown option "${a}" (sandbox takes --step-ms N, --no-big-log, --port N)`);
    }
  }
  return args;
}

export async function runSandboxCommand(argv: string[]): Promise<number> {
  let args: SandboxArgs;
  let stepMs: number;
  try {
    args = parseArgs(argv);
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
