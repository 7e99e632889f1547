import { LRUCache } from 'lru-cache';

import type { CodatApi, CodatOperation } from './codat.api';
import type * as Codat from './codat.dto';
import { isFinal, isInProgress } from './sync-state';

/**
 * Cross-request reuse of Codat reads. Codat allows about 1,000 requests a day per connected company and
 * 10 at once, while frontends poll sync status for many merchants: every read we can answer without
 * Codat is quota saved and latency removed.
 *
 * Two mechanisms, both in `CachedCodatApi`:
 * - coalescing: concurrent identical GETs (same operation and arguments), from any GraphQL request,
 *   share one in-flight upstream call; always on;
 * - a short-lived cache of successful reads in a `SyncCache` store, with a TTL that depends on what
 *   the answer says (`ttlFor`); off when `statusTtlMs` is 0.
 * Errors are never stored: they are shared only by the callers of the one in-flight call that failed.
 * A mutation invalidates the company's entries before it is sent and again once it settles, whatever its
 * outcome: a POST that may have reached Codat can change the company's status.
 */

/** Default of `STATUS_CACHE_TTL_MS`. `@cacheControl` hints on status types should use the same value. */
export const DEFAULT_STATUS_CACHE_TTL_MS = 2_000;
/**
 * Bound on the TTL of anything that shows a sync in progress (1xxx): it changes soonest. One second, the
 * smallest non-zero `@cacheControl` maxAge, so the hint published for in-progress answers matches it.
 */
export const IN_PROGRESS_CACHE_TTL_MS = 1_000;
/** A finished sync fetched by id never changes again. */
export const FINISHED_SYNC_CACHE_TTL_MS = 10 * 60_000;
/** Default of `CACHE_MAX_ENTRIES`. */
export const DEFAULT_CACHE_MAX_ENTRIES = 10_000;

/**
 * Where cached reads live. The in-memory store serves one instance; a shared store (Redis: keys with a
 * TTL, plus a set per company for `deleteCompany`) lets several instances share reads and invalidations.
 * Methods may fail; the cache then behaves as a miss and never fails the read.
 */
export interface SyncCache {
  get(key: string): Promise<unknown>;
  /** Stores `value` under `key` for `ttlMs`, remembering that it belongs to `companyId`. */
  set(key: string, companyId: string, value: unknown, ttlMs: number): Promise<void>;
  /** Forgets every entry of the company. */
  deleteCompany(companyId: string): Promise<void>;
}

/** A bounded in-process LRU with per-entry TTL. */
export class InMemorySyncCache implements SyncCache {
  private readonly lru: LRUCache<string, { value: unknown }>;

  constructor(maxEntries: number = DEFAULT_CACHE_MAX_ENTRIES) {
    this.lru = new LRUCache({ max: maxEntries, ttlAutopurge: false });
  }

  get(key: string): Promise<unknown> {
    return Promise.resolve(this.lru.get(key)?.value);
  }

  set(key: string, _companyId: string, value: unknown, ttlMs: number): Promise<void> {
    this.lru.set(key, { value }, { ttl: ttlMs });
    return Promise.resolve();
  }

  /** A scan over at most `maxEntries` keys: mutations are rare next to reads, so no per-company index. */
  deleteCompany(companyId: string): Promise<void> {
    const prefix = keyPrefix(companyId);
    for (const key of [...this.lru.keys()]) if (key.startsWith(prefix)) this.lru.delete(key);
    return Promise.resolve();
  }

  get size(): number {
    return this.lru.size;
  }
}

/** Observers of the cache (metrics). They must not throw. */
export interface SyncCacheHooks {
  /** Answered from the store. */
  onHit?(operation: CodatOperation): void;
  /** Not in the store and nothing in flight: one upstream call starts. */
  onMiss?(operation: CodatOperation): void;
  /** Joined an identical upstream call already in flight. */
  onCoalesced?(operation: CodatOperation): void;
  /** A mutation invalidated a company's entries. */
  onInvalidate?(operation: CodatOperation): void;
}

export interface SyncCacheStats {
  hits: number;
  misses: number;
  coalesced: number;
  invalidations: number;
}

export interface CachedCodatApiOptions {
  /** `STATUS_CACHE_TTL_MS`: TTL of reads that can change. 0 turns the cache off; coalescing stays on. */
  statusTtlMs: number;
  /** Default: an `InMemorySyncCache` of `DEFAULT_CACHE_MAX_ENTRIES`. */
  store?: SyncCache;
  hooks?: SyncCacheHooks;
}

/** Keys start with the company id so that a store can find a company's entries. */
function keyPrefix(companyId: string): string {
  return `${companyId}|`;
}

interface Flight {
  companyId: string;
  promise: Promise<unknown>;
  /** Set when a mutation invalidated the company while this call was in flight: its answer is not stored. */
  stale: boolean;
}

/** A `CodatApi` decorator: coalesces identical in-flight reads and caches successful ones. */
export class CachedCodatApi implements CodatApi {
  private readonly store: SyncCache;
  private readonly inFlight = new Map<string, Flight>();
  private readonly counters: SyncCacheStats = { hits: 0, misses: 0, coalesced: 0, invalidations: 0 };
  private readonly inProgressTtlMs: number;

