#!/usr/bin/env node
import { runDiagnoseCommand, type CliIO } from './cli/diagnose-command';
import { UsageError } from './cli/usage-error';
import type { LiveDiagnose } from './cli/diagnose-command';

// The Azure SDKs load only when a live diagnosis needs them: file diagnoses start faster without them.
const liveDiagnose: LiveDiagnose = async (args, io) => (await import('./cli/live-diagnose')).liveDiagnose(args, io);

// `aib-chatops <command>`: the terminal face of the same use cases the bot runs.

const HELP = `Usage:
  aib-chatops diagnose [--template FILE|-] [--log FILE|-] [--text FILE|-] [--locale L] [--json]
  aib-chatops diagnose --resource-group R --name N [--subscription S] [--locale L] [--json]
  aib-chatops sandbox [--step-ms N] [--no-big-log] [--port N]
  aib-chatops audit [--since DATE] [--limit N] [--json]
  aib-chatops watch --once [--json] [--state DIR] [--window DURATION] [--all] [--resource-group R]...

diagnose   classify a failed Azure VM Image Builder build from its template JSON (az image builder show),
           its customization.log, or a pasted error; or fetch both live from Azure (or a sandbox).
sandbox    run the Image Builder emulator and Azurite; prints one JSON line with the endpoints and the
           environment that points other processes at it. Stops on Ctrl-C / SIGTERM.
audit      list what people did through the bot's card actions (who, what, when, result).
watch      one notifier pass: print each run outcome (failures; --all adds successes) not printed before;
           the cursor stays in --state DIR (default ~/.local/state/aib-chatops/watch).
`;

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'diagnose':
        return await runDiagnoseCommand(rest, io, liveDiagnose);
      case 'audit': {
        const { runAuditCommand } = await import('./cli/audit-command');
        return await runAuditCommand(rest, io);
      }
      case 'watch':
        return await (await import('./cli/watch-command')).runWatchCommand(rest, io);
      case 'sandbox': {
        const { runSandboxCommand } = await import('./sandbox/cli-command');
        return await runSandboxCommand(rest);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}" (try: aib-chatops --help)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`aib-chatops: ${e.message}\n`);
      return 2;
    }
    io.stderr.write(`aib-chatops: ${(e as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
  );
}
