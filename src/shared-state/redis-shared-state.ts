import type { InMemorySyncCache } from '../codat/codat.cache';
import type { Config } from '../config';
import type { Logger } from '../observability/logger';
import type { MemoryIdempotencyStore } from '../sync/sync.idempotency';
import { createRedisConnection } from './redis-connection';
import { RedisFleetSlots } from './redis-fleet-slots';
import { RedisFlights } from './redis-flights';
import { RedisPollerRegistry } from './redis-poller-registry';
import { RedisIdempotencyStore, SharedIdempotencyStore } from './redis-idempotency';
import { RedisSyncCache, SharedSyncCache } from './redis-sync-cache';
import { namespacePrefix, tenantPrefix, type SharedState } from './shared-state.api';

/**
 * The shared structures in Redis (REDIS_URL), one set per tenant, each under
 * `${REDIS_KEY_PREFIX}<tenant>:<namespace>:` and each falling back to this instance's in-memory twin
 * (`local()`, one per tenant) while Redis does not answer. One connection serves every tenant. Loaded by
 * shared-state.ts only when REDIS_URL is set.
 */
export function createRedisSharedState(
  config: Config & { redisUrl: string },
  logger: Logger,
  local: () => { cache: InMemorySyncCache; records: MemoryIdempotencyStore },
): SharedState {
  const redis = createRedisConnection({
    url: config.redisUrl,
    commandTimeoutMs: config.redisCommandTimeoutMs,
    logger: logger.child({ component: 'redis' }),
  });
  // A company's generation outlives every entry it guards: the longest an entry may be kept.
  const generationTtlMs = Math.max(config.staleIfErrorMs, config.finishedSyncCacheTtlMs, 86_400_000);
  const health = { redisUp: () => redis.up(), whenRedisUp: (timeoutMs: number) => redis.whenUp(timeoutMs) };
  return {
    ...health,
    forTenant(tenant) {
      const keyPrefix = tenantPrefix(config.redisKeyPrefix, tenant);
      const prefix = (namespace: string): string => namespacePrefix(keyPrefix, namespace);
      const { cache, records } = local();
      return {
        ...health,
        keyPrefix,
        syncCache: new SharedSyncCache(redis, new RedisSyncCache(redis, prefix('cache'), generationTtlMs), cache),
        flights: new RedisFlights(redis, prefix('flight'), config.sharedFlightWaitMs),
        // The lease outlives the attempt it covers: no attempt runs past CODAT_TIMEOUT_MS.
        fleetSlots: new RedisFleetSlots(redis, prefix('slots'), config.codatMaxConcurrencyPerCompany, config.codatTimeoutMs + 2_000),
        idempotency: new SharedIdempotencyStore(redis, new RedisIdempotencyStore(redis, prefix('idem')), records),
      };
    },
    pollers: (local) =>
      new RedisPollerRegistry(redis, local, {
        keyPrefix: config.redisKeyPrefix,
        leaseMs: config.livePollLeaseMs,
        // Kept longer than the idle pace, so a subscriber joining elsewhere gets the latest status at once.
        lastOutcomeTtlMs: config.live.pollIdleMs * 2 + config.livePollLeaseMs,
        eagerTtlMs: config.live.pollActiveMs * 3,
        logger: logger.child({ component: 'live' }),
      }),
    close: () => redis.close(),
  };
}
