import DataLoader from 'dataloader';

import type { CodatApi } from '../codat/codat.api';
import type * as Codat from '../codat/codat.dto';

/**
 * One DataLoader per upstream read, built per GraphQL request (never shared: its cache must not outlive
 * the request). Codat has no batch endpoint, so a batch is a fan-out of one GET per distinct key; the
 * number in flight is bounded by the client's instance-wide limiter (CODAT_MAX_CONCURRENCY).
 */
export interface SyncLoaders {
  /** get-sync-status by company id */
  syncStatus: DataLoader<string, Codat.SyncStatus>;
  /** list-syncs by company id */
  syncList: DataLoader<string, Codat.CompanySyncStatus[]>;
  /** get-latest-sync by company id */
  latestSync: DataLoader<string, Codat.CompanySyncStatus>;
  /** get-last-successful-sync by company id */
  lastSuccessfulSync: DataLoader<string, Codat.CompanySyncStatus>;
}

/**
 * Keeps DataLoader's contract to the letter: one entry per key, in key order, and a failed key becomes
 * an `Error` in its own slot so that one company's failure never fails its neighbours.
 */
export function fanOut<V>(fetch: (key: string) => Promise<V>, observe?: (size: number) => void): DataLoader.BatchLoadFn<string, V> {
  return (keys) => {
    observe?.(keys.length);
    return Promise.all(
      keys.map((key) => fetch(key).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))),
    );
  };
}

/** Told the size of every batch a loader dispatches (for the `dataloader_batch_size` metric). */
export type BatchObserver = (loader: keyof SyncLoaders, size: number) => void;

export interface SyncLoaderOptions {
  onBatch?: BatchObserver;
}

export function createSyncLoaders(codat: CodatApi, options: SyncLoaderOptions = {}): SyncLoaders {
  const observe = (loader: keyof SyncLoaders) => (options.onBatch ? (size: number) => options.onBatch?.(loader, size) : undefined);
  return {
    syncStatus: new DataLoader(fanOut((id) => codat.getSyncStatus(id), observe('syncStatus'))),
    syncList: new DataLoader(fanOut((id) => codat.listSyncs(id), observe('syncList'))),
    latestSync: new DataLoader(fanOut((id) => codat.getLatestSync(id), observe('latestSync'))),
    lastSuccessfulSync: new DataLoader(fanOut((id) => codat.getLastSuccessfulSync(id), observe('lastSuccessfulSync'))),
  };
}
