import { DAY_MS } from './simulator.time';

// Codat's limits as the simulator enforces them (Codat's "Rate limits" page):
// - a daily request budget for the client (Codat: 1,000 per connected company plus a base 1,000),
//   reset at 00:00 UTC, announced on every answer by X-Rate-Limit-Limit, X-Rate-Limit-Remaining and
//   X-Rate-Limit-Reset (Unix seconds of the next reset); once spent, 429 with Retry-After until the reset;
// - at most 10 requests in flight per company; one more is answered 429 at once.
// Requests refused by either limit do not spend the budget.

/** Codat's per-company bound on requests in flight. */
export const DEFAULT_COMPANY_CONCURRENCY = 10;

/** Large enough that no ordinary test or demo ever sees the budget: tests that want it set their own. */
export const DEFAULT_DAILY_REQUEST_BUDGET = 1_000_000;

/** The rate-limit headers of one answer. */
export type RateLimitHeaders = Readonly<Record<'X-Rate-Limit-Limit' | 'X-Rate-Limit-Remaining' | 'X-Rate-Limit-Reset', string>>;

/** The daily budget: one counter for the simulator's client, refilled when the simulator's UTC day changes. */
export class DailyBudget {
  private day: number;
  private spent = 0;

  constructor(
    readonly limit: number,
    private readonly nowMs: () => number,
  ) {
    if (!(Number.isInteger(limit) && limit >= 0)) throw new Error(`dailyRequestBudget must be a whole number >= 0, got ${String(limit)}`);
    this.day = Math.floor(nowMs() / DAY_MS);
  }

  /** Takes one request from the budget; false when it is spent (the request is refused). */
  take(): boolean {
    this.roll();
    if (this.spent >= this.limit) return false;
    this.spent += 1;
    return true;
  }

  remaining(): number {
    this.roll();
    return this.limit - this.spent;
  }

  /** When the budget refills: the next 00:00 UTC on the simulator's clock, in epoch ms. */
  resetAtMs(): number {
    this.roll();
    return (this.day + 1) * DAY_MS;
  }

  /** Whole seconds until the reset, at least 1: what Retry-After says on a 429 for a spent budget. */
  secondsUntilReset(): number {
    return Math.max(1, Math.ceil((this.resetAtMs() - this.nowMs()) / 1000));
  }

  headers(): RateLimitHeaders {
    return {
      'X-Rate-Limit-Limit': String(this.limit),
      'X-Rate-Limit-Remaining': String(this.remaining()),
      'X-Rate-Limit-Reset': String(Math.floor(this.resetAtMs() / 1000)),
    };
  }

  private roll(): void {
    const today = Math.floor(this.nowMs() / DAY_MS);
    if (today !== this.day) {
      this.day = today;
      this.spent = 0;
    }
  }
}

/**
 * Requests in flight per company, counted from arrival until the answer is written (not until the
 * socket's 'close', which may come a tick after the client already has its answer), with each company's
 * peak since the last reset: the figure tests assert on ("never more than 10 at once for one company").
 */
export class CompanyConcurrency {
  private readonly open = new Map<string, number>();
  private readonly peaks = new Map<string, number>();

  constructor(readonly limit: number) {
    if (!(Number.isInteger(limit) && limit >= 1)) throw new Error(`companyConcurrency must be a whole number >= 1, got ${String(limit)}`);
  }

  /**
   * Counts a request in; `admitted` is false when the company already had `limit` in flight (the request
   * still counts towards the peak until `leave()`: it did arrive). Returns the function that counts it out
   * (safe to call twice).
   */
  enter(companyId: string): { admitted: boolean; leave: () => void } {
    const key = companyId.toLowerCase();
    const before = this.open.get(key) ?? 0;
    this.open.set(key, before + 1);
    this.peaks.set(key, Math.max(this.peaks.get(key) ?? 0, before + 1));
    let left = false;
    return {
      admitted: before < this.limit,
      leave: () => {
        if (left) return;
        left = true;
        const now = (this.open.get(key) ?? 1) - 1;
        if (now === 0) this.open.delete(key);
        else this.open.set(key, now);
      },
    };
  }

  peak(companyId: string): number {
    return this.peaks.get(companyId.toLowerCase()) ?? 0;
  }

  /** Restarts every peak from what is in flight now. */
  resetPeaks(): void {
    this.peaks.clear();
    for (const [key, count] of this.open) this.peaks.set(key, count);
  }
}
