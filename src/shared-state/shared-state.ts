import { InMemorySyncCache } from '../codat/codat.cache';
import type { Config } from '../config';
import type { Logger } from '../observability/logger';
import { MemoryIdempotencyStore } from '../sync/sync.idempotency';
import type { SharedState } from './shared-state.api';

export type { SharedState } from './shared-state.api';

/** Builds what the fleet shares from `config`: in memory without REDIS_URL, in Redis with it (see shared-state.api.ts). */
export async function createSharedState(config: Config, logger: Logger): Promise<SharedState> {
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
  const { createRedisSharedState } = await import('./redis-shared-state');
  return createRedisSharedState({ ...config, redisUrl: config.redisUrl }, logger, { cache: localCache, records: localRecords });
}
