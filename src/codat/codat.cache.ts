import { LRUCache } from 'lru-cache';

import type { CodatApi, CodatOperation } from './codat.api';
import { apiFromEndpoints, type AnyEndpoint } from './codat.client';
import { codesOf, freshnessMs, type Freshness } from './sync-state';

/**
 * Cross-request reuse of Codat reads. Codat allows about 1,000 requests a day per connected company and
 * 10 at once, while frontends poll sync status for many merchants: every read we can answer without
 * Codat is quota saved and latency removed.
 *
 * Two mechanisms, both in `CachedCodatApi`:
 * - coalescing: concurrent identical GETs (same operation and arguments), from any GraphQL request,
 *   share one in-flight upstream call; always on;
 * - a short-lived cache of successful reads in a `SyncCache` store, with a TTL that depends on what
 *   the answer says (sync-state.ts's `freshnessMs`, by the table's `answer` kind); off when `statusTtlMs` is 0.
 * Errors are never stored: they are shared only by the callers of the one in-flight call that failed.
 * A mutation invalidates the company's entries before it is sent and again once it settles, whatever its
 * outcome: a POST that may have reached Codat can change the company's status.
 *
 * Its methods come from the endpoint table (codat.client.ts): GETs are reads, POSTs are mutations, and
 * the company is the first argument of every operation.
 */

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

  /** `maxEntries`: `CACHE_MAX_ENTRIES`. */
  constructor(maxEntries: number) {
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
  /** TTLs from Config (`STATUS_CACHE_TTL_MS` and its derived bounds). A `statusTtlMs` of 0 turns the cache off; coalescing stays on. */
  freshness: Freshness;
  /** Where cached reads live: an `InMemorySyncCache`, or a shared store. */
  store: SyncCache;
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

/** The cache wrapper: `CodatApi` with coalescing and caching, plus its counters. */
export interface CachedCodatApi extends CodatApi {
  /** Counters since start, for metrics and the benchmark. */
  stats(): SyncCacheStats;
}

/** A `CodatApi` decorator over `inner`: coalesces identical in-flight reads and caches successful ones. */
export function createCachedCodatApi(inner: CodatApi, options: CachedCodatApiOptions): CachedCodatApi {
  const reads = new SyncReads(options);
  return {
    ...apiFromEndpoints((name, endpoint, args) => {
      const call = (): Promise<unknown> => (inner[name] as (...a: readonly unknown[]) => Promise<unknown>)(...args);
      return endpoint.method === 'GET' ? reads.read(endpoint, args, call) : reads.mutate(endpoint.operation, String(args[0]), call);
    }),
    stats: () => reads.stats(),
  };
}

class SyncReads {
  private readonly inFlight = new Map<string, Flight>();
  private readonly counters: SyncCacheStats = { hits: 0, misses: 0, coalesced: 0, invalidations: 0 };

  constructor(private readonly options: CachedCodatApiOptions) {}

  stats(): SyncCacheStats {
    return { ...this.counters };
  }

  private get caching(): boolean {
    return this.options.freshness.statusTtlMs > 0;
  }

  /** A read of `endpoint` for `args` (company id first, then any other ids): from the store, a call in flight, or `fetch`. */
  async read(endpoint: AnyEndpoint, args: readonly unknown[], fetch: () => Promise<unknown>): Promise<unknown> {
    const { operation } = endpoint;
    const companyId = String(args[0]);
    const key = `${keyPrefix(companyId)}${operation}|${args.slice(1).join('|')}`;
    const { store, hooks } = this.options;
    if (this.caching) {
      const cached = await store.get(key).catch(() => undefined);
      if (cached !== undefined) {
        this.counters.hits += 1;
        hooks?.onHit?.(operation);
        return cached;
      }
    }
    const flight = this.inFlight.get(key);
    if (flight) {
      this.counters.coalesced += 1;
      hooks?.onCoalesced?.(operation);
      return flight.promise;
    }
    this.counters.misses += 1;
    hooks?.onMiss?.(operation);
    const entry: Flight = { companyId, promise: Promise.resolve(), stale: false };
    const promise = (async () => {
      try {
        const value = await fetch();
        const ttlMs = this.caching && !entry.stale ? freshnessMs(codesOf(value as SyncLike), this.options.freshness, endpoint.answer) : 0;
        if (ttlMs > 0) await store.set(key, companyId, value, ttlMs).catch(() => undefined);
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

  async mutate(operation: CodatOperation, companyId: string, send: () => Promise<unknown>): Promise<unknown> {
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
    await this.options.store.deleteCompany(companyId).catch(() => undefined);
  }
}

/** Every read answers one sync or a list of them (codat.dto.ts). */
type SyncLike = Parameters<typeof codesOf>[0];
