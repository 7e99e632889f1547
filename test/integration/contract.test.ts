import { createCodatClient } from '../../src/app';
import { SEEDED_COMPANIES, SEEDED_COMPANY_IDS } from '../../src/simulator';
import {
  RequestSyncDocument,
  RequestSyncRangeDocument,
  CommerceSyncStatusDocument,
  CommerceSyncsDocument,
} from '../__generated__/operations';
import { loadCodatSpec } from '../support/codat-spec';
import { TEST_API_KEY, testConfig, useHarness } from '../support/harness';

/**
 * Holds both sides of the wire to Codat's published contract: every request body our client sends, and
 * every response the simulator returns, is validated against the schemas in Codat's OpenAPI spec.
 */
const spec = loadCodatSpec();
const AUTH = { authorization: `Basic ${Buffer.from(TEST_API_KEY).toString('base64')}` };

const GET_OPERATIONS = ['get-sync-status', 'list-syncs', 'get-latest-sync', 'get-last-successful-sync'] as const;

function pathFor(operationId: string, companyId: string, syncId = ''): string {
  return spec.operation(operationId).path.replace('{companyId}', companyId).replace('{syncId}', syncId);
}

describe('Codat contract', () => {
  const h = useHarness();

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const res = await fetch(h.simulator.url + path, {
      method,
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }

  describe('the simulator answers in the spec’s shapes', () => {
    it.each(SEEDED_COMPANIES.flatMap((c) => GET_OPERATIONS.map((op) => [op, c.name, c.id] as const)))(
      '%s for %s',
      async (operationId, _name, id) => {
        const res = await call('GET', pathFor(operationId, id));
        expect(spec.validateResponse(operationId, res.status, res.body)).toEqual({ valid: true, errors: [] });
      },
    );

    it('get-sync-by-id for every listed sync', async () => {
      const list = await call('GET', pathFor('list-syncs', SEEDED_COMPANY_IDS.failed));
      const syncs = list.body as { syncId: string }[];
      expect(syncs.length).toBeGreaterThan(0);
      for (const { syncId } of syncs) {
        const res = await call('GET', pathFor('get-sync-by-id', SEEDED_COMPANY_IDS.failed, syncId));
        expect(res.status).toBe(200);
        expect(spec.validateResponse('get-sync-by-id', res.status, res.body)).toEqual({ valid: true, errors: [] });
      }
    });

    it('request-sync and request-sync-for-date-range answer SyncSummary', async () => {
      const id = h.simulator.addCompany({ state: 'succeeded' });
      const latest = await call('POST', pathFor('request-sync', id), {});
      expect(spec.validateResponse('request-sync', latest.status, latest.body)).toEqual({ valid: true, errors: [] });
      const fresh = h.simulator.addCompany({ state: 'never' });
      const historic = await call('POST', pathFor('request-sync-for-date-range', fresh), {
        dateRange: { start: '2024-01-01T00:00:00Z', finish: '2024-01-31T00:00:00Z' },
      });
      expect(spec.validateResponse('request-sync-for-date-range', historic.status, historic.body)).toEqual({ valid: true, errors: [] });
      const overlap = await call('POST', pathFor('request-sync-for-date-range', fresh), {
        dateRange: { start: '2024-01-15T00:00:00Z', finish: '2024-02-15T00:00:00Z' },
      });
      expect(overlap.status).toBe(400);
      expect(spec.validateResponse('request-sync-for-date-range', overlap.status, overlap.body)).toEqual({ valid: true, errors: [] });
    });

    it.each([401, 402, 403, 404, 429, 500, 503] as const)('error %i bodies are ErrorMessage', async (status) => {
      h.simulator.setBehaviour(SEEDED_COMPANY_IDS.succeeded, { kind: 'status', status, retryAfter: status === 429 ? '3' : undefined });
      for (const operationId of GET_OPERATIONS) {
        const res = await call('GET', pathFor(operationId, SEEDED_COMPANY_IDS.succeeded));
        expect(res.status).toBe(status);
        expect(spec.validateResponse(operationId, res.status, res.body)).toEqual({ valid: true, errors: [] });
      }
    });

    it('an unknown company is a spec 404 on every operation', async () => {
      const unknown = '11111111-2222-4333-8444-555555555555';
      for (const operationId of GET_OPERATIONS) {
        const res = await call('GET', pathFor(operationId, unknown));
        expect(res.status).toBe(404);
        expect(spec.validateResponse(operationId, 404, res.body)).toEqual({ valid: true, errors: [] });
      }
    });
  });

  describe('our client sends the spec’s paths and bodies', () => {
    it('every request made through GraphQL matches a spec operation, and every body validates', async () => {
      const id = h.simulator.addCompany({ state: 'succeeded' });
      const fresh = h.simulator.addCompany({ state: 'never' });
      await h.execute(CommerceSyncStatusDocument, { companyId: id });
      await h.execute(CommerceSyncsDocument, { companyId: id });
      await h.execute(RequestSyncDocument, { companyId: id });
      await h.execute(RequestSyncDocument, { companyId: id, syncTo: '2031-06-01T12:00:00-04:00' });
      await h.execute(RequestSyncRangeDocument, { companyId: fresh, start: '2024-01-01T00:00:00Z', end: '2024-02-01T00:00:00+01:00' });

      const log = h.simulator.requests();
      expect(log.map((r) => r.operationId)).toEqual([
        'get-sync-status',
        'list-syncs',
        'request-sync',
        'request-sync',
        'request-sync-for-date-range',
      ]);
      for (const request of log) {
        expect(spec.matchOperation(request.method, request.path)).toBe(request.operationId);
        if (request.method === 'POST') {
          expect(spec.validateRequestBody(request.operationId ?? '', request.body)).toEqual({ valid: true, errors: [] });
        }
        expect(request.status).toBe(200);
      }
    });

    it('every CodatClient method hits the path the spec gives its operation', async () => {
      const client = createCodatClient(testConfig(), { baseUrl: h.simulator.url, apiKey: TEST_API_KEY });
      const id = SEEDED_COMPANY_IDS.failed;
      const latest = await client.getLatestSync(id);
      await client.getLastSuccessfulSync(id);
      await client.getSyncById(id, latest.syncId ?? '');
      await client.getSyncStatus(id);
      await client.listSyncs(id);
      const ops = h.simulator.requests().map((r) => [r.operationId, spec.matchOperation(r.method, r.path), r.status]);
      expect(ops).toEqual([
        ['get-latest-sync', 'get-latest-sync', 200],
        ['get-last-successful-sync', 'get-last-successful-sync', 200],
        ['get-sync-by-id', 'get-sync-by-id', 200],
        ['get-sync-status', 'get-sync-status', 200],
        ['list-syncs', 'list-syncs', 200],
      ]);
    });
  });
});
