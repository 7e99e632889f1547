/**
 * A sliding window of the last `limit` send times: at most `limit` requests in any `windowMs`. Guards
 * Codat's per-client-IP ceiling (about 1,000 requests a minute) with CODAT_MAX_REQUESTS_PER_MINUTE per
 * instance. A sliding window rather than a fixed one (the common libraries' kind): a fixed minute lets
 * a full minute's worth through at its end and again at the start of the next, twice the ceiling within
 * a few seconds. Pure: times are given; test/unit/request-window.test.ts.
 */
export class RequestWindow {
  /** Send times, oldest first, as a ring of `limit` slots. */
  private readonly times: number[] = [];
  private next = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {
    if (!(Number.isInteger(limit) && limit >= 1)) throw new Error(`limit must be a whole number >= 1, got ${String(limit)}`);
  }

  /** How long from `now` until one more request fits: 0 when it fits now. */
  waitMs(now: number): number {
    if (this.times.length < this.limit) return 0;
    const oldest = this.times[this.next] ?? now;
    return Math.max(0, oldest + this.windowMs - now);
  }

  /** Records a request sent at `now` (call only when `waitMs(now)` is 0). */
  record(now: number): void {
    if (this.times.length < this.limit) {
      this.times.push(now);
      return;
    }
    this.times[this.next] = now;
    this.next = (this.next + 1) % this.limit;
  }
}
