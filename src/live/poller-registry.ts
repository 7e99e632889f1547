import type { CodatApi } from '../codat/codat.api';
import { staleness } from '../codat/codat.cache';
import type * as Codat from '../codat/codat.dto';
import { UpstreamError } from '../codat/codat.errors';
import { isInProgress } from '../codat/sync-state';
import { nextPollDelayMs, type PollPace } from './poll-schedule';

/**
 * One poller per (tenant, company), shared by every subscriber of that company whatever transport it
 * came in on. Codat sends no webhook when a commerce sync finishes, so someone has to poll; this makes
 * it one someone. The first subscriber starts the poller, the last one leaving stops it. It reads
 * get-sync-status through the `CodatApi` the subscriber's context carries (the same cross-request
 * cache, coalescing, retries, circuit breaker and limits as queries: codat.cache.ts, codat.send.ts),
 * never a client of its own, at the pace of poll-schedule.ts.
 *
 * The registry is an interface so that the fleet's (src/shared-state/redis-poller-registry.ts, with
 * REDIS_URL: a Redis lease, so that one instance of the fleet polls each company and the others hear its
 * results) can stand in front of the in-memory one.
 */
export interface PollerKey {
  /** The caller's tenant (auth/caller.ts): nothing is shared across tenants. */
  tenant: string;
  /** Validated and lower-cased. */
  companyId: string;
}

/** What one poll came to: the company's SyncStatus, or the error the read ended with (an UpstreamError). */
export type PollOutcome = { ok: true; status: Codat.SyncStatus } | { ok: false; error: unknown };

export interface PollerListener {
  /** Every poll's outcome; at subscribe, the latest one at once when the poller already has it. Must not throw. */
  onOutcome(outcome: PollOutcome): void;
  /** True while this subscriber waits for a change: the poller keeps the active pace (poll-schedule.ts). */
  eager?(): boolean;
}

export interface PollerRegistry {
  /** Adds a listener to the key's poller, starting it (with `source`) if it is the first; returns the way out. */
  subscribe(key: PollerKey, source: CodatApi, listener: PollerListener): () => void;
  /** Polls the key's company at once, if anyone follows it (a mutation for it was just sent). */
  wake(key: PollerKey): void;
  /** Pollers running now. */
  size(): number;
  /** Stops every poller (shutdown). */
  close(): void;
}

export interface PollerRegistryOptions {
  pace: PollPace;
  random: () => number;
  /**
   * Whether the tenant's Codat quota is under pressure (the client's `quota().pressure`, codat.quota.ts):
   * its pollers then slow to the idle pace (poll-schedule.ts). Absent: never.
   */
  quotaPressure?(tenant: string): boolean;
  /** The outcome label of a poll ('ok' or the code subscribers see): live_poll_calls_total. */
  outcomeLabel(outcome: PollOutcome): string;
  hooks: { pollerStarted(): void; pollerStopped(): void; polled(outcome: string): void };
}

export class InMemoryPollerRegistry implements PollerRegistry {
  private readonly pollers = new Map<string, CompanyPoller>();
  constructor(private readonly options: PollerRegistryOptions) {}

  subscribe(key: PollerKey, source: CodatApi, listener: PollerListener): () => void {
    const name = keyOf(key);
    let poller = this.pollers.get(name);
    if (!poller) {
      const created = new CompanyPoller(key, source, this.options, () => {
        if (this.pollers.get(name) === created) this.pollers.delete(name);
      });
      this.pollers.set(name, created);
      poller = created;
    }
    const joined = poller;
    joined.add(listener);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      joined.remove(listener);
    };
  }

  wake(key: PollerKey): void {
    this.pollers.get(keyOf(key))?.wake();
  }

  size(): number {
    return this.pollers.size;
  }

  close(): void {
    for (const poller of [...this.pollers.values()]) poller.stop();
    this.pollers.clear();
  }
}

function keyOf(key: PollerKey): string {
  return `${key.tenant}\u0000${key.companyId}`;
}

