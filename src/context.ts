import { randomUUID } from 'node:crypto';

import type { CodatApi } from './codat/codat.api';
import { createSyncLoaders, type SyncLoaders } from './sync/sync.loader';

/** What every resolver gets; built fresh for each GraphQL request. */
export interface Context {
  /** Writes (the sync mutations) go straight to Codat through this. */
  codat: CodatApi;
  /** Reads go through these per-request loaders: deduplicated and batched. */
  loaders: SyncLoaders;
  /** From `x-request-id` when the caller sent one, else generated. */
  requestId: string;
}

export function createContext(codat: CodatApi, requestId: string = randomUUID()): Context {
  return { codat, loaders: createSyncLoaders(codat), requestId };
}
