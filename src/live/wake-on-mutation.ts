import type { CallOrigin, CodatAnswer, CodatApi, CompanyRead } from '../codat/codat.api';
import type { PollerRegistry } from './poller-registry';

/**
 * The `CodatApi` the resolvers use, with one addition: once a sync mutation for a company has settled
 * (whatever its outcome: a POST that may have reached Codat may have started a sync), that company's
 * poller is woken, so its subscribers see the new sync at once rather than at the next idle poll. The
 * cache under it (codat.cache.ts) has dropped the company's entries by then, so the poll reads Codat.
 * One per tenant: `tenant` is the tenant whose Codat `codat` talks to.
 */
export function wakePollersOnMutation(codat: CodatApi, pollers: Pick<PollerRegistry, 'wake'>, tenant: string): CodatApi {
  return new WakingApi(codat, pollers, tenant);
}

/**
 * Every GraphQL request makes a view of it (`onBehalfOf`): one object, its methods on the prototype, as
 * codat.client.ts's `apiFromEndpoints` says why.
 */
class WakingApi implements CodatApi {
  constructor(
    private readonly codat: CodatApi,
    private readonly pollers: Pick<PollerRegistry, 'wake'>,
    private readonly tenant: string,
  ) {}

  onBehalfOf(origin: CallOrigin | undefined): CodatApi {
    return new WakingApi(this.codat.onBehalfOf(origin), this.pollers, this.tenant);
  }

  answerNow<K extends CompanyRead>(read: K, companyId: string): CodatAnswer<K> | undefined {
    return this.codat.answerNow?.(read, companyId);
  }

  getSyncStatus(companyId: string): ReturnType<CodatApi['getSyncStatus']> {
    return this.codat.getSyncStatus(companyId);
  }

  listSyncs(companyId: string): ReturnType<CodatApi['listSyncs']> {
    return this.codat.listSyncs(companyId);
  }

  getLatestSync(companyId: string): ReturnType<CodatApi['getLatestSync']> {
    return this.codat.getLatestSync(companyId);
  }

  getLastSuccessfulSync(companyId: string): ReturnType<CodatApi['getLastSuccessfulSync']> {
    return this.codat.getLastSuccessfulSync(companyId);
  }

  getSyncById(companyId: string, syncId: string): ReturnType<CodatApi['getSyncById']> {
    return this.codat.getSyncById(companyId, syncId);
  }

  requestSync(...args: Parameters<CodatApi['requestSync']>): ReturnType<CodatApi['requestSync']> {
    return this.settled(args[0], () => this.codat.requestSync(...args));
  }

  requestSyncForDateRange(...args: Parameters<CodatApi['requestSyncForDateRange']>): ReturnType<CodatApi['requestSyncForDateRange']> {
    return this.settled(args[0], () => this.codat.requestSyncForDateRange(...args));
  }

  private async settled<T>(companyId: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } finally {
      this.pollers.wake({ tenant: this.tenant, companyId });
    }
  }
}
