import { CommerceSyncStatusDocument, RequestSyncDocument } from '../__generated__/operations';
import { loadConfig } from '../../src/config';
import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { startHarness, useHarness, type Harness } from '../support/harness';
import { sampleValue } from '../support/observability';
import { waitFor } from '../support/wait';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function statusGets(h: Harness, companyId?: string): number {
  return h.simulator.requests().filter((r) => r.operationId === 'get-sync-status' && (!companyId || r.companyId === companyId)).length;
}

const { succeeded, inProgress } = SEEDED_COMPANY_IDS;

describe('coalescing of concurrent identical reads (cache off)', () => {
  const h = useHarness();

  it('200 GraphQL requests polling one company at once cost one upstream GET', async () => {
    // The one upstream call is held until all 200 requests have joined it, however slow the machine.
    const gate = h.simulator.hold(succeeded, { operationId: 'get-sync-status', times: 1 });
    const before = h.cache.stats();
    const pending = Promise.all(Array.from({ length: 200 }, () => h.execute(CommerceSyncStatusDocument, { companyId: succeeded })));
    await waitFor(() => h.cache.stats().coalesced - before.coalesced >= 199, '199 requests to join the in-flight call');
    gate.release();
    const responses = await pending;
    for (const res of responses) expect(res.data?.commerceSyncStatus?.state).toBe('SUCCEEDED');
    expect(statusGets(h)).toBe(1);
    const after = h.cache.stats();
    expect(after.misses - before.misses).toBe(1);
    expect(after.coalesced - before.coalesced).toBe(199);
  });

  it('with the cache off, a request after the call settled goes upstream again', async () => {
    await h.execute(CommerceSyncStatusDocument, { companyId: succeeded });
    await h.execute(CommerceSyncStatusDocument, { companyId: succeeded });
    expect(statusGets(h)).toBe(2);
  });

  it('concurrent callers of one failing call all get its error, from one upstream call', async () => {
    // The hanging call times out only once the four others have joined it, however busy the machine.
    const quick = await startHarness({ config: { codatTimeoutMs: 1_500, codatMaxRetries: 0 } });
    try {
      quick.simulator.setBehaviour(succeeded, { kind: 'hang' }, { operationId: 'get-sync-status', times: 1 });
      const before = quick.cache.stats().coalesced;
      const pending = Promise.all(Array.from({ length: 5 }, () => quick.execute(CommerceSyncStatusDocument, { companyId: succeeded })));
      await waitFor(() => quick.cache.stats().coalesced - before >= 4, 'four callers to join the hanging call');
      const responses = await pending;
      for (const res of responses) expect(res.errors?.[0]?.extensions?.code).toBe('UPSTREAM_TIMEOUT');
      expect(statusGets(quick)).toBe(1);
      const next = await quick.execute(CommerceSyncStatusDocument, { companyId: succeeded });
      expect(next.data?.commerceSyncStatus?.state).toBe('SUCCEEDED');
      expect(statusGets(quick)).toBe(2);
    } finally {
      await quick.close();
    }
  });
});

