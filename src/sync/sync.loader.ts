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

/**
 * The request's loaders, each made the first time a resolver asks for it: most operations read one kind of
 * answer (a dashboard reads only statuses), and a request answered without a Codat read makes none.
 */
export function createSyncLoaders(codat: CodatApi, options: SyncLoaderOptions = {}): SyncLoaders {
  return new LazySyncLoaders(codat, options.onBatch);
}

class LazySyncLoaders implements SyncLoaders {
  #syncStatus: SyncLoaders['syncStatus'] | undefined;
  #syncList: SyncLoaders['syncList'] | undefined;
  #latestSync: SyncLoaders['latestSync'] | undefined;
  #lastSuccessfulSync: SyncLoaders['lastSuccessfulSync'] | undefined;

  constructor(
    private readonly codat: CodatApi,
    private readonly onBatch: BatchObserver | undefined,
  ) {}

  get syncStatus(): SyncLoaders['syncStatus'] {
    return (this.#syncStatus ??= new DataLoader(fanOut((id) => this.codat.getSyncStatus(id), this.observe('syncStatus'))));
  }

  get syncList(): SyncLoaders['syncList'] {
    return (this.#syncList ??= new DataLoader(fanOut((id) => this.codat.listSyncs(id), this.observe('syncList'))));
  }

  get latestSync(): SyncLoaders['latestSync'] {
    return (this.#latestSync ??= new DataLoader(fanOut((id) => this.codat.getLatestSync(id), this.observe('latestSync'))));
  }

  get lastSuccessfulSync(): SyncLoaders['lastSuccessfulSync'] {
    return (this.#lastSuccessfulSync ??= new DataLoader(
      fanOut((id) => this.codat.getLastSuccessfulSync(id), this.observe('lastSuccessfulSync')),
    ));
  }

  private observe(loader: keyof SyncLoaders): ((size: number) => void) | undefined {
    const onBatch = this.onBatch;
    return onBatch ? (size) => onBatch(loader, size) : undefined;
  }
}
