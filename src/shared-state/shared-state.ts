import { InMemorySyncCache, type SharedFlights, type SyncCache } from '../codat/codat.cache';
import type { FleetSlots } from '../codat/company-slots';
import type { Config } from '../config';
import type { Logger } from '../observability/logger';
import { MemoryIdempotencyStore, type IdempotencyStore } from '../sync/sync.idempotency';
import { createRedisConnection, type RedisConnection } from './redis-connection';
import { RedisFleetSlots } from './redis-fleet-slots';
import { RedisFlights } from './redis-flights';
import { RedisIdempotencyStore, SharedIdempotencyStore } from './redis-idempotency';
import { RedisSyncCache, SharedSyncCache } from './redis-sync-cache';

/**
 * Everything the instances of a fleet share, behind the interfaces the rest of the code declares: the
 * status cache (`SyncCache`), coalescing of identical reads (`SharedFlights`), Codat's per-company bound
 * (`FleetSlots`) and the idempotency records (`IdempotencyStore`). Without REDIS_URL, each is this
 * instance's own, in memory, exactly as a single instance always ran. With it, each lives in Redis under
 * its own key prefix, `${REDIS_KEY_PREFIX}<namespace>:`, and falls back to its in-memory twin whenever
 * Redis does not answer (redis-connection.ts). Each structure takes its prefix when it is built, so a
 * stack for another tenant is the same structures under another prefix.
 * This folder is the only code that imports ioredis.
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

export function createSharedState(config: Config, logger: Logger): SharedState {
  const localCache = new InMemorySyncCache(config.cacheMaxEntries);
  const localRecords = new MemoryIdempotencyStore(config.cacheMaxEntries);
  if (!config.redisUrl) {
    return {
      syncCache: localCache,
      flights: undefined,
      fleetSlots: undefined,
      idempotency: localRecords,
      redisUp: () => undefined,
      whenRedisUp: () => Promise.resolve(undefined),
      close: () => Promise.resolve(),
    };
  }
  const redis: RedisConnection = createRedisConnection({
    url: config.redisUrl,
    commandTimeoutMs: config.redisCommandTimeoutMs,
    logger: logger.child({ component: 'redis' }),
  });
  const prefix = (namespace: string): string => namespacePrefix(config.redisKeyPrefix, namespace);
  const cache = new RedisSyncCache(redis, prefix('cache'), Math.max(config.staleIfErrorMs, config.finishedSyncCacheTtlMs, 86_400_000));
  return {
    syncCache: new SharedSyncCache(redis, cache, localCache),
    flights: new RedisFlights(redis, prefix('flight'), config.sharedFlightWaitMs),
    // The lease outlives the attempt it covers: no attempt runs past CODAT_TIMEOUT_MS.
    fleetSlots: new RedisFleetSlots(redis, prefix('slots'), config.codatMaxConcurrencyPerCompany, config.codatTimeoutMs + 2_000),
    idempotency: new SharedIdempotencyStore(redis, new RedisIdempotencyStore(redis, prefix('idem')), localRecords),
    redisUp: () => redis.up(),
    whenRedisUp: (timeoutMs) => redis.whenUp(timeoutMs),
    close: () => redis.close(),
  };
}
