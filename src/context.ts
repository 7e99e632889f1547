import { randomUUID } from 'node:crypto';

import type { CodatApi } from './codat/codat.api';
import { createLogger, type Logger } from './observability/logger';
import { createSyncLoaders, type BatchObserver, type SyncLoaders } from './sync/sync.loader';

/** What every resolver gets; built fresh for each GraphQL request. */
export interface Context {
  /** Writes (the sync mutations) go straight to Codat through this. */
  codat: CodatApi;
  /** Reads go through these per-request loaders: deduplicated and batched. */
  loaders: SyncLoaders;
  /** From `x-request-id` when the caller sent one, else generated. */
  requestId: string;
  /** A child logger that stamps every line with this request's id. */
  logger: Logger;
}

export interface ContextOptions {
  logger?: Logger;
  onBatch?: BatchObserver;
}

const silent = createLogger({ level: 'silent' });

export function createContext(codat: CodatApi, requestId: string = randomUUID(), options: ContextOptions = {}): Context {
  return {
    codat,
    loaders: createSyncLoaders(codat, { onBatch: options.onBatch }),
    requestId,
    logger: options.logger ?? silent.child({ requestId }),
  };
}
