import type { Caller } from '../auth/caller';
import type { CodatApi } from '../codat/codat.api';
import type { StaleRead } from '../codat/codat.cache';
import type { Freshness } from '../codat/sync-state';
import type { IdempotentSyncs } from './sync.idempotency';
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
  /** The records behind idempotent sync requests (sync.idempotency.ts), shared by every request of the instance (or the fleet). */
  idempotency: IdempotentSyncs;
  /** The request's `Idempotency-Key` header, if it sent one. */
  idempotencyKey: string | undefined;
  /** Fields this request answered from a stale copy (codat/codat.cache.ts): each becomes an error entry beside its data (src/apollo/stale-reads.plugin.ts). */
  staleReads: StaleReadNotice[];
}

/** One field answered from a stale copy: where it is in the response, and why. */
export interface StaleReadNotice {
  path: readonly (string | number)[];
  stale: StaleRead;
}
