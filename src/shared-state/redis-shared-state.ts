import type { InMemorySyncCache } from '../codat/codat.cache';
import type { Config } from '../config';
import type { Logger } from '../observability/logger';
import type { MemoryIdempotencyStore } from '../sync/sync.idempotency';
import { createRedisConnection } from './redis-connection';
import { RedisFleetSlots } from './redis-fleet-slots';
import { RedisFlights } from './redis-flights';
import { RedisIdempotencyStore, SharedIdempotencyStore } from './redis-idempotency';
import { RedisSyncCache, SharedSyncCache } from './redis-sync-cache';
import { namespacePrefix, type SharedState } from './shared-state.api';

/**
 * The shared structures in Redis (REDIS_URL), each under `${REDIS_KEY_PREFIX}<namespace>:` and each
 * falling back to this instance's in-memory twin (`local`) while Redis does not answer. Loaded by
 * shared-state.ts only when REDIS_URL is set.
 */
export function createRedisSharedState(
  config: Config & { redisUrl: string },
  logger: Logger,
  local: { cache: InMemorySyncCache; records: MemoryIdempotencyStore },
): SharedState {
  const redis = createRedisConnection({
    url: config.redisUrl,
    commandTimeoutMs: config.redisCommandTimeoutMs,
    logger: logger.child({ component: 'redis' }),
  });
  const prefix = (namespace: string): string => namespacePrefix(config.redisKeyPrefix, namespace);
  // A company's generation outlives every entry it guards: the longest an entry may be kept.
  const generationTtlMs = Math.max(config.staleIfErrorMs, config.finishedSyncCacheTtlMs, 86_400_000);
  return {
    syncCache: new SharedSyncCache(redis, new RedisSyncCache(redis, prefix('cache'), generationTtlMs), local.cache),
    flights: new RedisFlights(redis, prefix('flight'), config.sharedFlightWaitMs),
    // The lease outlives the attempt it covers: no attempt runs past CODAT_TIMEOUT_MS.
    fleetSlots: new RedisFleetSlots(redis, prefix('slots'), config.codatMaxConcurrencyPerCompany, config.codatTimeoutMs + 2_000),
    idempotency: new SharedIdempotencyStore(redis, new RedisIdempotencyStore(redis, prefix('idem')), local.records),
    redisUp: () => redis.up(),
    whenRedisUp: (timeoutMs) => redis.whenUp(timeoutMs),
    close: () => redis.close(),
  };
}
