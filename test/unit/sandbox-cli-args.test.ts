import { parseSandboxArgs, SandboxUsageError } from '../../src/sandbox/cli-command';

// `aib-chatops sandbox` flags, parsed by node:util parseArgs: what each flag sets, and the message a person gets
// for each kind of mistake.

function usageError(argv: string[]): SandboxUsageError {
  try {
    parseSandboxArgs(argv);
  } catch (e) {
    if (e instanceof SandboxUsageError) return e;
    throw e;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}

test('defaults: the 200 MB log on, any free port, the configured step time', () => {
  expect(parseSandboxArgs([])).toEqual({ bigLog: true, port: 0, stepMs: undefined });
});

test('every flag, in either spelling of a value', () => {
  expect(parseSandboxArgs(['--no-big-log', '--step-ms', '50', '--port=8123'])).toEqual({ bigLog: false, port: 8123, stepMs: 50 });
});

test.each([
  [['--step-ms', 'soon'], '--step-ms needs a whole number ≥ 1'],
  [['--step-ms', '0'], '--step-ms needs a whole number ≥ 1'],
  [['--port', '-1'], "--port"],
  [['--port', '70000'], '--port must be at most 65535'],
  [['--port', '1.5'], '--port needs a whole number ≥ 0'],
  [['--port'], "Option '--port <value>' argument missing"],
  [['--big'], "Unknown option '--big'"],
  [['extra'], "Unexpected argument 'extra'"],
  [['--no-big-log=yes'], "'--no-big-log' does not take an argument"],
])('%j is refused: %s', (argv, message) => {
  const err = usageError(argv);
  expect(err.code).toBe('SANDBOX_USAGE');
  expect(err.message).toContain(message);
  expect(err.message.split('\n')).toHaveLength(1);
});
