import type { CodatApi } from '../codat/codat.api';
import type { PollerRegistry } from './poller-registry';

/**
 * The `CodatApi` the resolvers use, with one addition: once a sync mutation for a company has settled
 * (whatever its outcome: a POST that may have reached Codat may have started a sync), that company's
 * poller is woken, so its subscribers see the new sync at once rather than at the next idle poll. The
 * cache under it (codat.cache.ts) has dropped the company's entries by then, so the poll reads Codat.
 * One per tenant: `tenant` is the tenant whose Codat `codat` talks to.
 */
export function wakePollersOnMutation(codat: CodatApi, pollers: Pick<PollerRegistry, 'wake'>, tenant: string): CodatApi {
  const settled = async <T>(companyId: string, send: () => Promise<T>): Promise<T> => {
    try {
      return await send();
    } finally {
      pollers.wake({ tenant, companyId });
    }
  };
  return {
    onBehalfOf: (origin) => wakePollersOnMutation(codat.onBehalfOf(origin), pollers, tenant),
    getSyncStatus: (companyId) => codat.getSyncStatus(companyId),
    listSyncs: (companyId) => codat.listSyncs(companyId),
    getLatestSync: (companyId) => codat.getLatestSync(companyId),
    getLastSuccessfulSync: (companyId) => codat.getLastSuccessfulSync(companyId),
    getSyncById: (companyId, syncId) => codat.getSyncById(companyId, syncId),
    requestSync: (companyId, options) => settled(companyId, () => codat.requestSync(companyId, options)),
    requestSyncForDateRange: (companyId, range) => settled(companyId, () => codat.requestSyncForDateRange(companyId, range)),
  };
}
