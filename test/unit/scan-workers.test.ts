import { LogScanner, scanLog } from '../../src/diagnosis';
import { synthesizeLog } from '../../src/sandbox/log';
import { ScanWorkers, ScanWorkerError } from '../../src/usecases/scan-workers';

// The bot's full scans run in worker threads (issue 15: the event loop stays free while a 200 MB log is read).
// These tests use the compiled worker in dist/ (npm test builds first).

async function synthesized(bytes: number): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const c of synthesizeLog({ os: 'windows', targetBytes: bytes, seed: 11, failures: [{ atFraction: 0.7, lines: ['==> azure-arm: Script exited with non-zero exit status: 1. Allowed exit codes are: [0]'] }] })) {
    chunks.push(c);
  }
  return chunks;
}

async function* from(chunks: Buffer[]): AsyncGenerator<Buffer> {
  yield* chunks;
}

/** Chunks that arrive only when `open()` is called: a download that has not started. */
function held(): { chunks: AsyncIterable<Buffer>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return {
    open,
    chunks: (async function* () {
      await opened;
      yield Buffer.from('line\n');
    })(),
  };
}

let workers: ScanWorkers;
beforeAll(() => {
  workers = new ScanWorkers({ size: 2 });
});
afterAll(async () => {
  await workers.close();
});

test('the compiled worker is there: scans do run in threads', () => {
  expect(workers.threaded).toBe(true);
});

test('a worker finds what a scan on this thread finds, and this thread scans nothing', async () => {
  const chunks = await synthesized(3 * 1024 * 1024);
  const here = await scanLog(from(chunks));
  const push = jest.spyOn(LogScanner.prototype, 'push');
  try {
    const there = await workers.scan(from(chunks));
    expect(push).not.toHaveBeenCalled();
    expect(there).toEqual(here);
    expect(there.hits.map((h) => h.entryId)).toContain('customizer-failed');
  } finally {
    push.mockRestore();
  }
});

test('chunks that are views into a larger buffer arrive as exactly their bytes', async () => {
  const whole = Buffer.from('aaaa\n==> azure-arm: Script exited with non-zero exit status: 2\nbbbb\n');
  const views = [whole.subarray(0, 10), whole.subarray(10, 40), whole.subarray(40)];
  expect(await workers.scan(from(views))).toEqual(await scanLog(from([whole])));
});

test('scans beyond the queue bound are refused with a typed error, and the others still finish', async () => {
  const small = new ScanWorkers({ size: 1, maxQueued: 1 });
  try {
    const a = held();
    const b = held();
    const running = small.scan(a.chunks);
    const waiting = small.scan(b.chunks);
    const refused = small.scan(held().chunks);
    await expect(refused).rejects.toBeInstanceOf(ScanWorkerError);
    await expect(refused).rejects.toMatchObject({ code: 'scan-queue-full' });
    a.open();
    b.open();
    expect((await running).lines).toBe(1);
    expect((await waiting).lines).toBe(1);
  } finally {
    await small.close();
  }
});

test('a download that fails mid-scan rejects that scan only; the pool goes on', async () => {
  async function* broken(): AsyncGenerator<Buffer> {
    yield Buffer.from('first line\n');
    throw new Error('connection reset');
  }
  await expect(workers.scan(broken())).rejects.toThrow('connection reset');
  expect((await workers.scan(from([Buffer.from('one\ntwo\n')]))).lines).toBe(2);
});
