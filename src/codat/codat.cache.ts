import { LRUCache } from 'lru-cache';

import type { CodatAnswer, CodatApi, CodatOperation, CompanyRead } from './codat.api';
import { apiFromEndpoints, CODAT_ENDPOINTS, type AnyEndpoint } from './codat.client';
import { UpstreamError, type UpstreamErrorDetails } from './codat.errors';
import { sharedFailure } from './codat.translate';
import { codesOf, freshnessMs, type Freshness } from './sync-state';

/**
 * Cross-request reuse of Codat reads. Codat allows about 1,000 requests a day per connected company and
 * 10 at once, while frontends poll sync status for many merchants: every read we can answer without
 * Codat is quota saved and latency removed.
 *
 * Three mechanisms, all in `CachedCodatApi`:
 * - coalescing: concurrent identical GETs (same operation and arguments), from any GraphQL request,
 *   share one in-flight upstream call; always on. With a shared store (`SharedFlights`, Redis) it spans
 *   the fleet: one instance calls Codat, the others wait for its outcome (at most the store's bound,
 *   then they call themselves);
 * - a short-lived cache of successful reads in a `SyncCache` store, with a TTL that depends on what
 *   the answer says (sync-state.ts's `freshnessMs`, by the table's `answer` kind); off when `statusTtlMs` is 0;
 * - stale-if-error (RFC 5861's idea): answers are kept `staleIfErrorMs` (STALE_IF_ERROR_MS) past their
 *   freshness, and served, marked (`staleness()`), when the call to Codat fails in a way that says
 *   nothing about the company: Codat refusing (429) or our quota reserve holding the call back, Codat
 *   down (5xx, 408, timeouts, broken connections, an open circuit). A 404, 401/403, 402, 400/409 or an
 *   unreadable body is Codat's word about the request and is passed on as it is. Kept even with the
 *   cache off (`statusTtlMs` 0): that turns reuse of fresh answers off, not this safety net.
 * Errors are never stored: they are shared only by the callers of the one in-flight call that failed.
 * A mutation invalidates the company's entries (stale copies too) before it is sent and again once it
 * settles, whatever its outcome: a POST that may have reached Codat can change the company's status.
 * Mutations are never coalesced, cached or served stale.
 *
 * Its methods come from the endpoint table (codat.client.ts): GETs are reads, POSTs are mutations, and
 * the company is the first argument of every operation.
 */

/** One stored answer, with what its age and freshness are measured from (epoch ms). */
export interface CachedRead {
  value: unknown;
  /** When it was fetched. */
  storedAtMs: number;
  /** Until when it may be served as fresh; at or before `storedAtMs` when the cache is off. */
  freshUntilMs: number;
}

/**
 * Where cached reads live. The in-memory store serves one instance; a shared store (Redis, in
 * src/shared-state/) lets several instances share reads and invalidations. Methods may fail; the cache
 * then behaves as a miss and never fails the read.
 *
 * `generation` is a token per company that an invalidation moves on: a read that was in flight across an
 * invalidation carries the old one, and the store refuses to keep its answer. (Within one instance the
 * in-flight calls are also told directly; the token covers calls made by other instances.)
 */
export interface SyncCache {
  /** The entry under `key` (if any) and the company's current generation. */
  get(key: string, companyId: string): Promise<{ entry?: CachedRead; generation: string }>;
  /** Keeps `entry` under `key` for `keepMs`, unless the company's generation is no longer `generation`. */
  set(key: string, companyId: string, entry: CachedRead, keepMs: number, generation: string): Promise<void>;
  /** Forgets every entry of the company and moves its generation on. */
  deleteCompany(companyId: string): Promise<void>;
  /**
   * The entry under `key`, synchronously: in-process stores only. A fresh one answers a read at once,
   * without a flight or an await; a cached dashboard makes one read per alias.
   */
  peek?(key: string): CachedRead | undefined;
  /** Another instance invalidated a company (shared stores only): the cache drops its own calls in flight for it. */
  onRemoteInvalidation?(listener: (companyId: string) => void): void;
}

/**
 * How long lru-cache may reuse its reading of the clock when it checks an entry's TTL. Its default (1 ms)
 * arms a fresh timer every millisecond the cache is read, which under load is a timer for every few
 * requests. Here the TTL only bounds how long an entry is kept (freshness and the stale-if-error window
 * are decided by `SyncReads` from `storedAtMs` and `freshUntilMs`, with its own clock), so an entry
 * outliving its TTL by up to this long changes no answer.
 */
const LRU_CLOCK_MS = 1_000;