  constructor(
    private readonly inner: CodatApi,
    private readonly options: CachedCodatApiOptions,
  ) {
    this.store = options.store ?? new InMemorySyncCache();
    this.inProgressTtlMs = Math.min(IN_PROGRESS_CACHE_TTL_MS, options.statusTtlMs);
  }

  /** Counters since start, for metrics and the benchmark. */
  stats(): SyncCacheStats {
    return { ...this.counters };
  }

  getSyncStatus(companyId: string): Promise<Codat.SyncStatus> {
    return this.read(
      'get-sync-status',
      companyId,
      '',
      () => this.inner.getSyncStatus(companyId),
      (s) => this.ttlFor(s.syncStatusCode),
    );
  }

  listSyncs(companyId: string): Promise<Codat.CompanySyncStatus[]> {
    return this.read(
      'list-syncs',
      companyId,
      '',
      () => this.inner.listSyncs(companyId),
      (list) => (list.some((s) => isInProgress(s.syncStatusCode)) ? this.inProgressTtlMs : this.options.statusTtlMs),
    );
  }

  getLatestSync(companyId: string): Promise<Codat.CompanySyncStatus> {
    return this.read(
      'get-latest-sync',
      companyId,
      '',
      () => this.inner.getLatestSync(companyId),
      (s) => this.ttlFor(s.syncStatusCode),
    );
  }

  getLastSuccessfulSync(companyId: string): Promise<Codat.CompanySyncStatus> {
    return this.read(
      'get-last-successful-sync',
      companyId,
      '',
      () => this.inner.getLastSuccessfulSync(companyId),
      (s) => this.ttlFor(s.syncStatusCode),
    );
  }

  getSyncById(companyId: string, syncId: string): Promise<Codat.CompanySyncStatus> {
    return this.read(
      'get-sync-by-id',
      companyId,
      syncId,
      () => this.inner.getSyncById(companyId, syncId),
      // A sync that reached a final code (sync-state.ts) is history: it cannot change.
      (s) => (isFinal(s.syncStatusCode) ? FINISHED_SYNC_CACHE_TTL_MS : this.ttlFor(s.syncStatusCode)),
    );
  }

  requestSync(companyId: string, options?: { syncTo?: Date }): Promise<Codat.SyncSummary> {
    return this.mutate('request-sync', companyId, () => this.inner.requestSync(companyId, options));
  }

  requestSyncForDateRange(companyId: string, range: { start: Date; finish: Date }): Promise<Codat.SyncSummary> {
    return this.mutate('request-sync-for-date-range', companyId, () => this.inner.requestSyncForDateRange(companyId, range));
  }

  private ttlFor(code: number | undefined): number {
    return isInProgress(code) ? this.inProgressTtlMs : this.options.statusTtlMs;
  }

  private get caching(): boolean {
    return this.options.statusTtlMs > 0;
  }

  private async read<T>(
    operation: CodatOperation,
    companyId: string,
    arg: string,
    fetch: () => Promise<T>,
    ttl: (value: T) => number,
  ): Promise<T> {
    const key = `${keyPrefix(companyId)}${operation}|${arg}`;
    if (this.caching) {
      const cached = await this.store.get(key).catch(() => undefined);
      if (cached !== undefined) {
        this.counters.hits += 1;
        this.options.hooks?.onHit?.(operation);
        return cached as T;
      }
    }
    const flight = this.inFlight.get(key);
    if (flight) {
      this.counters.coalesced += 1;
      this.options.hooks?.onCoalesced?.(operation);
      return flight.promise as Promise<T>;
    }
    this.counters.misses += 1;
    this.options.hooks?.onMiss?.(operation);
    const entry: Flight = { companyId, promise: Promise.resolve(), stale: false };
    const promise = (async () => {
      try {
        const value = await fetch();
        const ttlMs = this.caching && !entry.stale ? ttl(value) : 0;
        if (ttlMs > 0) await this.store.set(key, companyId, value, ttlMs).catch(() => undefined);
        return value;
      } finally {
        // Settled: later callers must make their own call (or hit the store), never reuse an error.
        if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
      }
    })();
    entry.promise = promise;
    this.inFlight.set(key, entry);
    return promise;
  }

  private async mutate<T>(operation: CodatOperation, companyId: string, send: () => Promise<T>): Promise<T> {
    await this.invalidate(operation, companyId);
    try {
      return await send();
    } finally {
      // Reads that ran while the POST was on its way may show the state before it: drop them too.
      await this.invalidate(operation, companyId);
    }
  }

  private async invalidate(operation: CodatOperation, companyId: string): Promise<void> {
    this.counters.invalidations += 1;
    this.options.hooks?.onInvalidate?.(operation);
    for (const [key, flight] of this.inFlight) {
      if (flight.companyId !== companyId) continue;
      flight.stale = true;
      this.inFlight.delete(key);
    }
    await this.store.deleteCompany(companyId).catch(() => undefined);
  }
}
