import { apiFromEndpoints, CODAT_ENDPOINTS, requestFor } from '../../src/codat/codat.client';
import { freshnessMs, codesOf, type Freshness } from '../../src/codat/sync-state';
import { loadCodatSpec } from '../support/codat-spec';

const spec = loadCodatSpec();
const companyId = '782575ae-c4f8-4a0b-8041-4ffa193aaab7';
const syncId = 'afe076de-4d1b-44d8-8b4a-717463af00c5';

describe('the endpoint table', () => {
  it.each(Object.entries(CODAT_ENDPOINTS))('%s is the spec operation it names, with its method and path', (_name, endpoint) => {
    expect(spec.operation(endpoint.operation)).toEqual({ method: endpoint.method, path: endpoint.path });
  });

  it('fills the path’s ids in order, each encoded as one segment', () => {
    const request = requestFor(CODAT_ENDPOINTS.getSyncById, [companyId, '../x y']);
    expect(request).toMatchObject({ operation: 'get-sync-by-id', method: 'GET', companyId, body: undefined });
    expect(request.path).toBe(`/companies/${companyId}/sync/commerce/syncs/..%2Fx%20y/status`);
    expect(spec.matchOperation('GET', requestFor(CODAT_ENDPOINTS.getSyncById, [companyId, syncId]).path)).toBe('get-sync-by-id');
  });

  it.each([
    ['requestSync, up to now', requestFor(CODAT_ENDPOINTS.requestSync, [companyId]), {}],
    [
      'requestSync, up to a date',
      requestFor(CODAT_ENDPOINTS.requestSync, [companyId, { syncTo: new Date('2025-06-20T00:00:00+02:00') }]),
      { syncTo: '2025-06-19T22:00:00.000Z' },
    ],
    [
      'requestSyncForDateRange',
      requestFor(CODAT_ENDPOINTS.requestSyncForDateRange, [
        companyId,
        { start: new Date('2024-01-01T00:00:00Z'), finish: new Date('2024-02-01T00:00:00Z') },
      ]),
      { dateRange: { start: '2024-01-01T00:00:00.000Z', finish: '2024-02-01T00:00:00.000Z' } },
    ],
  ])('%s sends the body the spec describes', (_name, request, body) => {
    expect(request.body).toEqual(body);
    expect(spec.validateRequestBody(request.operation, request.body)).toEqual({ valid: true, errors: [] });
    expect(spec.matchOperation(request.method, request.path)).toBe(request.operation);
  });
});

describe('apiFromEndpoints: views on behalf of an origin', () => {
  const calls: { name: string; args: readonly unknown[]; origin: object | undefined }[] = [];
  const madeFor: (object | undefined)[] = [];
  const api = apiFromEndpoints((origin) => {
    madeFor.push(origin);
    return (name, _endpoint, args) => {
      calls.push({ name, args, origin });
      return Promise.resolve(undefined);
    };
  });

  it('hands each call whom it is for; a view asked for its own origin is itself, undefined gives the first view', async () => {
    const origin = {};
    const view = api.onBehalfOf(origin);
    expect(view.onBehalfOf(origin)).toBe(view);
    expect(api.onBehalfOf(undefined)).toBe(api);
    expect(view.onBehalfOf(undefined)).toBe(api);
    expect(view.onBehalfOf({})).not.toBe(view);
    await view.getSyncById(companyId, syncId);
    await view.getSyncStatus(companyId);
    await api.getSyncStatus(companyId);
    expect(calls).toEqual([
      { name: 'getSyncById', args: [companyId, syncId], origin },
      { name: 'getSyncStatus', args: [companyId], origin },
      { name: 'getSyncStatus', args: [companyId], origin: undefined },
    ]);
    // One call function per view, made with the view: the first view's, the origin's, then the other origin's.
    expect(madeFor).toEqual([undefined, origin, expect.any(Object)]);
  });
});

describe('freshnessMs: how long a read may be reused', () => {
  const freshness: Freshness = { statusTtlMs: 2_000, inProgressTtlMs: 1_000, finishedSyncTtlMs: 600_000 };
  const list = [{ syncStatusCode: 2000 }, { syncStatusCode: 1000 }];

  it.each([
    ['a finished status', 'current', 2_000, codesOf({ syncStatusCode: 2000 })],
    ['a status in progress', 'current', 1_000, codesOf({ syncStatusCode: 1010 })],
    ['a list with a sync in progress', 'current', 1_000, codesOf(list)],
    ['an empty list', 'current', 2_000, codesOf([])],
    ['a finished sync by id', 'one-sync', 600_000, codesOf({ syncStatusCode: 4200 })],
    ['a running sync by id', 'one-sync', 1_000, codesOf({ syncStatusCode: 1000 })],
    ['a sync by id with an unknown code', 'one-sync', 2_000, codesOf({ syncStatusCode: 3000 })],
  ] as const)('%s (%s): %d ms', (_name, kind, expected, codes) => {
    expect(freshnessMs(codes, freshness, kind)).toBe(expected);
  });

  it('reuses nothing when the status TTL is 0, finished syncs included', () => {
    const off = { ...freshness, statusTtlMs: 0 };
    expect(freshnessMs([2000], off, 'one-sync')).toBe(0);
    expect(freshnessMs([1000], off)).toBe(0);
  });
});
