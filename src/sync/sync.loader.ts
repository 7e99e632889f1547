import DataLoader from 'dataloader';

import type { CodatAnswer, CodatApi, CompanyRead } from '../codat/codat.api';
import type * as Codat from '../codat/codat.dto';
import type { MaybePromise } from '../lib/maybe-promise';

/**
 * One reader per upstream read, built per GraphQL request (never shared: what it remembers must not
 * outlive the request): each company is read once per request, however many aliases and entities ask.
 * A company whose answer the API can give at once (a fresh cached answer, `CodatApi.answerNow`) is
 * answered so; the others go through a DataLoader, whose batch is a fan-out of one GET per distinct key
 * (Codat has no batch endpoint), bounded by the client's instance-wide limiter (CODAT_MAX_CONCURRENCY).
 */
export interface SyncLoaders {
  /** get-sync-status by company id */
  syncStatus: CompanyLoader<Codat.SyncStatus>;
  /** list-syncs by company id */
  syncList: CompanyLoader<Codat.CompanySyncStatus[]>;
  /** get-latest-sync by company id */
  latestSync: CompanyLoader<Codat.CompanySyncStatus>;
  /** get-last-successful-sync by company id */
  lastSuccessfulSync: CompanyLoader<Codat.CompanySyncStatus>;
}

/** One read, by company id, for one request. */
export interface CompanyLoader<V> {
  /**
   * The company's answer, the same every time this request asks: the answer itself when it was at hand
   * (a fresh cached one), otherwise the promise of the call that brings it.
   */
  load(companyId: string): MaybePromise<V>;
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
  #syncStatus: CompanyReads<'getSyncStatus'> | undefined;
  #syncList: CompanyReads<'listSyncs'> | undefined;
  #latestSync: CompanyReads<'getLatestSync'> | undefined;
  #lastSuccessfulSync: CompanyReads<'getLastSuccessfulSync'> | undefined;

  constructor(
    private readonly codat: CodatApi,
    private readonly onBatch: BatchObserver | undefined,
  ) {}

  get syncStatus(): SyncLoaders['syncStatus'] {
    return (this.#syncStatus ??= new CompanyReads(this.codat, 'getSyncStatus', this.observe('syncStatus')));
  }

  get syncList(): SyncLoaders['syncList'] {
    return (this.#syncList ??= new CompanyReads(this.codat, 'listSyncs', this.observe('syncList')));
  }

  get latestSync(): SyncLoaders['latestSync'] {
    return (this.#latestSync ??= new CompanyReads(this.codat, 'getLatestSync', this.observe('latestSync')));
  }

  get lastSuccessfulSync(): SyncLoaders['lastSuccessfulSync'] {
    return (this.#lastSuccessfulSync ??= new CompanyReads(this.codat, 'getLastSuccessfulSync', this.observe('lastSuccessfulSync')));
  }

  private observe(loader: keyof SyncLoaders): ((size: number) => void) | undefined {
    const onBatch = this.onBatch;
    return onBatch ? (size) => onBatch(loader, size) : undefined;
  }
}

/**
 * One read for one request. A fresh cached answer is given as it is, without DataLoader or a promise: a
 * batch would cost a cached request a tick, a batch promise, a fan-out and a `dataloader_batch_size`
 * sample (which counts companies fetched) for no call at all, and a promise would keep graphql-js from
 * completing the field at once (README, "Performance"). The first answer for each company is kept for
 * the rest of the request, whichever way it came, so every alias of a company gets the same one, and the
 * cache counts one hit per company per request, as it did when every read was batched. The DataLoader is
 * made on the first read that needs Codat, without a cache of its own: the map here is the request's.
 */
class CompanyReads<K extends CompanyRead> implements CompanyLoader<CodatAnswer<K>> {
  private readonly answers = new Map<string, MaybePromise<CodatAnswer<K>>>();
  private batches: DataLoader<string, CodatAnswer<K>> | undefined;

  constructor(
    private readonly codat: CodatApi,
    private readonly read: K,
    private readonly observe: ((size: number) => void) | undefined,
  ) {}

  load(companyId: string): MaybePromise<CodatAnswer<K>> {
    const known = this.answers.get(companyId);
    if (known !== undefined) return known;
    const answer = this.codat.answerNow?.(this.read, companyId) ?? this.batched().load(companyId);
    this.answers.set(companyId, answer);
    return answer;
  }

  /** The DataLoader, made with its fetch (the read, called on the request's view) on the first read that needs Codat. */
  private batched(): DataLoader<string, CodatAnswer<K>> {
    return (this.batches ??= new DataLoader(
      fanOut((companyId) => (this.codat[this.read] as (id: string) => Promise<CodatAnswer<K>>).call(this.codat, companyId), this.observe),
      { cache: false },
    ));
  }
}
