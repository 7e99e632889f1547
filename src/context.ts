import { randomUUID } from 'node:crypto';

import type { Caller } from './auth/caller';
import type { CodatApi } from './codat/codat.api';
import type { Freshness } from './codat/sync-state';
import type { LiveContext, LiveSession } from './live/live.context';
import { createLogger, type Logger } from './observability/logger';
import { RequestOrigin } from './observability/request-origin';
import type { SyncContext } from './sync/sync.context';
import type { IdempotentSyncs } from './sync/sync.idempotency';
import { createSyncLoaders, type BatchObserver } from './sync/sync.loader';

/** What every resolver gets; built fresh for each GraphQL request (or subscription). The resolvers' own views of it: SyncContext, LiveContext. */
export interface Context extends SyncContext, LiveContext {
  /** From `x-request-id` when the caller sent one, else generated. */
  requestId: string;
  /**
   * What this request's Codat calls carry to the client's hooks (`codat` is bound to it): its id, span
   * and logger (`origin.logger`, a child that stamps every line with the request id, made when first used).
   */
  origin: RequestOrigin;
}

export interface ContextOptions {
  /** Who is calling, as the HTTP edge resolved it (OPEN_CALLER with AUTH_MODE=none). */
  caller: Caller;
  /** How long answers may be reused (config.ts); drives the cache hints. */
  freshness: Freshness;
  /** The request's logger, or how to make it when first needed (the HTTP edge's is made so: src/http/http-edge.ts). */
  logger?: Logger | (() => Logger);
  onBatch?: BatchObserver;
  /** Live tracking (src/live/): the tracker and the transport this operation came in on. */
  live: LiveSession;
  /** The instance's (or fleet's) idempotency records for the sync mutations. */
  idempotency: IdempotentSyncs;
  /** The request's `Idempotency-Key` header, if any. */
  idempotencyKey?: string;
}

const silent = createLogger({ level: 'silent' });

/** `codat` is the tenant's shared API; the context's is the same one, its calls reported as this request's. */
export function createContext(codat: CodatApi, requestId: string = randomUUID(), options: ContextOptions): Context {
  const origin = new RequestOrigin(requestId, options.logger ?? (() => silent.child({ requestId })));
  const forRequest = codat.onBehalfOf(origin);
  return {
    codat: forRequest,
    loaders: createSyncLoaders(forRequest, { onBatch: options.onBatch }),
    freshness: options.freshness,
    caller: options.caller,
    live: options.live,
    idempotency: options.idempotency,
    idempotencyKey: options.idempotencyKey,
    staleReads: [],
    requestId,
    origin,
  };
}
