import { ScanPool } from '../../src/usecases/scan-pool';

// Finding 9: every diagnosis of a large log started its own full scan. The pool runs one scan per template at a
// time (later askers join it) and at most `concurrency` scans in the process.

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

test('asking about the same template while its scan runs joins that scan', async () => {
  const pool = new ScanPool(2);
  const g = gate();
  let runs = 0;
  const work = async () => {
    runs++;
    await g.opened;
    return 'diagnosis';
  };
  const all = Promise.all([pool.run('t1', work), pool.run('t1', work), pool.run('t1', work)]);
  g.open();
  expect(await all).toEqual(['diagnosis', 'diagnosis', 'diagnosis']);
  expect(runs).toBe(1);
  expect(pool.size).toBe(0);
});

test('no more than `concurrency` scans run at once; the others wait their turn', async () => {
  const pool = new ScanPool(2);
  const gates = [gate(), gate(), gate(), gate()];
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const jobs = gates.map((g, i) =>
    pool.run(`t${i}`, async () => {
      started.push(i);
      running++;
      most = Math.max(most, running);
      await g.opened;
      running--;
    }),
  );
  await new Promise((r) => setImmediate(r));
  expect(started).toEqual([0, 1]);
  gates.forEach((g) => g.open());
  await Promise.all(jobs);
  expect(started).toEqual([0, 1, 2, 3]);
  expect(most).toBe(2);
});

test('a failed scan releases its slot and is not remembered', async () => {
  const pool = new ScanPool(1);
  await expect(pool.run('t', async () => Promise.reject(new Error('log gone')))).rejects.toThrow('log gone');
  expect(await pool.run('t', async () => 'again')).toBe('again');
});
