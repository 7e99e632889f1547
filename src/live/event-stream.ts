/**
 * A push-to-pull queue: the pollers push events, a transport pulls them through `for await`. Written out
 * rather than an async generator because a generator cannot be ended while it awaits: `return()` would
 * wait for the next event, and a subscriber who leaves would keep its company's poller running until
 * then. Here `return()` ends the stream at once and runs `onEnd` (which leaves the poller).
 *
 * `end()` lets events already pushed be read first (commerceSyncProgress pushes its final state, then
 * ends); `return()` (the consumer leaving) drops them.
 */
export class EventStream<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private readonly waiting: ((result: IteratorResult<T>) => void)[] = [];
  private ended = false;

  constructor(private readonly onEnd: () => void) {}

  push(value: T): void {
    if (this.ended) return;
    const reader = this.waiting.shift();
    if (reader) reader({ value, done: false });
    else this.buffer.push(value);
  }

  /** No more events; those pushed already are still read. Safe to call twice. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
    for (const reader of this.waiting.splice(0)) reader({ value: undefined, done: true });
  }

  get isEnded(): boolean {
    return this.ended;
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.buffer.shift();
    if (value !== undefined) return Promise.resolve({ value, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.buffer.length = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(): Promise<IteratorResult<T>> {
    return this.return();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