/** A bounded in-process LRU with per-entry TTL. Its generation never moves: this instance's own in-flight calls are told directly. */
export class InMemorySyncCache implements SyncCache {
  private readonly lru: LRUCache<string, CachedRead>;

  /** `maxEntries`: `CACHE_MAX_ENTRIES`. */
  constructor(maxEntries: number) {
    this.lru = new LRUCache({ max: maxEntries, ttlAutopurge: false, ttlResolution: LRU_CLOCK_MS });
  }

  get(key: string): Promise<{ entry?: CachedRead; generation: string }> {
    return Promise.resolve({ entry: this.lru.get(key), generation: '' });
  }

  peek(key: string): CachedRead | undefined {
    return this.lru.get(key);
  }

  set(key: string, _companyId: string, entry: CachedRead, keepMs: number): Promise<void> {
    this.lru.set(key, entry, { ttl: keepMs });
    return Promise.resolve();
  }

  /** A scan over at most `maxEntries` keys: mutations are rare next to reads, so no per-company index. */
  deleteCompany(companyId: string): Promise<void> {
    const prefix = keyPrefix(companyId);
    for (const key of [...this.lru.keys()]) if (key.startsWith(prefix)) this.lru.delete(key);
    return Promise.resolve();
  }

  /** Forgets everything (a shared store's fallback does, once the shared store is back: it missed the fleet's invalidations). */
  clear(): void {
    this.lru.clear();
  }

  get size(): number {
    return this.lru.size;
  }
}

/** What one upstream read came to, in plain values, so that it can travel between instances. */
export type FlightOutcome = { ok: true; value: unknown } | { ok: false; failure: UpstreamErrorDetails };

/**
 * One instance's turn in a fleet-wide read: it leads (calls Codat, then shares the outcome with
 * `finish`; `undefined` when there is nothing to share, and the others call themselves), or another
 * instance's outcome arrived, or none did: `missed` when the other call ended before this instance
 * listened (look in the store again), else the wait ran out or the store is unreachable (call yourself).
 */
export type FlightTurn =
  | { lead: true; finish(outcome: FlightOutcome | undefined): Promise<void> }
  | { lead: false; outcome: FlightOutcome }
  | { lead: false; outcome: undefined; missed: boolean };

/** Fleet-wide coalescing of identical reads (src/shared-state/, with REDIS_URL). */
export interface SharedFlights {
  /** Takes part in the read under `flightKey` (the store's generation and the cache key). Never rejects. */
  join(flightKey: string): Promise<FlightTurn>;
  /** Reads of this instance waiting for another instance's outcome now (for tests and metrics). */
  waiting(): number;
}

/** One instance alone: it always leads, and nobody listens. */
const ALONE: SharedFlights = { join: () => Promise.resolve({ lead: true, finish: () => Promise.resolve() }), waiting: () => 0 };

/** Why a read was answered from an older copy: how old it is, and the failure that kept Codat's answer away. */
export interface StaleRead {
  ageMs: number;
  because: UpstreamError;
}

/** Answers served stale, each a copy of the stored answer made for that serving, with why. */
const STALE = new WeakMap<object, StaleRead>();

/** Whether a value the cache returned is a stale copy (see "stale-if-error" at the top of this file), and why. */
export function staleness(value: unknown): StaleRead | undefined {
  return typeof value === 'object' && value !== null ? STALE.get(value) : undefined;
}

