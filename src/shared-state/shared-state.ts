import { InMemorySyncCache } from '../codat/codat.cache';
import type { Config } from '../config';
import type { Logger } from '../observability/logger';
import { MemoryIdempotencyStore } from '../sync/sync.idempotency';
import type { SharedState } from './shared-state.api';

export type { SharedState, TenantSharedState } from './shared-state.api';

/** Builds what the fleet shares from `config`: in memory without REDIS_URL, in Redis with it (see shared-state.api.ts). */
export async function createSharedState(config: Config, logger: Logger): Promise<SharedState> {
  // Each tenant's in-memory structures: the only ones without Redis, the fallback with it.
  const local = () => ({
    cache: new InMemorySyncCache(config.cacheMaxEntries),
    records: new MemoryIdempotencyStore(config.cacheMaxEntries),
  });
  if (!config.redisUrl) {
    const health = { redisUp: () => undefined, whenRedisUp: () => Promise.resolve(undefined) };
    return {
      ...health,
      forTenant() {
        const { cache, records } = local();
        return { ...health, keyPrefix: undefined, syncCache: cache, flights: undefined, fleetSlots: undefined, idempotency: records };
      },
      pollers: (local) => local,
      close: () => Promise.resolve(),
    };
  }
  const { createRedisSharedState } = await import('./redis-shared-state');
  return createRedisSharedState({ ...config, redisUrl: config.redisUrl }, logger, local);
}