describe('the status cache (STATUS_CACHE_TTL_MS)', () => {
  // No retries: a failure set for one request must reach GraphQL as that request's error.
  // A TTL that five sequential polls fit in even on a busy machine.
  const h = useHarness({ config: { statusCacheTtlMs: 1_000, codatMaxRetries: 0 }, simulator: { syncDurationMs: 60_000 } });

  it('answers repeated polls from the cache until the TTL expires', async () => {
    const company = h.simulator.addCompany({ state: 'succeeded' });
    for (let i = 0; i < 5; i += 1) {
      const res = await h.execute(CommerceSyncStatusDocument, { companyId: company });
      expect(res.data?.commerceSyncStatus?.state).toBe('SUCCEEDED');
    }
    expect(statusGets(h, company)).toBe(1);
    await sleep(1_100);
    await h.execute(CommerceSyncStatusDocument, { companyId: company });
    expect(statusGets(h, company)).toBe(2);
  });

  it('keeps an in-progress status for a shorter time than a finished one', async () => {
    const long = await startHarness({ config: { statusCacheTtlMs: 60_000 } });
    try {
      await long.execute(CommerceSyncStatusDocument, { companyId: inProgress });
      await long.execute(CommerceSyncStatusDocument, { companyId: succeeded });
      await sleep(loadConfig({}).inProgressCacheTtlMs + 200); // past the in-progress bound, far inside the 60 s status TTL
      await long.execute(CommerceSyncStatusDocument, { companyId: inProgress });
      await long.execute(CommerceSyncStatusDocument, { companyId: succeeded });
      expect(statusGets(long, inProgress)).toBe(2);
      expect(statusGets(long, succeeded)).toBe(1);
    } finally {
      await long.close();
    }
  });

  it('never stores an error: the next request goes upstream', async () => {
    const company = h.simulator.addCompany({ state: 'succeeded' });
    h.simulator.setBehaviour(company, { kind: 'status', status: 500 }, { operationId: 'get-sync-status', times: 1 });
    const failed = await h.execute(CommerceSyncStatusDocument, { companyId: company });
    expect(failed.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    const ok = await h.execute(CommerceSyncStatusDocument, { companyId: company });
    expect(ok.data?.commerceSyncStatus?.state).toBe('SUCCEEDED');
    expect(statusGets(h, company)).toBe(2);
  });

  it('forgets a company as soon as requestSync is sent for it, and only that company', async () => {
    const long = await startHarness({ config: { statusCacheTtlMs: 60_000 }, simulator: { syncDurationMs: 60_000 } });
    try {
      const [a, b] = [long.simulator.addCompany({ state: 'succeeded' }), long.simulator.addCompany({ state: 'succeeded' })];
      await long.execute(CommerceSyncStatusDocument, { companyId: a });
      await long.execute(CommerceSyncStatusDocument, { companyId: b });
      const mutation = await long.execute(RequestSyncDocument, { companyId: a });
      expect(mutation.data?.requestSync?.state).toBe('IN_PROGRESS');
      const after = await long.execute(CommerceSyncStatusDocument, { companyId: a });
      expect(after.data?.commerceSyncStatus?.state).toBe('IN_PROGRESS');
      await long.execute(CommerceSyncStatusDocument, { companyId: b });
      expect(statusGets(long, a)).toBe(2);
      expect(statusGets(long, b)).toBe(1);
    } finally {
      await long.close();
    }
  });

  it('forgets the company even when Codat refuses the mutation', async () => {
    const long = await startHarness({ config: { statusCacheTtlMs: 60_000, codatMaxRetries: 0 } });
    try {
      const company = long.simulator.addCompany({ state: 'succeeded' });
      await long.execute(CommerceSyncStatusDocument, { companyId: company });
      long.simulator.setBehaviour(company, { kind: 'status', status: 500 }, { operationId: 'request-sync' });
      const refused = await long.execute(RequestSyncDocument, { companyId: company });
      expect(refused.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      await long.execute(CommerceSyncStatusDocument, { companyId: company });
      expect(statusGets(long, company)).toBe(2);
    } finally {
      await long.close();
    }
  });

  it('does not store a read that was in flight when a mutation was sent', async () => {
    const long = await startHarness({ config: { statusCacheTtlMs: 60_000 }, simulator: { syncDurationMs: 60_000 } });
    try {
      const company = long.simulator.addCompany({ state: 'succeeded' });
      long.simulator.setBehaviour(company, { kind: 'slow', delayMs: 300 }, { operationId: 'get-sync-status', times: 1 });
      const before = long.execute(CommerceSyncStatusDocument, { companyId: company });
      await sleep(50);
      await long.execute(RequestSyncDocument, { companyId: company });
      // (The simulator builds its slow answer after the delay; what matters is that it was not stored.)
      expect((await before).errors).toBeUndefined();
      const after = await long.execute(CommerceSyncStatusDocument, { companyId: company });
      expect(after.data?.commerceSyncStatus?.state).toBe('IN_PROGRESS');
      expect(statusGets(long, company)).toBe(2);
    } finally {
      await long.close();
    }
  });

  it('a query of 50 aliased companies costs 50 calls cold and none warm', async () => {
    const long = await startHarness({ config: { statusCacheTtlMs: 60_000 } });
    try {
      const ids = Array.from({ length: 50 }, () => long.simulator.addCompany({ state: 'succeeded' }));
      const query = `{ ${ids.map((id, i) => `c${i}: commerceSyncStatus(companyId: "${id}") { state }`).join(' ')} }`;
      const cold = await long.executeRaw<Record<string, { state: string }>>(query);
      expect(cold.errors).toBeUndefined();
      expect(statusGets(long)).toBe(50);
      long.simulator.clearLog();
      const warm = await long.executeRaw<Record<string, { state: string }>>(query);
      expect(warm.data).toEqual(cold.data);
      expect(statusGets(long)).toBe(0);
    } finally {
      await long.close();
    }
  });
});

describe('cache metrics', () => {
  it('/metrics counts hits, misses, coalesced calls and invalidations by operation', async () => {
    const h = await startHarness({ config: { statusCacheTtlMs: 60_000 } });
    try {
      const company = h.simulator.addCompany({ state: 'succeeded' });
      h.simulator.setBehaviour(company, { kind: 'slow', delayMs: 100 }, { operationId: 'get-sync-status', times: 1 });
      await Promise.all([1, 2, 3].map(() => h.execute(CommerceSyncStatusDocument, { companyId: company })));
      await h.execute(CommerceSyncStatusDocument, { companyId: company });
      await h.execute(RequestSyncDocument, { companyId: company });
      const text = await (await fetch(`${h.baseUrl}/metrics`)).text();
      const value = (operation: string, event: string): number | undefined =>
        sampleValue(text, 'codat_cache_events_total', { operation, event });
      expect(value('get-sync-status', 'miss')).toBe(1);
      expect(value('get-sync-status', 'coalesced')).toBe(2);
      expect(value('get-sync-status', 'hit')).toBe(1);
      // Sent and settled: the company is dropped twice.
      expect(value('request-sync', 'invalidated')).toBe(2);
    } finally {
      await h.close();
    }
  });
});

describe('cached reads within one request', () => {
  it('count one hit per company however many aliases ask, and no loader batch', async () => {
    const h = await startHarness({ config: { statusCacheTtlMs: 60_000 } });
    try {
      const [a, b] = [h.simulator.addCompany({ state: 'succeeded' }), h.simulator.addCompany({ state: 'failed' })];
      const query = `{ a1: commerceSyncStatus(companyId: "${a}") { state } a2: commerceSyncStatus(companyId: "${a}") { companyId } b: commerceSyncStatus(companyId: "${b}") { state } }`;
      const cold = await h.executeRaw(query);
      expect(cold.errors).toBeUndefined();
      const metrics = async () => {
        const text = await (await fetch(`${h.baseUrl}/metrics`)).text();
        return {
          hits: sampleValue(text, 'codat_cache_events_total', { operation: 'get-sync-status', event: 'hit' }) ?? 0,
          batches: sampleValue(text, 'dataloader_batch_size_count', { loader: 'syncStatus' }) ?? 0,
        };
      };
      const before = await metrics();
      expect(before.batches).toBe(1);
      const before2 = h.cache.stats();
      const warm = await h.executeRaw(query);
      expect(warm.data).toEqual(cold.data);
      expect(h.cache.stats().hits - before2.hits).toBe(2);
      expect(await metrics()).toEqual({ hits: before.hits + 2, batches: 1 });
      expect(statusGets(h)).toBe(2);
    } finally {
      await h.close();
    }
  });
});

describe('CachedCodatApi over the real client', () => {
  it('keeps a finished sync looked up by id far longer than a status', async () => {
    const h = await startHarness({ config: { statusCacheTtlMs: 100 } });
    const { codat: client, cache: cached } = h;
    try {
      const [first] = await client.listSyncs(succeeded);
      const syncId = first?.syncId ?? '';
      h.simulator.clearLog();
      await cached.getSyncById(succeeded, syncId);
      await cached.getSyncStatus(succeeded);
      await sleep(200);
      await cached.getSyncById(succeeded, syncId);
      await cached.getSyncStatus(succeeded);
      const ops = h.simulator.requests().map((r) => r.operationId);
      expect(ops.filter((op) => op === 'get-sync-by-id')).toHaveLength(1);
      expect(ops.filter((op) => op === 'get-sync-status')).toHaveLength(2);
      expect(cached.stats()).toMatchObject({ hits: 1, misses: 3 });
    } finally {
      await h.close();
    }
  });
});

// Cache hints (src/sync/sync.cache-hints.ts): how long a browser, CDN or gateway may reuse an answer, from
// the shortest hint of the fields in it, following the configured STATUS_CACHE_TTL_MS (2 s by default, at
// most 1 s while a sync runs). Through a gateway: federation.test.ts.
const STATUS_OF_ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Company { id commerceSyncStatus { companyId state } } }
}`;
const company = (id: string) => ({ __typename: 'Company', id });

describe('cache hints', () => {
  // The shipped TTLs: 2 s, 1 s in progress (the harness's default turns the cache, and so the hints, off).
  const h = useHarness({ config: { statusCacheTtlMs: 2_000 } });

  const statusQuery = (id: string) => `{ commerceSyncStatus(companyId: "${id}") { state dataConnections { id } } }`;

  it('lets a finished status be reused for 2 s (POST)', async () => {
    const res = await h.executeRaw(statusQuery(SEEDED_COMPANY_IDS.succeeded));
    expect(res.errors).toBeUndefined();
    expect(res.headers.get('cache-control')).toBe('max-age=2, public');
  });

  it('sets the same header on a GET', async () => {
    const url = `${h.graphqlUrl}?query=${encodeURIComponent(statusQuery(SEEDED_COMPANY_IDS.failed))}`;
    const response = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('max-age=2, public');
  });

  it('shortens it to 1 s when a sync is in progress', async () => {
    const res = await h.executeRaw(
      `{ a: commerceSyncStatus(companyId: "${SEEDED_COMPANY_IDS.succeeded}") { state }
         b: commerceSyncStatus(companyId: "${SEEDED_COMPANY_IDS.inProgress}") { state } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.headers.get('cache-control')).toBe('max-age=1, public');
    const list = await h.executeRaw(`{ commerceSyncs(companyId: "${SEEDED_COMPANY_IDS.inProgress}") { state } }`);
    expect(list.headers.get('cache-control')).toBe('max-age=1, public');
  });

  it('applies to entities too', async () => {
    const done = await h.executeRaw(STATUS_OF_ENTITIES, { representations: [company(SEEDED_COMPANY_IDS.succeeded)] });
    expect(done.headers.get('cache-control')).toBe('max-age=2, public');
    const running = await h.executeRaw(STATUS_OF_ENTITIES, { representations: [company(SEEDED_COMPANY_IDS.inProgress)] });
    expect(running.headers.get('cache-control')).toBe('max-age=1, public');
  });

  it('never lets a mutation result or an answer with errors be reused', async () => {
    const companyId = h.simulator.addCompany({ state: 'succeeded' });
    const mutation = await h.executeRaw(`mutation { requestSync(companyId: "${companyId}") { state syncDateRange { start } } }`);
    expect(mutation.errors).toBeUndefined();
    expect(mutation.headers.get('cache-control')).toBe('no-store');
    const failed = await h.executeRaw(statusQuery('00000000-0000-4000-8000-000000000000'));
    expect(failed.headers.get('cache-control')).toBe('no-store');
  });
});

describe('cache hints follow STATUS_CACHE_TTL_MS', () => {
  it('publishes the configured TTL, and no-store with the cache off', async () => {
    const query = `{ commerceSyncStatus(companyId: "${SEEDED_COMPANY_IDS.succeeded}") { state } }`;
    const long = await startHarness({ config: { statusCacheTtlMs: 30_000 } });
    const off = await startHarness({ config: { statusCacheTtlMs: 0 } });
    try {
      const kept = await long.executeRaw(query);
      expect(kept.errors).toBeUndefined();
      expect(kept.headers.get('cache-control')).toBe('max-age=30, public');
      const notKept = await off.executeRaw(query);
      expect(notKept.errors).toBeUndefined();
      expect(notKept.headers.get('cache-control')).toBe('no-store');
    } finally {
      await long.close();
      await off.close();
    }
  });
});
