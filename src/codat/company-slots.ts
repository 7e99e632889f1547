import pLimit, { type Limit } from 'p-limit';

/**
 * Codat allows 10 requests in flight per company (CODAT_MAX_CONCURRENCY_PER_COMPANY). Two bounds keep to it:
 * - `CompanySlots`: per instance, in memory, always on. It comes first in the pipeline (codat.send.ts),
 *   before the instance-wide bound, so one busy company waits in its own queue and holds at most
 *   `perCompany` of the instance's slots: the other companies' calls go by.
 * - `FleetSlots`: fleet-wide, with a shared store (src/shared-state/: a Redis semaphore whose leases
 *   expire, so a crashed instance does not keep its slots). It is taken last, just before the attempt,
 *   so a lease is held only while a request is on the wire; its expiry can then be the attempt's own
 *   bound (CODAT_TIMEOUT_MS) plus a margin, and needs no renewal.
 */
export class CompanySlots {
  /** Per company with calls in flight or queued: its limiter and how many calls it has. */
  private readonly companies = new Map<string, { limit: Limit; calls: number }>();

  constructor(private readonly perCompany: number) {}

  /** Runs `fn` once one of the company's slots is free. */
  async run<T>(companyId: string, fn: () => Promise<T>): Promise<T> {
    let company = this.companies.get(companyId);
    if (!company) {
      company = { limit: pLimit(this.perCompany), calls: 0 };
      this.companies.set(companyId, company);
    }
    company.calls += 1;
    try {
      return await company.limit(fn);
    } finally {
      // Idle companies are forgotten, so the map holds only companies with calls in flight or queued.
      company.calls -= 1;
      if (company.calls === 0) this.companies.delete(companyId);
    }
  }

  /** Companies with calls in flight or queued (for tests). */
  get size(): number {
    return this.companies.size;
  }
}

/** One fleet-wide slot, held while one attempt is on the wire. */
export interface FleetSlot {
  release(): void;
}

/**
 * The company's fleet-wide slots (at most CODAT_MAX_CONCURRENCY_PER_COMPANY across every instance). An
 * implementation that cannot reach its store answers with a slot that holds nothing: the per-instance
 * bound then stands alone, and the call is never refused for it.
 */
export interface FleetSlots {
  /**
   * Resolves with a slot, or 'timed-out' when none came free within `maxWaitMs` or before `stop` aborted
   * (the client closing, codat.send.ts: the wait ends where it stands instead of running on unwatched).
   */
  acquire(companyId: string, maxWaitMs: number, stop: AbortSignal): Promise<FleetSlot | 'timed-out'>;
}
