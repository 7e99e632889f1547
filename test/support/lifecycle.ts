/**
 * Something a group of tests shares (a harness, a simulator): `start` runs in `beforeAll`, `stop` in
 * `afterAll`, `reset` in `beforeEach`, all in the enclosing `describe` (or file). The handle returned
 * reads through to the running thing at the time of each read, so it is valid inside hooks and tests,
 * and throws if read where `describe`'s body runs (nothing is running yet).
 */
export function useRunning<T extends object>(
  name: string,
  lifecycle: { start(): Promise<T>; stop(running: T): Promise<void>; reset(running: T): void },
): T {
  let running: T | undefined;
  const current = (): T => {
    if (!running) throw new Error(`${name}(): not running here; its handle works inside hooks and tests (it starts in beforeAll)`);
    return running;
  };
  beforeAll(async () => {
    running = await lifecycle.start();
  });
  afterAll(async () => {
    if (running) await lifecycle.stop(running);
    running = undefined;
  });
  beforeEach(() => lifecycle.reset(current()));
  return new Proxy({} as T, {
    get(_, key) {
      const object = current();
      const value: unknown = Reflect.get(object, key);
      return typeof value === 'function' ? value.bind(object) : value;
    },
    has: (_, key) => Reflect.has(current(), key),
    set() {
      throw new Error(`${name}(): the handle is read-only`);
    },
  });
}