class CompanyPoller {
  private readonly listeners = new Set<PollerListener>();
  private last: PollOutcome | undefined;
  private timer: NodeJS.Timeout | undefined;
  private dueAt = 0;
  private polling = false;
  private pollAgain = false;
  private stopped = false;
  private inProgress = false;
  private failures = 0;
  private failure: { retryAfterSeconds?: number; circuitOpen?: boolean } | undefined;

  /** What the poller reads through: made for nobody, so that its calls are not logged as the first subscriber's request's for as long as it lives. */
  private readonly source: CodatApi;

  constructor(
    private readonly key: PollerKey,
    source: CodatApi,
    private readonly options: PollerRegistryOptions,
    private readonly onStop: () => void,
  ) {
    this.source = source.onBehalfOf(undefined);
    options.hooks.pollerStarted();
  }

  add(listener: PollerListener): void {
    const first = this.listeners.size === 0 && !this.last && !this.polling;
    this.listeners.add(listener);
    if (first) {
      void this.poll();
      return;
    }
    const last = this.last;
    // The latest known status at once, without an upstream call; then the pace may need to quicken.
    if (last) {
      queueMicrotask(() => {
        if (!this.listeners.has(listener)) return;
        listener.onOutcome(last);
        this.quicken();
      });
    }
  }

  remove(listener: PollerListener): void {
    this.listeners.delete(listener);
    if (this.listeners.size === 0) this.stop();
  }

  wake(): void {
    if (this.stopped) return;
    if (this.polling) {
      // The read in flight may have left before the mutation landed: read once more when it ends.
      this.pollAgain = true;
      return;
    }
    void this.poll();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.listeners.clear();
    this.options.hooks.pollerStopped();
    this.onStop();
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.polling = true;
    let outcome: PollOutcome;
    try {
      const status = await this.source.getSyncStatus(this.key.companyId);
      // A stale copy (codat/codat.cache.ts: Codat refusing or down) is not news: subscribers hear the failure it stands for.
      const stale = staleness(status);
      outcome = stale ? { ok: false, error: stale.because } : { ok: true, status };
    } catch (error) {
      outcome = { ok: false, error };
    }
    this.polling = false;
    if (this.stopped) return;
    this.record(outcome);
    for (const listener of [...this.listeners]) listener.onOutcome(outcome);
    if (this.pollAgain) {
      this.pollAgain = false;
      void this.poll();
      return;
    }
    this.schedule();
  }

  private record(outcome: PollOutcome): void {
    this.last = outcome;
    this.options.hooks.polled(this.options.outcomeLabel(outcome));
    if (outcome.ok) {
      this.failures = 0;
      this.failure = undefined;
      this.inProgress = isInProgress(outcome.status.syncStatusCode);
      return;
    }
    this.failures += 1;
    const details = outcome.error instanceof UpstreamError ? outcome.error.details : undefined;
    this.failure = { retryAfterSeconds: details?.retryAfterSeconds, circuitOpen: details?.kind === 'circuit-open' };
  }

  private delayMs(): number {
    const eager = [...this.listeners].some((l) => l.eager?.() ?? false);
    return nextPollDelayMs(
      {
        inProgress: this.inProgress,
        eager,
        consecutiveFailures: this.failures,
        failure: this.failure,
        quotaPressure: this.options.quotaPressure?.(this.key.tenant) ?? false,
      },
      this.options.pace,
      this.options.random,
    );
  }

  private schedule(delayMs = this.delayMs()): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.dueAt = Date.now() + delayMs;
    this.timer = setTimeout(() => void this.poll(), delayMs);
    // Pollers never keep a process alive by themselves; the server does, and stops them on shutdown.
    this.timer.unref();
  }

  /** A listener that joined (or started waiting) between polls: bring the next poll within the active pace. */
  private quicken(): void {
    if (this.stopped || this.polling || !this.timer) return;
    const delay = this.delayMs();
    if (this.dueAt - Date.now() > delay) this.schedule(delay);
  }
}
