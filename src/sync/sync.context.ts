import type { Caller } from '../auth/caller';
import type { CodatApi } from '../codat/codat.api';
import type { Freshness } from '../codat/sync-state';
import type { SyncLoaders } from './sync.loader';

/**
 * What the sync and Company resolvers need from a request's context. Declared here, beside them, so that
 * the dependency points down: the composition root's `Context` (src/context.ts) satisfies it, and no
 * resolver imports the layer that builds it.
 */
export interface SyncContext {
  /** Writes (the sync mutations) go straight to Codat through this. */
  codat: CodatApi;
  /** Reads go through these per-request loaders: deduplicated and batched. */
  loaders: SyncLoaders;
  /** Who is calling (auth/caller.ts): every resolver checks it before anything reaches Codat. */
  caller: Caller;
  /** How long answers may be reused (STATUS_CACHE_TTL_MS and its bounds, config.ts): the cache hints follow it. */
  freshness: Freshness;
}
