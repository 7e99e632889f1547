import type { CodatAnswer, CodatApi, CompanyRead } from '../../src/codat/codat.api';
import type * as Codat from '../../src/codat/codat.dto';
import { createSyncLoaders } from '../../src/sync/sync.loader';

// The per-request loaders are made on first use: each must still be one loader for the whole request,
// so that every alias and entity of an operation shares its batches and its cache.
function countingApi(): { api: CodatApi; calls: string[] } {
  const calls: string[] = [];
  const answer = <T>(name: string, id: string, value: T): Promise<T> => {
    calls.push(`${name} ${id}`);
    return Promise.resolve(value);
  };
  const sync = { syncStatusCode: 2000 } as Codat.CompanySyncStatus;
  const api = {
    getSyncStatus: (id: string) => answer('status', id, { syncStatusCode: 2000 } as Codat.SyncStatus),
    listSyncs: (id: string) => answer('list', id, [sync]),
    getLatestSync: (id: string) => answer('latest', id, sync),
    getLastSuccessfulSync: (id: string) => answer('lastSuccessful', id, sync),
  } as unknown as CodatApi;
  return { api, calls };
}

describe('createSyncLoaders', () => {
  it('hands out the same loader every time it is asked, made only when first asked', async () => {
    const { api, calls } = countingApi();
    const batches: string[] = [];
    const loaders = createSyncLoaders(api, { onBatch: (loader, size) => batches.push(`${loader}:${size}`) });
    expect(loaders.syncStatus).toBe(loaders.syncStatus);
    expect(loaders.syncList).toBe(loaders.syncList);
    expect(loaders.latestSync).toBe(loaders.latestSync);
    expect(loaders.lastSuccessfulSync).toBe(loaders.lastSuccessfulSync);

    await Promise.all([loaders.syncStatus.load('a'), loaders.syncStatus.load('b'), loaders.syncStatus.load('a')]);
    await loaders.syncStatus.load('a');
    await Promise.all([loaders.latestSync.load('a'), loaders.lastSuccessfulSync.load('a'), loaders.syncList.load('a')]);
    expect(calls).toEqual(['status a', 'status b', 'latest a', 'lastSuccessful a', 'list a']);
    expect(batches).toEqual(['syncStatus:2', 'latestSync:1', 'lastSuccessfulSync:1', 'syncList:1']);
  });

  it('gives each request loaders of its own', async () => {
    const { api, calls } = countingApi();
    await createSyncLoaders(api).syncStatus.load('a');
    await createSyncLoaders(api).syncStatus.load('a');
    expect(calls).toEqual(['status a', 'status a']);
  });

  it('answers what the API can answer at once as it is (no batch, no promise), and asks it once per company per request', async () => {
    const { api, calls } = countingApi();
    const asked: string[] = [];
    const cached = { syncStatusCode: 2000 } as Codat.SyncStatus;
    const answering: CodatApi = {
      ...api,
      answerNow: <K extends CompanyRead>(read: K, id: string) => {
        asked.push(`${read} ${id}`);
        return (read === 'getSyncStatus' && id === 'cached' ? cached : undefined) as CodatAnswer<K> | undefined;
      },
    };
    const batches: string[] = [];
    const loaders = createSyncLoaders(answering, { onBatch: (loader, size) => batches.push(`${loader}:${size}`) });

    // The cached answer itself, so that its field completes without a tick; the others' promise.
    expect(loaders.syncStatus.load('cached')).toBe(cached);
    expect(loaders.syncStatus.load('cached')).toBe(cached);
    const other = loaders.syncStatus.load('other');
    expect(other).toBeInstanceOf(Promise);
    expect(loaders.syncStatus.load('other')).toBe(other);
    const [b, c] = await Promise.all([other, loaders.syncStatus.load('other')]);
    expect(b).toBe(c);
    // Once the company went to Codat for this request, its answer is that call's, not a later cached one.
    await loaders.syncStatus.load('other');
    expect(asked).toEqual(['getSyncStatus cached', 'getSyncStatus other']);
    expect(calls).toEqual(['status other']);
    expect(batches).toEqual(['syncStatus:1']);
  });
});