/** The failures that say nothing about the company (Codat refusing, or down): a stale copy may answer them. */
export function servesStale(error: UpstreamError): boolean {
  switch (error.kind) {
    case 'rate-limited':
    case 'circuit-open':
    case 'timeout':
    case 'network':
      return true;
    case 'bad-response':
      return false;
    case 'http': {
      const status = error.status ?? 0;
      return status === 429 || status === 408 || status >= 500;
    }
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
  /** Got the outcome of an identical call another instance made. */
  onFleetCoalesced?(operation: CodatOperation): void;
  /** Answered with a stale copy because Codat refused or failed. */
  onStale?(operation: CodatOperation): void;
  /** A mutation invalidated a company's entries. */
  onInvalidate?(operation: CodatOperation): void;
}

export interface SyncCacheStats {
  hits: number;
  misses: number;
  coalesced: number;
  fleetCoalesced: number;
  stale: number;
  invalidations: number;
}

export interface CachedCodatApiOptions {
  /** TTLs from Config (`STATUS_CACHE_TTL_MS` and its derived bounds). A `statusTtlMs` of 0 turns the cache off; coalescing stays on. */
  freshness: Freshness;
  /** `STALE_IF_ERROR_MS`: how long past its freshness an answer may still answer a failed call, marked stale; 0 = never. */
  staleIfErrorMs: number;
  /** Where cached reads live: an `InMemorySyncCache`, or a shared store. */
  store: SyncCache;
  /** Fleet-wide coalescing; absent, this instance coalesces alone. */
  flights?: SharedFlights;
  hooks?: SyncCacheHooks;
  /** Epoch ms; default Date.now. */
  now?: () => number;
}

/** Keys start with the company id so that a store can find a company's entries. */
function keyPrefix(companyId: string): string {
  return `${companyId}|`;
}

/** The store's key for a read: the company, the operation, then any further ids (`args` after the company's). */
function keyOf(endpoint: AnyEndpoint, companyId: string, args: readonly unknown[] = []): string {
  return `${keyPrefix(companyId)}${endpoint.operation}|${args.length > 1 ? args.slice(1).join('|') : ''}`;
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

/** A `CodatApi` decorator over `inner`: coalesces identical in-flight reads, caches successful ones, serves stale copies when Codat fails. */
export function createCachedCodatApi(inner: CodatApi, options: CachedCodatApiOptions): CachedCodatApi {
  const reads = new SyncReads(options);
  const answerNow = <K extends CompanyRead>(read: K, companyId: string): CodatAnswer<K> | undefined =>
    reads.answerNow(CODAT_ENDPOINTS[read] as unknown as AnyEndpoint, companyId) as CodatAnswer<K> | undefined;
  return Object.assign(
    apiFromEndpoints((origin) => {
      // The client's view for this origin, made on the first call that reaches it: a call that joins one
      // in flight, or is answered from the store, reaches `inner` not at all.
      let forOrigin: CodatApi | undefined;
      return (name, endpoint, args) => {
        const call = (): Promise<unknown> => {
          forOrigin ??= inner.onBehalfOf(origin);
          return (forOrigin[name] as (...a: readonly unknown[]) => Promise<unknown>)(...args);
        };
        return endpoint.method === 'GET' ? reads.read(endpoint, args, call) : reads.mutate(endpoint.operation, String(args[0]), call);
      };
    }, answerNow),
    { stats: () => reads.stats() },
  );
}

class SyncReads {
  private readonly inFlight = new Map<string, Flight>();
  private readonly counters: SyncCacheStats = { hits: 0, misses: 0, coalesced: 0, fleetCoalesced: 0, stale: 0, invalidations: 0 };
  private readonly flights: SharedFlights;
  private readonly now: () => number;

  constructor(private readonly options: CachedCodatApiOptions) {
    this.flights = options.flights ?? ALONE;
    this.now = options.now ?? Date.now;
    options.store.onRemoteInvalidation?.((companyId) => this.dropFlights(companyId));
  }

  stats(): SyncCacheStats {
    return { ...this.counters };
  }

  private get caching(): boolean {
    return this.options.freshness.statusTtlMs > 0;
  }

  /** Whether answers go to the store at all: to be reused fresh, or kept for stale-if-error. */
  private get storing(): boolean {
    return this.caching || this.options.staleIfErrorMs > 0;
  }

  /** A read of `endpoint` for `args` (company id first, then any other ids): from a call in flight, the store, another instance's call, or `fetch`. */
  read(endpoint: AnyEndpoint, args: readonly unknown[], fetch: () => Promise<unknown>): Promise<unknown> {
    const companyId = String(args[0]);
    const key = keyOf(endpoint, companyId, args);
    const flight = this.inFlight.get(key);
    if (flight) {
      this.counters.coalesced += 1;
      this.options.hooks?.onCoalesced?.(endpoint.operation);
      return flight.promise;
    }
    const known = this.caching ? this.options.store.peek?.(key) : undefined;
    if (this.fresh(known)) return Promise.resolve(this.hit(endpoint.operation, known));
    // The flight is in the map before anything is awaited, so that every later identical read joins it.
    const entry: Flight = { companyId, promise: Promise.resolve(), stale: false };
    entry.promise = (async () => {
      try {
        return await this.resolve(endpoint, key, entry, fetch);
      } finally {
        // Settled: later callers must make their own call (or hit the store), never reuse an error.
        if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
      }
    })();
    this.inFlight.set(key, entry);
    return entry.promise;
  }

  private async resolve(endpoint: AnyEndpoint, key: string, flight: Flight, fetch: () => Promise<unknown>): Promise<unknown> {
    const { operation } = endpoint;
    const { store, hooks } = this.options;
    // At most twice: a second look when another instance's call ended just before this one listened.
    for (let look = 0; ; look += 1) {
      const found = this.storing ? await store.get(key, flight.companyId).catch(() => undefined) : undefined;
      const cached = found?.entry;
      const generation = found?.generation ?? '';
      if (this.fresh(cached)) return this.hit(operation, cached);
      const turn = await this.flights.join(`${generation}|${key}`);
      let outcome: FlightOutcome | undefined;
      let failure: UpstreamError | undefined;
      if (!turn.lead && turn.outcome) {
        this.counters.fleetCoalesced += 1;
        hooks?.onFleetCoalesced?.(operation);
        outcome = turn.outcome;
        if (!outcome.ok) failure = sharedFailure(outcome.failure);
      } else if (!turn.lead && turn.missed && look === 0) {
        continue;
      } else {
        this.counters.misses += 1;
        hooks?.onMiss?.(operation);
        try {
          outcome = { ok: true, value: await fetch() };
          await this.keep(endpoint, key, flight, outcome.value, generation);
        } catch (error) {
          if (!(error instanceof UpstreamError)) {
            if (turn.lead) await turn.finish(undefined);
            throw error;
          }
          failure = error;
          outcome = { ok: false, failure: { ...error.details } };
        }
        if (turn.lead) await turn.finish(outcome);
      }
      if (outcome.ok) return outcome.value;
      return this.staleOr(operation, cached, failure as UpstreamError);
    }
  }

  /**
   * A fresh stored answer to a read of the company alone, now, or `undefined`: what `read` would answer
   * without a flight or an await (in-process stores only), counted as the same hit. A call in flight for
   * the key means there was no fresh answer when it began, so `read` would have joined it: the answer it
   * stores on settling is the one given here afterwards.
   */
  answerNow(endpoint: AnyEndpoint, companyId: string): unknown {
    if (!this.caching) return undefined;
    const known = this.options.store.peek?.(keyOf(endpoint, companyId));
    return this.fresh(known) ? this.hit(endpoint.operation, known) : undefined;
  }

  /** Whether a stored entry may answer a read as it is (caching on, and still within its freshness). */
  private fresh(cached: CachedRead | undefined): cached is CachedRead {
    return cached !== undefined && this.caching && cached.freshUntilMs > this.now();
  }

  /** A fresh answer from the store, counted. */
  private hit(operation: CodatOperation, cached: CachedRead): unknown {
    this.counters.hits += 1;
    this.options.hooks?.onHit?.(operation);
    return cached.value;
  }

  /** Stores a fresh answer: reusable while fresh, kept for stale-if-error beyond. Not when a mutation made it stale meanwhile. */
  private async keep(endpoint: AnyEndpoint, key: string, flight: Flight, value: unknown, generation: string): Promise<void> {
    if (!this.storing || flight.stale) return;
    const freshMs = this.caching ? freshnessMs(codesOf(value as SyncLike), this.options.freshness, endpoint.answer) : 0;
    const keepMs = Math.max(freshMs, this.options.staleIfErrorMs);
    if (keepMs <= 0) return;
    const storedAtMs = this.now();
    const entry: CachedRead = { value, storedAtMs, freshUntilMs: storedAtMs + freshMs };
    await this.options.store.set(key, flight.companyId, entry, keepMs, generation).catch(() => undefined);
  }

  /** A stale copy of `cached` when the failure allows one and the copy is young enough; else the failure. */
  private staleOr(operation: CodatOperation, cached: CachedRead | undefined, failure: UpstreamError): unknown {
    const ageMs = cached ? this.now() - cached.storedAtMs : Infinity;
    if (!cached || !servesStale(failure) || ageMs > this.options.staleIfErrorMs) throw failure;
    this.counters.stale += 1;
    this.options.hooks?.onStale?.(operation);
    const copy = Array.isArray(cached.value) ? [...(cached.value as unknown[])] : { ...(cached.value as object) };
    STALE.set(copy, { ageMs: Math.max(0, ageMs), because: failure });
    return copy;
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
    this.dropFlights(companyId);
    await this.options.store.deleteCompany(companyId).catch(() => undefined);
  }

  /** Calls in flight for the company: new readers must not join them, and their answers are not stored. */
  private dropFlights(companyId: string): void {
    for (const [key, flight] of this.inFlight) {
      if (flight.companyId !== companyId) continue;
      flight.stale = true;
      this.inFlight.delete(key);
    }
  }
}

/** Every read answers one sync or a list of them (codat.dto.ts). */
type SyncLike = Parameters<typeof codesOf>[0];
