import type { RateLimit } from './codat.events';

/**
 * Codat's daily quota as this client last saw it, and what follows from it. Codat sends
 * `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining` and `X-Rate-Limit-Reset` on every answer (about 1,000
 * requests a day per connected company plus a base 1,000, reset at 00:00 UTC), so the last answers
 * say how much is left for the whole account, whichever instance spent it. Pure apart from the clock it
 * is given; test/unit/codat-quota.test.ts runs every rule.
 *
 * - `normal`: calls go out.
 * - `reserve`: what is left fell under `reserve` (CODAT_QUOTA_RESERVE, a fraction of the limit). Reads
 *   are held back (the cache serves what it may, codat.cache.ts; the rest is RATE_LIMITED without a
 *   call) and pollers slow down (`pressure()`), so that the reserve is left for the sync requests a
 *   person asked for: POSTs still go out.
 * - `exhausted`: nothing is left (remaining 0, or a 429 that said "tomorrow"): nothing goes out until
 *   the reset.
 * A window whose reset time has passed is forgotten: the next answer tells the new figures.
 */
export type QuotaPressure = 'normal' | 'reserve' | 'exhausted';

/** A snapshot for metrics, readiness and pollers. */
export interface QuotaView {
  /** Requests allowed in the window (X-Rate-Limit-Limit), once an answer said so. */
  limit?: number;
  /** Requests left (X-Rate-Limit-Remaining), once an answer said so. */
  remaining?: number;
  /** When the window resets, epoch ms. */
  resetAtMs?: number;
  pressure: QuotaPressure;
}

/** A 429 whose Retry-After is at least this long, without quota headers, is read as "the quota is spent". */
const QUOTA_RETRY_AFTER_S = 60;

export class CodatQuota {
  private known: RateLimit = {};
  private blockedUntilMs = 0;

  /**
   * `reserve`: CODAT_QUOTA_RESERVE, a fraction in [0, 1) of the limit below which reads are held back.
   * `now`: epoch ms (Date.now in production).
   */
  constructor(
    private readonly reserve: number,
    private readonly now: () => number,
  ) {}

  /** What one answer said: its quota headers (any status), and for a 429 its Retry-After. */
  observe(rateLimit: RateLimit | undefined, status: number | undefined, retryAfterSeconds: number | undefined): void {
    this.expire();
    if (rateLimit?.remaining !== undefined) {
      const sameWindow = rateLimit.resetAtMs === undefined || rateLimit.resetAtMs === this.known.resetAtMs;
      // Answers to concurrent calls arrive in any order: within one window the smallest count is the latest.
      const remaining =
        sameWindow && this.known.remaining !== undefined ? Math.min(this.known.remaining, rateLimit.remaining) : rateLimit.remaining;
      this.known = { limit: rateLimit.limit ?? this.known.limit, remaining, resetAtMs: rateLimit.resetAtMs ?? this.known.resetAtMs };
    }
    if (status !== 429 || retryAfterSeconds === undefined) return;
    const spent = rateLimit?.remaining === 0 || (rateLimit?.remaining === undefined && retryAfterSeconds >= QUOTA_RETRY_AFTER_S);
    if (spent) this.blockedUntilMs = Math.max(this.blockedUntilMs, this.now() + retryAfterSeconds * 1000, rateLimit?.resetAtMs ?? 0);
  }

  view(): QuotaView {
    this.expire();
    return { ...this.known, pressure: this.pressure() };
  }

  /** The hook pollers read to slow down: anything but `normal` means "poll less". */
  pressure(): QuotaPressure {
    this.expire();
    const { limit, remaining } = this.known;
    if (this.blockedUntilMs > this.now() || remaining === 0) return 'exhausted';
    if (remaining !== undefined && limit !== undefined && remaining < limit * this.reserve) return 'reserve';
    return 'normal';
  }

  /**
   * Whether a call may go out now: undefined when it may, else the whole seconds until the quota resets
   * (RATE_LIMITED's `retryAfterSeconds`). GETs stop at the reserve, POSTs only when nothing is left.
   */
  refusal(method: 'GET' | 'POST'): number | undefined {
    const pressure = this.pressure();
    if (pressure === 'normal' || (pressure === 'reserve' && method === 'POST')) return undefined;
    const until = Math.max(this.blockedUntilMs, this.known.resetAtMs ?? 0);
    return Math.max(1, Math.ceil((until - this.now()) / 1000));
  }

  private expire(): void {
    const now = this.now();
    // A new window: its figures come with the next answer; until then the limit stands and nothing is spent.
    if (this.known.resetAtMs !== undefined && now >= this.known.resetAtMs) this.known = { limit: this.known.limit };
    if (this.blockedUntilMs !== 0 && now >= this.blockedUntilMs) this.blockedUntilMs = 0;
  }
}
