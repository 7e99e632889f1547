import type { SharedFlights, SyncCache } from '../codat/codat.cache';
import type { FleetSlots } from '../codat/company-slots';
import type { IdempotencyStore } from '../sync/sync.idempotency';

/**
 * Everything the instances of a fleet share, behind the interfaces the rest of the code declares: the
 * status cache (`SyncCache`), coalescing of identical reads (`SharedFlights`), Codat's per-company bound
 * (`FleetSlots`) and the idempotency records (`IdempotencyStore`). Without REDIS_URL, each is this
 * instance's own, in memory, exactly as a single instance always ran. With it, each lives in Redis under
 * its own key prefix, `${REDIS_KEY_PREFIX}<namespace>:`, and falls back to its in-memory twin whenever
 * Redis does not answer (redis-connection.ts). Each structure takes its prefix when it is built, so a
 * stack for another tenant is the same structures under another prefix.
 * This folder is the only code that imports ioredis, and only once REDIS_URL asks for it
 * (redis-shared-state.ts, loaded on demand): ioredis takes a few hundred milliseconds to load, which
 * an instance without Redis should not pay.
 */
export interface SharedState {
  syncCache: SyncCache;
  /** Absent without REDIS_URL: the cache coalesces within the instance only. */
  flights: SharedFlights | undefined;
  /** Absent without REDIS_URL: the per-instance bound alone holds. */
  fleetSlots: FleetSlots | undefined;
  idempotency: IdempotencyStore;
  /** Whether Redis answers now; undefined without REDIS_URL. */
  redisUp(): boolean | undefined;
  /** Resolves with `redisUp()` once Redis answers, or after `timeoutMs` (at once without REDIS_URL). */
  whenRedisUp(timeoutMs: number): Promise<boolean | undefined>;
  close(): Promise<void>;
}

/** The key prefix of one namespace, e.g. `ccs:cache:`. */
export function namespacePrefix(keyPrefix: string, namespace: string): string {
  return `${keyPrefix}${namespace}:`;
}
