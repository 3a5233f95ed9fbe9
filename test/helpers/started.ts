// One server (a bot, a harness) per describe block: started before its tests, stopped after them. The returned
// stand-in forwards to the started value, so a test file keeps writing `h.ask(…)` without a `let` and two hooks.

export interface Stoppable {
  stop(): Promise<void>;
}

/** A stand-in for whatever `read` gives at the moment of use; hooks replace the value between tests. */
export function forwardingTo<T extends object>(read: () => T | undefined, what: string): T {
  return new Proxy({} as T, {
    get(_, key) {
      const current = read();
      if (!current) throw new Error(`${what}: read of "${String(key)}" outside the suite's tests (nothing is started)`);
      const value: unknown = Reflect.get(current, key);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current) : value;
    },
  });
}

export function startedForSuite<T extends Stoppable>(start: () => Promise<T>): T {
  let current: T | undefined;
  beforeAll(async () => {
    current = await start();
  });
  afterAll(async () => {
    await current?.stop();
    current = undefined;
  });
  return forwardingTo(() => current, 'startedForSuite');
}
