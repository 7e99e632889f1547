import { CommerceSyncStatusDocument, RequestSyncDocument } from '../__generated__/operations';
import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { startHarness, useHarness, type Harness } from '../support/harness';
import { sampleValue } from '../support/observability';
import { waitFor } from '../support/wait';

// Codat's limits as the pipeline keeps them (src/codat/codat.send.ts): 10 in flight per company before
// the instance-wide bound, the per-minute ceiling, the daily quota read from X-Rate-Limit-* with its
// reserve, and stale-if-error (src/codat/codat.cache.ts) when Codat refuses or fails.

const { succeeded } = SEEDED_COMPANY_IDS;

function upstreamCalls(h: Harness, operationId = 'get-sync-status'): number {
  return h.simulator.requests().filter((r) => r.operationId === operationId).length;
}

async function metric(h: Harness, name: string): Promise<number | undefined> {
  return sampleValue(await (await fetch(`${h.baseUrl}/metrics`)).text(), name);
}

describe('concurrency as Codat counts it', () => {
  const h = useHarness();

  it('reads 30 companies at once in one round trip: all 30 are in flight together', async () => {
    const ids = Array.from({ length: 30 }, () => h.simulator.addCompany({ state: 'succeeded' }));
    const gate = h.simulator.hold('*', { operationId: 'get-sync-status', times: 30 });
    const query = `{ ${ids.map((id, i) => `c${i}: commerceSyncStatus(companyId: "${id}") { state }`).join(' ')} }`;
    const pending = h.executeRaw<Record<string, { state: string }>>(query);
    // With the old instance-wide bound of 10 this never happens: 20 would wait for a second round trip.
    await waitFor(() => h.simulator.inFlight() === 30, '30 reads in flight at once');
    gate.release();
    const res = await pending;
    expect(res.errors).toBeUndefined();
    expect(Object.values(res.data ?? {}).every((c) => c.state === 'SUCCEEDED')).toBe(true);
    expect(upstreamCalls(h)).toBe(30);
    for (const id of ids) expect(h.simulator.peakConcurrency(id)).toBe(1);
  });

  it('never has more than 10 requests in flight for one company; the rest wait their turn and succeed', async () => {
    const [first] = await h.codat.listSyncs(succeeded);
    h.simulator.clearLog();
    const gate = h.simulator.hold(succeeded, { operationId: 'get-sync-by-id', times: 25 });
    // 25 distinct reads (distinct sync ids, so nothing coalesces) of one company at once.
    const reads = Array.from({ length: 25 }, (_, i) =>
      h.cache.getSyncById(succeeded, i === 0 ? (first?.syncId ?? '') : crypto.randomUUID()),
    );
    await waitFor(() => h.simulator.inFlight() === 10, '10 reads in flight');
    // Another company is not held up by the busy one.
    const other = await h.execute(CommerceSyncStatusDocument, { companyId: SEEDED_COMPANY_IDS.failed });
    expect(other.data?.commerceSyncStatus?.state).toBe('FAILED');
    expect(h.simulator.inFlight()).toBe(10);
    gate.release();
    const settled = await Promise.allSettled(reads);
    expect(settled[0]?.status).toBe('fulfilled');
    // Unknown ids are 404s, not 429s: the simulator never saw an eleventh request for the company.
    const statuses = h.simulator
      .requests()
      .filter((r) => r.operationId === 'get-sync-by-id')
      .map((r) => r.status);
    expect(statuses).toHaveLength(25);
    expect(statuses.filter((s) => s === 429)).toEqual([]);
    expect(h.simulator.peakConcurrency(succeeded)).toBe(10);
  });
});

