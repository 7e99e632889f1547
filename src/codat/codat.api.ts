import type * as Codat from './codat.dto';

/**
 * What this subgraph needs from Codat's Sync for Commerce API. One method per spec operation
 * (operationId in each comment). Resolvers and loaders depend on `CodatApi` only, so the HTTP client
 * can be swapped (for a cached or coalescing wrapper) without touching them.
 *
 * Every method rejects with `UpstreamError` and nothing else.
 */
export interface CodatOperations {
  /** get-sync-status: `GET /meta/companies/{companyId}/sync/commerce/status`. The latest sync and the company's data connections. */
  getSyncStatus(companyId: string): Promise<Codat.SyncStatus>;
  /** list-syncs: `GET /companies/{companyId}/sync/commerce/syncs/list/status`. Every sync, in Codat's order. */
  listSyncs(companyId: string): Promise<Codat.CompanySyncStatus[]>;
  /** get-latest-sync: `GET /companies/{companyId}/sync/commerce/syncs/latest/status`. */
  getLatestSync(companyId: string): Promise<Codat.CompanySyncStatus>;
  /** get-last-successful-sync: `GET /companies/{companyId}/sync/commerce/syncs/lastSuccessful/status`. */
  getLastSuccessfulSync(companyId: string): Promise<Codat.CompanySyncStatus>;
  /** get-sync-by-id: `GET /companies/{companyId}/sync/commerce/syncs/{syncId}/status`. */
  getSyncById(companyId: string, syncId: string): Promise<Codat.CompanySyncStatus>;
  /**
   * request-sync: `POST /companies/{companyId}/sync/commerce/latest`. Syncs from the last successful sync up to
   * `syncTo` (Codat uses now when it is absent, and the configured start date when nothing succeeded yet).
   * Not idempotent: callers must not retry it once it may have reached Codat.
   */
  requestSync(companyId: string, options?: { syncTo?: Date }): Promise<Codat.SyncSummary>;
  /**
   * request-sync-for-date-range: `POST /meta/companies/{companyId}/sync/commerce/historic`, body `{"dateRange": {start, finish}}`.
   * Codat refuses a range that overlaps an earlier sync's range. Not idempotent.
   */
  requestSyncForDateRange(companyId: string, range: { start: Date; finish: Date }): Promise<Codat.SyncSummary>;
}

/**
 * Whom a call is made for (the GraphQL request that caused it), as `onBehalfOf` was given it. Opaque to
 * the client: it only hands it back to its hooks with each report (codat.events.ts), so that they can log
 * and trace the call as that request's.
 */
export type CallOrigin = object;

/** What an operation answers. */
export type CodatAnswer<K extends keyof CodatOperations> = Awaited<ReturnType<CodatOperations[K]>>;

/** The reads that take a company id and nothing else: those a request's loaders batch (src/sync/sync.loader.ts). */
export type CompanyRead = 'getSyncStatus' | 'listSyncs' | 'getLatestSync' | 'getLastSuccessfulSync';

/** The operations, and views of the same API whose calls are reported as made for someone. */
export interface CodatApi extends CodatOperations {
  /**
   * The same API (same cache, limits and client), whose calls report `origin` to the client's hooks; a
   * call that joins one already in flight is reported once, as the first caller's. `undefined` gives
   * calls made for nobody in particular (a poller's, which outlives the request that started it).
   */
  onBehalfOf(origin: CallOrigin | undefined): CodatApi;
  /**
   * The answer to `read` for the company when it can be given at once, without a call or a wait: a fresh
   * answer in an in-process cache (codat.cache.ts), counted as that cache's hit. `undefined` otherwise,
   * and absent from an API without such a cache; the caller then calls `read`. A request's loaders ask
   * this first, so that a cached read costs no loader batch (src/sync/sync.loader.ts).
   */
  answerNow?<K extends CompanyRead>(read: K, companyId: string): CodatAnswer<K> | undefined;
}

/** The spec's operationIds for the operations above: used in logs, metrics and error details. */
export type CodatOperation =
  | 'get-sync-status'
  | 'list-syncs'
  | 'get-latest-sync'
  | 'get-last-successful-sync'
  | 'get-sync-by-id'
  | 'request-sync'
  | 'request-sync-for-date-range';
