import { PassThrough } from 'node:stream';

// CLI commands take their streams as arguments; a test hands them these and reads back what was written.

export interface CommandStreams {
  stdin: PassThrough;
  stdout: PassThrough;
  stderr: PassThrough;
}

/** Runs `command` on fresh in-memory streams (stdin stays empty) and returns its exit code with all it printed. */
export async function runOnStreams(command: (io: CommandStreams) => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const io: CommandStreams = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() };
  let out = '';
  let err = '';
  io.stdout.on('data', (d) => (out += d));
  io.stderr.on('data', (d) => (err += d));
  const code = await command(io);
  return { code, out, err };
}
