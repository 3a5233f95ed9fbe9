import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { synthesizeLog, type SynthFailure } from '../../src/sandbox/log';

// The benchmark logs: a Linux build whose telemetry, SSH retries and apt noise come from the sandbox's synthesizer,
// with a file download failing halfway (a customizer that failed but let the build go on) and the build failing
// for good near the end, where only a reader that goes through the whole log, or starts at the tail, finds it.

const FAILURES: SynthFailure[] = [
  {
    atFraction: 0.5,
    customizer: 'file',
    lines: [
      '==> azure-arm: Downloading external file https://stimagingartifacts.blob.core.windows.net/artifacts/linux/agent-3.236.1.tar.gz failed',
      '    azure-arm: curl: (22) The requested URL returned error: 404',
    ],
  },
  {
    atFraction: 0.97,
    customizer: 'shell',
    lines: [
      '    azure-arm: E: Unable to locate package contoso-edr-agent',
      '==> azure-arm: Script exited with non-zero exit status: 100. Allowed exit codes are: [0]',
      "Build 'azure-arm' errored after 2 hours 41 minutes: Script exited with non-zero exit status: 100. Allowed exit codes are: [0]",
      "==> Some builds didn't complete successfully and had errors:",
    ],
  },
];

/** Writes a synthetic customization.log of about `bytes` to `file`; the same bytes for the same size every time. */
export async function writeSyntheticLog(file: string, bytes: number): Promise<void> {
  await pipeline(Readable.from(synthesizeLog({ os: 'linux', targetBytes: bytes, seed: 7, failures: FAILURES })), createWriteStream(file));
}

/** Reads the file once so both contenders find it in the page cache. */
export async function warmPageCache(file: string): Promise<void> {
  for await (const _chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    // the read is the point
  }
}