describe('the per-minute ceiling (CODAT_MAX_REQUESTS_PER_MINUTE)', () => {
  const h = useHarness({ config: { codatMaxRequestsPerMinute: 3 } });

  it('answers RATE_LIMITED without calling Codat once the minute is full', async () => {
    const ids = Array.from({ length: 4 }, () => h.simulator.addCompany({ state: 'succeeded' }));
    for (const id of ids.slice(0, 3)) {
      expect((await h.execute(CommerceSyncStatusDocument, { companyId: id })).errors).toBeUndefined();
    }
    const fourth = await h.execute(CommerceSyncStatusDocument, { companyId: ids[3]! });
    expect(fourth.data?.commerceSyncStatus).toBeNull();
    expect(fourth.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', upstream: { attempts: 0 } });
    expect(fourth.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    expect(fourth.errors?.[0]?.extensions?.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(upstreamCalls(h)).toBe(3);
  });
});

describe('the daily quota', () => {
  it('with a budget of 50 and no reserve: the 51st read is answered stale or RATE_LIMITED without a call, and the metric matches Codat', async () => {
    const h = await startHarness({
      simulator: { dailyRequestBudget: 50 },
      config: { codatQuotaReserve: 0, staleIfErrorMs: 300_000 },
    });
    try {
      expect(await metric(h, 'codat_quota_remaining')).toBeUndefined();
      for (let i = 0; i < 20; i += 1) await h.execute(CommerceSyncStatusDocument, { companyId: succeeded });
      expect(await metric(h, 'codat_quota_remaining')).toBe(h.simulator.quotaRemaining());
      expect(h.simulator.quotaRemaining()).toBe(30);
      for (let i = 0; i < 30; i += 1) {
        const res = await h.execute(CommerceSyncStatusDocument, { companyId: succeeded });
        expect(res.errors).toBeUndefined();
      }
      expect(upstreamCalls(h)).toBe(50);
      expect(h.simulator.quotaRemaining()).toBe(0);

      // The 51st read of a company read before: its last answer, marked stale, and no call.
      const stale = await h.execute(CommerceSyncStatusDocument, { companyId: succeeded });
      expect(stale.data?.commerceSyncStatus?.state).toBe('SUCCEEDED');
      expect(stale.errors).toHaveLength(1);
      expect(stale.errors?.[0]).toMatchObject({
        path: ['commerceSyncStatus'],
        extensions: { code: 'RATE_LIMITED', stale: true, ageSeconds: expect.any(Number) },
      });
      expect(stale.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
      expect(stale.headers.get('cache-control')).toBe('no-store');
      // A company never read: nothing to serve, RATE_LIMITED with retryAfterSeconds, and no call either.
      const fresh = await h.execute(CommerceSyncStatusDocument, { companyId: SEEDED_COMPANY_IDS.failed });
      expect(fresh.data?.commerceSyncStatus).toBeNull();
      expect(fresh.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', upstream: { attempts: 0 } });
      expect(upstreamCalls(h)).toBe(50);
      expect(h.simulator.requests()).toHaveLength(50);

      const text = await (await fetch(`${h.baseUrl}/metrics`)).text();
      expect(sampleValue(text, 'codat_quota_remaining')).toBe(0);
      expect(sampleValue(text, 'codat_quota_limit')).toBe(50);
      expect(sampleValue(text, 'codat_requests_total', { operation: 'get-sync-status', status: 'rate-limited' })).toBe(2);
      expect(sampleValue(text, 'codat_cache_events_total', { operation: 'get-sync-status', event: 'stale' })).toBe(1);
    } finally {
      await h.close();
    }
  });

  it('keeps the reserve (CODAT_QUOTA_RESERVE, 5 %) for sync requests: reads stop under it, requestSync still goes', async () => {
    const h = await startHarness({ simulator: { dailyRequestBudget: 40 } });
    try {
      // 5 % of 40 is 2: reads go out until fewer than 2 are left.
      let answered = 0;
      for (let i = 0; i < 40; i += 1) {
        const res = await h.execute(CommerceSyncStatusDocument, { companyId: succeeded });
        if (res.errors) {
          expect(res.errors[0]?.extensions?.code).toBe('RATE_LIMITED');
          break;
        }
        answered += 1;
      }
      expect(answered).toBe(39);
      expect(h.simulator.quotaRemaining()).toBe(1);
      expect(h.app.client.quota()).toMatchObject({ limit: 40, remaining: 1, pressure: 'reserve' });

      const company = h.simulator.addCompany({ state: 'succeeded' });
      const sync = await h.execute(RequestSyncDocument, { companyId: company });
      expect(sync.errors).toBeUndefined();
      expect(sync.data?.requestSync?.state).toBe('IN_PROGRESS');
      expect(h.simulator.quotaRemaining()).toBe(0);
      expect(h.app.client.quota().pressure).toBe('exhausted');
    } finally {
      await h.close();
    }
  });
});

describe('stale-if-error (STALE_IF_ERROR_MS) when Codat is down', () => {
  const h = useHarness({ config: { staleIfErrorMs: 300_000, codatMaxRetries: 0 } });

  it('answers a read with its last copy, marked stale with the failure’s code, while Codat answers 503', async () => {
    const company = h.simulator.addCompany({ state: 'failed' });
    const first = await h.execute(CommerceSyncStatusDocument, { companyId: company });
    expect(first.errors).toBeUndefined();
    h.simulator.setBehaviour(company, { kind: 'status', status: 503 });
    const res = await h.execute(CommerceSyncStatusDocument, { companyId: company });
    expect(res.data?.commerceSyncStatus).toEqual(first.data?.commerceSyncStatus);
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['commerceSyncStatus'],
        message: expect.stringMatching(/^Answered from a copy \d+ s old: /),
        extensions: expect.objectContaining({
          code: 'UPSTREAM_UNAVAILABLE',
          stale: true,
          ageSeconds: expect.any(Number),
          upstream: expect.objectContaining({ status: 503 }),
        }),
      }),
    ]);
    expect(upstreamCalls(h)).toBe(2);
  });

  it('passes on what Codat says about the company itself: a 404 is NOT_FOUND, not a stale copy', async () => {
    const company = h.simulator.addCompany({ state: 'succeeded' });
    await h.execute(CommerceSyncStatusDocument, { companyId: company });
    h.simulator.setBehaviour(company, { kind: 'status', status: 404 });
    const res = await h.execute(CommerceSyncStatusDocument, { companyId: company });
    expect(res.data?.commerceSyncStatus).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(res.errors?.[0]?.extensions?.stale).toBeUndefined();
  });

  it('never serves a mutation stale, and drops the stale copies of a company it changed', async () => {
    const company = h.simulator.addCompany({ state: 'succeeded' });
    await h.execute(CommerceSyncStatusDocument, { companyId: company });
    h.simulator.setBehaviour(company, { kind: 'status', status: 503 });
    const mutation = await h.execute(RequestSyncDocument, { companyId: company });
    expect(mutation.data?.requestSync).toBeNull();
    expect(mutation.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(mutation.errors?.[0]?.extensions?.stale).toBeUndefined();
    // The POST may have changed the company: the copy from before it is gone.
    const read = await h.execute(CommerceSyncStatusDocument, { companyId: company });
    expect(read.data?.commerceSyncStatus).toBeNull();
    expect(read.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('does not serve a copy older than STALE_IF_ERROR_MS', async () => {
    const short = await startHarness({ config: { staleIfErrorMs: 50, codatMaxRetries: 0 } });
    try {
      const company = short.simulator.addCompany({ state: 'succeeded' });
      await short.execute(CommerceSyncStatusDocument, { companyId: company });
      await new Promise((resolve) => setTimeout(resolve, 100));
      short.simulator.setBehaviour(company, { kind: 'status', status: 500 });
      const res = await short.execute(CommerceSyncStatusDocument, { companyId: company });
      expect(res.data?.commerceSyncStatus).toBeNull();
      expect(res.errors?.[0]?.extensions?.stale).toBeUndefined();
    } finally {
      await short.close();
    }
  });
});
