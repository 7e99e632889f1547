import {
  CommerceSyncStatusDocument,
  CommerceSyncsDocument,
  RequestSyncDocument,
  RequestSyncRangeDocument,
} from '../__generated__/operations';
import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { startHarness, TEST_API_KEY, useHarness } from '../support/harness';
import { TestClock } from '../support/live-client';

const BASIC = `Basic ${Buffer.from(TEST_API_KEY).toString('base64')}`;

describe('commerce sync over GraphQL, against the Codat simulator', () => {
  const h = useHarness({ config: { codatMaxConcurrency: 10 } });

  describe('commerceSyncStatus', () => {
    it('answers for a seeded company with one authenticated GET to get-sync-status', async () => {
      const res = await h.execute(CommerceSyncStatusDocument, { companyId: SEEDED_COMPANY_IDS.succeeded });
      expect(res.errors).toBeUndefined();
      const status = res.data?.commerceSyncStatus;
      expect(status).toMatchObject({ companyId: SEEDED_COMPANY_IDS.succeeded, syncStatusCode: 2000, state: 'SUCCEEDED', dataPushed: true });
      expect(status?.syncUtc).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(status?.dataConnections?.length).toBeGreaterThan(0);
      for (const c of status?.dataConnections ?? []) expect(c.created).toMatch(/Z$/);

      const calls = h.simulator.requests();
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({
        method: 'GET',
        path: `/meta/companies/${SEEDED_COMPANY_IDS.succeeded}/sync/commerce/status`,
        operationId: 'get-sync-status',
        authorization: BASIC,
        status: 200,
      });
    });

    it('derives state from the code: failed 5130, in progress 1000', async () => {
      const failed = await h.execute(CommerceSyncStatusDocument, { companyId: SEEDED_COMPANY_IDS.failed });
      expect(failed.data?.commerceSyncStatus).toMatchObject({ syncStatusCode: 5130, state: 'FAILED' });
      expect(failed.data?.commerceSyncStatus?.errorMessage).toBeTruthy();
      const running = await h.execute(CommerceSyncStatusDocument, { companyId: SEEDED_COMPANY_IDS.inProgress });
      expect(running.data?.commerceSyncStatus).toMatchObject({ syncStatusCode: 1000, state: 'IN_PROGRESS', dataPushed: false });
    });

    it('maps several data connections with their statuses and source types', async () => {
      const res = await h.execute(CommerceSyncStatusDocument, { companyId: SEEDED_COMPANY_IDS.multiConnection });
      const connections = res.data?.commerceSyncStatus?.dataConnections ?? [];
      expect(new Set(connections.map((c) => c.status))).toEqual(new Set(['LINKED', 'PENDING_AUTH', 'DEAUTHORIZED', 'UNLINKED']));
      expect(connections.map((c) => c.sourceType)).toEqual(expect.arrayContaining(['COMMERCE', 'ACCOUNTING']));
    });

    it('costs one GET per distinct company: 30 aliases over 10 companies make 10 calls, bounded in flight', async () => {
      const ids = Array.from({ length: 10 }, () => h.simulator.addCompany({ state: 'succeeded' }));
      h.simulator.setBehaviour('*', { kind: 'slow', delayMs: 30 });
      const fields = Array.from({ length: 30 }, (_, i) => `a${i}: commerceSyncStatus(companyId: "${ids[i % 10]}") { companyId state }`);
      const res = await h.executeRaw<Record<string, { companyId: string; state: string }>>(`{ ${fields.join('\n')} }`);
      expect(res.errors).toBeUndefined();
      for (let i = 0; i < 30; i++) expect(res.data?.[`a${i}`]?.companyId).toBe(ids[i % 10]);

      const calls = h.simulator.requests();
      expect(calls).toHaveLength(10);
      expect(calls.every((c) => c.method === 'GET' && c.operationId === 'get-sync-status')).toBe(true);
      expect(new Set(calls.map((c) => c.companyId))).toEqual(new Set(ids));
      expect(h.simulator.peakConcurrency()).toBeLessThanOrEqual(10);
    });

    it('never has more than CODAT_MAX_CONCURRENCY upstream requests in flight', async () => {
      const narrow = await startHarness({ config: { codatMaxConcurrency: 3 } });
      try {
        const ids = Array.from({ length: 12 }, () => narrow.simulator.addCompany({ state: 'succeeded' }));
        narrow.simulator.setBehaviour('*', { kind: 'slow', delayMs: 40 });
        const fields = ids.map((id, i) => `c${i}: commerceSyncStatus(companyId: "${id}") { state }`);
        const res = await narrow.executeRaw(`{ ${fields.join('\n')} }`);
        expect(res.errors).toBeUndefined();
        expect(narrow.simulator.requests()).toHaveLength(12);
        // Bounded, and still parallel up to the bound.
        expect(narrow.simulator.peakConcurrency()).toBe(3);
      } finally {
        await narrow.close();
      }
    });

    it('fails only the company that failed', async () => {
      const missing = '00000000-0000-4000-8000-000000000000';
      const res = await h.executeRaw<Record<string, { state: string } | null>>(
        `{ good: commerceSyncStatus(companyId: "${SEEDED_COMPANY_IDS.succeeded}") { state }
           bad: commerceSyncStatus(companyId: "${missing}") { state } }`,
      );
      expect(res.data?.good).toEqual({ state: 'SUCCEEDED' });
      expect(res.data?.bad).toBeNull();
      expect(res.errors).toHaveLength(1);
      expect(res.errors?.[0]).toMatchObject({ path: ['bad'], extensions: { code: 'NOT_FOUND', upstream: { status: 404 } } });
      expect(res.errors?.[0]?.extensions?.upstream).toHaveProperty('correlationId', expect.stringMatching(/^[0-9a-f]{32}$/));
    });
  });

  describe('commerceSyncs', () => {
    it('lists syncs newest first from one list-syncs GET', async () => {
      const res = await h.execute(CommerceSyncsDocument, { companyId: SEEDED_COMPANY_IDS.failed });
      const syncs = res.data?.commerceSyncs ?? [];
      expect(syncs.length).toBeGreaterThan(1);
      const times = syncs.map((s) => Date.parse(s.syncUtc ?? ''));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(syncs[0]).toMatchObject({ state: 'FAILED', syncStatusCode: 5130 });
      expect(h.simulator.requests().map((r) => `${r.method} ${r.path}`)).toEqual([
        `GET /companies/${SEEDED_COMPANY_IDS.failed}/sync/commerce/syncs/list/status`,
      ]);
    });

    it('is an empty list for a company that never synced', async () => {
      const res = await h.execute(CommerceSyncsDocument, { companyId: SEEDED_COMPANY_IDS.neverSynced });
      expect(res.errors).toBeUndefined();
      expect(res.data?.commerceSyncs).toEqual([]);
    });
  });

  describe('requestSync', () => {
    it('sends one POST with an empty body when syncTo is omitted', async () => {
      const companyId = h.simulator.addCompany({ state: 'succeeded' });
      const res = await h.execute(RequestSyncDocument, { companyId });
      expect(res.errors).toBeUndefined();
      expect(res.data?.requestSync).toMatchObject({ companyId, syncStatusCode: 1000, state: 'IN_PROGRESS', dataPushed: false });
      expect(res.data?.requestSync?.commerceSyncId).toBeTruthy();
      const calls = h.simulator.requests();
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({
        method: 'POST',
        path: `/companies/${companyId}/sync/commerce/latest`,
        body: {},
        authorization: BASIC,
      });
    });

    it('sends syncTo in UTC with Z whatever offset the client used', async () => {
      const companyId = h.simulator.addCompany({ state: 'succeeded' });
      const res = await h.execute(RequestSyncDocument, { companyId, syncTo: '2030-01-02T03:00:00+02:00' });
      expect(res.errors).toBeUndefined();
      expect(h.simulator.requests().map((r) => r.body)).toEqual([{ syncTo: '2030-01-02T01:00:00.000Z' }]);
    });

    it('shows the requested sync moving from in progress to succeeded', async () => {
      // The simulator's clock moves when the test says, so "in progress" is seen however slow the machine.
      const clock = new TestClock();
      const sim = await startHarness({ simulator: { syncDurationMs: TestClock.SYNC_MS, now: clock.now } });
      try {
        const companyId = sim.simulator.addCompany({ state: 'succeeded' });
        const requested = await sim.execute(RequestSyncDocument, { companyId });
        const first = await sim.execute(CommerceSyncStatusDocument, { companyId });
        expect(first.data?.commerceSyncStatus?.state).toBe('IN_PROGRESS');
        expect(first.data?.commerceSyncStatus?.commerceSyncId).toBe(requested.data?.requestSync?.commerceSyncId);
        clock.finishSyncs();
        const later = await sim.execute(CommerceSyncStatusDocument, { companyId });
        expect(later.data?.commerceSyncStatus).toMatchObject({ state: 'SUCCEEDED', syncStatusCode: 2000 });
      } finally {
        await sim.close();
      }
    });
  });

  describe('requestSyncRange', () => {
    it('sends one POST with the dateRange body in UTC', async () => {
      const companyId = h.simulator.addCompany({ state: 'never' });
      const res = await h.execute(RequestSyncRangeDocument, { companyId, start: '2024-01-01T00:00:00+01:00', end: '2024-02-01T00:00:00Z' });
      expect(res.errors).toBeUndefined();
      expect(res.data?.requestSyncRange).toMatchObject({
        companyId,
        state: 'IN_PROGRESS',
        syncDateRange: { start: '2023-12-31T23:00:00.000Z', finish: '2024-02-01T00:00:00.000Z' },
      });
      const calls = h.simulator.requests();
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({
        method: 'POST',
        path: `/meta/companies/${companyId}/sync/commerce/historic`,
        body: { dateRange: { start: '2023-12-31T23:00:00.000Z', finish: '2024-02-01T00:00:00.000Z' } },
      });
    });

    it("passes on Codat's refusal of an overlapping range as UPSTREAM_REJECTED", async () => {
      const companyId = h.simulator.addCompany({ state: 'never' });
      await h.execute(RequestSyncRangeDocument, { companyId, start: '2024-01-01T00:00:00Z', end: '2024-02-01T00:00:00Z' });
      const res = await h.execute(RequestSyncRangeDocument, { companyId, start: '2024-01-15T00:00:00Z', end: '2024-03-01T00:00:00Z' });
      expect(res.data?.requestSyncRange).toBeNull();
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_REJECTED', upstream: { status: 400 } });
      expect(res.errors?.[0]?.message).toContain('Date overlaps with a previous sync date range');
      expect(h.simulator.requests().filter((r) => r.method === 'POST')).toHaveLength(2);
    });
  });

  describe('bad DateTime literals', () => {
    it('give one error each, with its location and argument name, so two bad dates are told apart', async () => {
      const res = await h.executeRaw(
        [
          'mutation BadDates {',
          `  requestSyncRange(companyId: "${SEEDED_COMPANY_IDS.neverSynced}", start: "2025-01-01T00:00:00", end: "2025-02-01") {`,
          '    state',
          '  }',
          '}',
        ].join('\n'),
      );
      const zone = 'must be an RFC 3339 date-time with Z or an offset, such as "2024-05-01T00:00:00Z" or "2024-05-01T02:00:00+02:00"';
      expect(res.errors).toEqual([
        {
          message: `start ${zone}; got "2025-01-01T00:00:00"`,
          locations: [{ line: 2, column: 78 }],
          extensions: { code: 'BAD_USER_INPUT', argumentName: 'start' },
        },
        {
          message: `end ${zone}; got "2025-02-01"`,
          locations: [{ line: 2, column: 106 }],
          extensions: { code: 'BAD_USER_INPUT', argumentName: 'end' },
        },
      ]);
      expect(h.simulator.requests()).toHaveLength(0);
    });

    it("name a variable's default and a literal that is not a string", async () => {
      const res = await h.executeRaw(
        `mutation ($to: DateTime = "tomorrow") { a: requestSync(companyId: "${SEEDED_COMPANY_IDS.neverSynced}", syncTo: 5) { state } b: requestSync(companyId: "${SEEDED_COMPANY_IDS.neverSynced}", syncTo: $to) { state } }`,
      );
      expect(res.errors?.map((e) => [e.message.split(' ')[0], e.extensions?.code])).toEqual([
        ['$to', 'BAD_USER_INPUT'],
        ['syncTo', 'BAD_USER_INPUT'],
      ]);
      expect(res.errors?.[0]?.extensions).toMatchObject({ variableName: 'to' });
      expect(res.errors?.[1]?.message).toBe('syncTo must be a string such as "2024-05-01T00:00:00Z"');
      expect(res.errors?.every((e) => (e as { locations?: unknown[] }).locations?.length === 1)).toBe(true);
    });
  });

  describe('bad input costs nothing upstream', () => {
    const good = SEEDED_COMPANY_IDS.succeeded;
    it.each([
      ['a non-UUID company id (variable)', CommerceSyncStatusDocument, { companyId: 'acme-ltd' }],
      ['a path-like company id', CommerceSyncsDocument, { companyId: '../../companies' }],
      ['a zone-less syncTo', RequestSyncDocument, { companyId: good, syncTo: '2024-01-01T00:00:00' }],
      ['a date-only syncTo', RequestSyncDocument, { companyId: good, syncTo: '2024-01-01' }],
      ['an impossible date', RequestSyncDocument, { companyId: good, syncTo: '2024-02-30T00:00:00Z' }],
      ['a reversed range', RequestSyncRangeDocument, { companyId: good, start: '2024-02-01T00:00:00Z', end: '2024-01-01T00:00:00Z' }],
      ['an empty range', RequestSyncRangeDocument, { companyId: good, start: '2024-01-01T00:00:00Z', end: '2024-01-01T01:00:00+01:00' }],
      ['a zone-less range end', RequestSyncRangeDocument, { companyId: good, start: '2024-01-01T00:00:00Z', end: '2024-02-01T00:00:00' }],
    ] as const)('refuses %s with BAD_USER_INPUT', async (_name, document, variables) => {
      const res = await h.executeRaw(document, variables as Record<string, unknown>);
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toBeTruthy();
      expect(h.simulator.requests()).toHaveLength(0);
    });

    it.each([
      ['an id literal', `{ commerceSyncStatus(companyId: "not-a-uuid") { state } }`],
      [
        'a zone-less DateTime literal',
        `mutation { requestSync(companyId: "${SEEDED_COMPANY_IDS.succeeded}", syncTo: "2024-01-01T00:00:00") { state } }`,
      ],
      [
        'a numeric DateTime literal',
        `mutation { requestSync(companyId: "${SEEDED_COMPANY_IDS.succeeded}", syncTo: 1704067200) { state } }`,
      ],
    ])('refuses %s in the query text with BAD_USER_INPUT', async (_name, query) => {
      const res = await h.executeRaw(query);
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(h.simulator.requests()).toHaveLength(0);
    });
  });

  describe('upstream failures become typed errors', () => {
    const id = SEEDED_COMPANY_IDS.succeeded;
    it.each([
      [{ kind: 'status', status: 401 }, 'UPSTREAM_AUTH_FAILED'],
      [{ kind: 'status', status: 403 }, 'UPSTREAM_AUTH_FAILED'],
      [{ kind: 'status', status: 402 }, 'UPSTREAM_ACCOUNT_LIMIT'],
      [{ kind: 'status', status: 404 }, 'NOT_FOUND'],
      [{ kind: 'status', status: 409 }, 'UPSTREAM_REJECTED'],
      [{ kind: 'status', status: 429, retryAfter: '7' }, 'RATE_LIMITED'],
      [{ kind: 'status', status: 500 }, 'UPSTREAM_UNAVAILABLE'],
      [{ kind: 'status', status: 503 }, 'UPSTREAM_UNAVAILABLE'],
      [{ kind: 'non-json' }, 'UPSTREAM_BAD_RESPONSE'],
      [{ kind: 'wrong-shape' }, 'UPSTREAM_BAD_RESPONSE'],
      [{ kind: 'reset' }, 'UPSTREAM_UNAVAILABLE'],
    ] as const)('%p becomes %s', async (behaviour, code) => {
      h.simulator.setBehaviour(id, behaviour);
      const res = await h.execute(CommerceSyncStatusDocument, { companyId: id });
      expect(res.data?.commerceSyncStatus).toBeNull();
      expect(res.errors?.[0]?.extensions?.code).toBe(code);
      if (code === 'RATE_LIMITED') expect(res.errors?.[0]?.extensions?.retryAfterSeconds).toBe(7);
      // No key in these answers, nor in anything else the service produces: test/integration/leaks.test.ts.
      expect(JSON.stringify(res)).not.toMatch(/stacktrace|\n\s+at /);
    });

    it('turns a hanging Codat into UPSTREAM_TIMEOUT after the per-attempt timeout', async () => {
      const quick = await startHarness({ config: { codatTimeoutMs: 150 } });
      try {
        quick.simulator.setBehaviour(id, { kind: 'hang' });
        const started = Date.now();
        const res = await quick.execute(CommerceSyncStatusDocument, { companyId: id });
        expect(res.errors?.[0]?.extensions?.code).toBe('UPSTREAM_TIMEOUT');
        expect(Date.now() - started).toBeLessThan(5_000);
      } finally {
        await quick.close();
      }
    });

    it('passes Codat 400 validation details on for a rejected mutation', async () => {
      h.simulator.setBehaviour(id, { kind: 'status', status: 400, error: 'Sync is not configured' }, { operationId: 'request-sync' });
      const res = await h.execute(RequestSyncDocument, { companyId: id });
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'UPSTREAM_REJECTED',
        codatMessage: 'Sync is not configured',
        upstream: { status: 400 },
      });
      expect(h.simulator.requests()).toHaveLength(1);
    });
  });
});
