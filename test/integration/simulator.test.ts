import { CodatSimulator, SEEDED_COMPANIES, SEEDED_COMPANY_IDS, type OperationId, type SimulatorOptions } from '../../src/simulator';
import { loadCodatSpec } from '../support/codat-spec';

// The simulator is what every integration test calls "Codat", so it is held to Codat's spec: each
// 2xx and error body below is checked against the OpenAPI document, over real HTTP on loopback.

const API_KEY = 'sim-test-key-7c1e';
const AUTH = `Basic ${Buffer.from(API_KEY).toString('base64')}`;
const IDS = SEEDED_COMPANY_IDS;
const UNKNOWN_COMPANY = '0b9c6f0e-4d3a-4c1b-9e8f-7a6b5c4d3e2f';

const SYNC_UTC_7_DIGITS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;
const WHOLE_SECONDS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const CORRELATION_ID = /^[0-9a-f]{32}$/;

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read Codat's JSON freely
}

const paths = {
  status: (id: string) => `/meta/companies/${id}/sync/commerce/status`,
  list: (id: string) => `/companies/${id}/sync/commerce/syncs/list/status`,
  latest: (id: string) => `/companies/${id}/sync/commerce/syncs/latest/status`,
  lastSuccessful: (id: string) => `/companies/${id}/sync/commerce/syncs/lastSuccessful/status`,
  byId: (id: string, syncId: string) => `/companies/${id}/sync/commerce/syncs/${syncId}/status`,
  requestSync: (id: string) => `/companies/${id}/sync/commerce/latest`,
  requestRange: (id: string) => `/meta/companies/${id}/sync/commerce/historic`,
};

async function call(
  simulator: CodatSimulator,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  options: { body?: unknown; rawBody?: string; authorization?: string | null; signal?: AbortSignal } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.authorization !== null) headers.authorization = options.authorization ?? AUTH;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${simulator.url}${path}`, { method, headers, body, signal: options.signal });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

const get = (simulator: CodatSimulator, path: string, options?: Parameters<typeof call>[3]) => call(simulator, 'GET', path, options);
const post = (simulator: CodatSimulator, path: string, body: unknown, options?: Parameters<typeof call>[3]) =>
  call(simulator, 'POST', path, { ...options, body });

const spec = loadCodatSpec();

/** The body follows the spec for this operation and status, and the content type is Codat's. */
function expectSpecReply(operationId: OperationId, reply: Reply, status: number): void {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(spec.validateResponse(operationId, status, reply.json).errors).toEqual([]);
}

/** Codat's ErrorMessage, with a fresh 32-hex correlationId. */
function expectErrorMessage(operationId: OperationId, reply: Reply, status: number): void {
  expectSpecReply(operationId, reply, status);
  expect(reply.json).toMatchObject({ statusCode: status, service: 'PublicApi', detailedErrorCode: 0 });
  expect(reply.json.correlationId).toMatch(CORRELATION_ID);
  expect(typeof reply.json.error).toBe('string');
}

function startSimulator(options: Partial<SimulatorOptions> = {}): Promise<CodatSimulator> {
  return CodatSimulator.start({ apiKey: API_KEY, host: '127.0.0.1', port: 0, ...options });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

describe('CodatSimulator', () => {
  let simulator: CodatSimulator;

  beforeAll(async () => {
    simulator = await startSimulator();
  });

  afterAll(async () => {
    await simulator.close();
  });

  beforeEach(() => {
    simulator.clearBehaviours();
    simulator.clearLog();
  });

  it('listens on loopback and reports its base URL without a trailing slash', () => {
    expect(simulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  describe('seeded companies', () => {
    it('names five companies, each served by get-sync-status', async () => {
      expect(SEEDED_COMPANIES.map((c) => c.id).sort()).toEqual(Object.values(IDS).sort());
      for (const company of SEEDED_COMPANIES) {
        expect(company.name).not.toBe('');
        expect(company.description).not.toBe('');
        expectSpecReply('get-sync-status', await get(simulator, paths.status(company.id)), 200);
      }
    });
  });

  describe('get-sync-status', () => {
    it('answers the latest sync and the connections of a company whose last sync succeeded', async () => {
      const reply = await get(simulator, paths.status(IDS.succeeded));

      expectSpecReply('get-sync-status', reply, 200);
      expect(reply.json).toMatchObject({ companyId: IDS.succeeded, syncStatusCode: 2000, syncStatus: 'Complete', dataPushed: true });
      expect(reply.json.commerceSyncId).not.toBe(reply.json.syncId);
      expect(reply.json.syncUtc).toMatch(SYNC_UTC_7_DIGITS);
      expect(reply.json.dataConnections).toHaveLength(2);
      for (const connection of reply.json.dataConnections) {
        expect(connection.created).toMatch(WHOLE_SECONDS_UTC);
        expect(connection.lastSync).toMatch(SYNC_UTC_7_DIGITS);
        expect(connection.dataConnectionErrors).toEqual([]);
        expect(connection.linkUrl).toBe(`https://link-api.codat.io/companies/${IDS.succeeded}/connections/${connection.id}/start`);
      }
    });

    it('reports a failed sync with code 5130 and its messages', async () => {
      const reply = await get(simulator, paths.status(IDS.failed));

      expectSpecReply('get-sync-status', reply, 200);
      expect(reply.json).toMatchObject({ syncStatusCode: 5130, syncStatus: 'PushError', dataPushed: false });
      expect(reply.json.errorMessage).toContain('archived');
      expect(reply.json.syncExceptionMessage).toContain('ValidationException');
    });

    it('reports a sync in progress with code 1000', async () => {
      const reply = await get(simulator, paths.status(IDS.inProgress));

      expectSpecReply('get-sync-status', reply, 200);
      expect(reply.json).toMatchObject({ syncStatusCode: 1000, dataPushed: false });
    });

    it('answers NotStarted with code 0 and no sync ids for a company that never synced', async () => {
      const reply = await get(simulator, paths.status(IDS.neverSynced));

      expectSpecReply('get-sync-status', reply, 200);
      expect(reply.json).toMatchObject({
        companyId: IDS.neverSynced,
        syncStatusCode: 0,
        syncStatus: 'NotStarted',
        syncUtc: null,
        dataPushed: false,
      });
      expect(reply.json).not.toHaveProperty('syncId');
      expect(reply.json).not.toHaveProperty('commerceSyncId');
      expect(reply.json.dataConnections).toHaveLength(2);
    });

    it('lists commerce and accounting connections in every status for the multi-connection company', async () => {
      const reply = await get(simulator, paths.status(IDS.multiConnection));

      expectSpecReply('get-sync-status', reply, 200);
      const connections: { status: string; sourceType: string; dataConnectionErrors: unknown[] }[] = reply.json.dataConnections;
      expect(new Set(connections.map((c) => c.status))).toEqual(new Set(['Linked', 'PendingAuth', 'Deauthorized', 'Unlinked']));
      expect(new Set(connections.map((c) => c.sourceType))).toEqual(new Set(['Commerce', 'Accounting']));
      expect(connections.find((c) => c.status === 'Deauthorized')?.dataConnectionErrors).toHaveLength(1);
    });
  });

  describe('list-syncs', () => {
    it('lists the history newest first, the failure above earlier successes', async () => {
      const reply = await get(simulator, paths.list(IDS.failed));

      expectSpecReply('list-syncs', reply, 200);
      const codes = reply.json.map((s: { syncStatusCode: number }) => s.syncStatusCode);
      expect(codes).toEqual([5130, 2040, 2000, 2000]);
      const times = reply.json.map((s: { syncUtc: string }) => Date.parse(s.syncUtc));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      for (const sync of reply.json) expect(sync.syncUtc).toMatch(SYNC_UTC_7_DIGITS);
    });

    it('answers an empty list for a company that never synced', async () => {
      const reply = await get(simulator, paths.list(IDS.neverSynced));

      expectSpecReply('list-syncs', reply, 200);
      expect(reply.json).toEqual([]);
    });
  });

  describe('get-latest-sync, get-last-successful-sync, get-sync-by-id', () => {
    it('answers the newest sync and the newest successful one', async () => {
      const list = (await get(simulator, paths.list(IDS.failed))).json;

      const latest = await get(simulator, paths.latest(IDS.failed));
      expectSpecReply('get-latest-sync', latest, 200);
      expect(latest.json).toEqual(list[0]);

      const lastSuccessful = await get(simulator, paths.lastSuccessful(IDS.failed));
      expectSpecReply('get-last-successful-sync', lastSuccessful, 200);
      expect(lastSuccessful.json).toEqual(list[1]);
      expect(lastSuccessful.json.syncStatusCode).toBe(2040);
      // CompanySyncStatus carries "" for the messages of a clean sync, as in the spec's examples.
      expect(lastSuccessful.json).toMatchObject({ errorMessage: '', syncExceptionMessage: '' });
    });

    it('finds a sync by its syncId, and not by its commerceSyncId', async () => {
      const list = (await get(simulator, paths.list(IDS.succeeded))).json;
      const oldest = list[list.length - 1];

      const reply = await get(simulator, paths.byId(IDS.succeeded, oldest.syncId));
      expectSpecReply('get-sync-by-id', reply, 200);
      expect(reply.json).toEqual(oldest);

      const status = (await get(simulator, paths.status(IDS.succeeded))).json;
      expectErrorMessage('get-sync-by-id', await get(simulator, paths.byId(IDS.succeeded, status.commerceSyncId)), 404);
      expectErrorMessage('get-sync-by-id', await get(simulator, paths.byId(IDS.succeeded, 'not-a-sync')), 404);
    });

    it('answers 404 for latest and lastSuccessful when the company never synced', async () => {
      expectErrorMessage('get-latest-sync', await get(simulator, paths.latest(IDS.neverSynced)), 404);
      expectErrorMessage('get-last-successful-sync', await get(simulator, paths.lastSuccessful(IDS.neverSynced)), 404);
    });

    it('answers the in-progress sync as latest and the earlier success as lastSuccessful', async () => {
      expect((await get(simulator, paths.latest(IDS.inProgress))).json.syncStatusCode).toBe(1000);
      expect((await get(simulator, paths.lastSuccessful(IDS.inProgress))).json.syncStatusCode).toBe(2000);
    });
  });

  describe('authorization', () => {
    it.each([
      ['missing', null],
      ['a wrong key', `Basic ${Buffer.from('wrong-key').toString('base64')}`],
      ['the key not base64-encoded', `Basic ${API_KEY}`],
      ['another scheme', `Bearer ${Buffer.from(API_KEY).toString('base64')}`],
    ])('answers 401 with an ErrorMessage when the Authorization header is %s', async (_, authorization) => {
      const reply = await get(simulator, paths.status(IDS.succeeded), { authorization });

      expectErrorMessage('get-sync-status', reply, 401);
      expect(reply.json.error).toBe('Unauthorized');
    });

    it('checks the key before the path, and gives each response its own correlationId', async () => {
      const first = await get(simulator, '/no/such/path', { authorization: null });
      const second = await get(simulator, '/no/such/path', { authorization: null });

      expect([first.status, second.status]).toEqual([401, 401]);
      expect(first.json.correlationId).not.toBe(second.json.correlationId);
    });
  });

  describe('company ids and unknown routes', () => {
    it('answers 404 for an unknown company on every operation', async () => {
      expectErrorMessage('get-sync-status', await get(simulator, paths.status(UNKNOWN_COMPANY)), 404);
      expectErrorMessage('list-syncs', await get(simulator, paths.list(UNKNOWN_COMPANY)), 404);
      expectErrorMessage('get-latest-sync', await get(simulator, paths.latest(UNKNOWN_COMPANY)), 404);
      expectErrorMessage('request-sync', await post(simulator, paths.requestSync(UNKNOWN_COMPANY), {}), 404);
      const range = { dateRange: { start: '2024-01-01T00:00:00Z', finish: '2024-01-02T00:00:00Z' } };
      const reply = await post(simulator, paths.requestRange(UNKNOWN_COMPANY), range);
      expectErrorMessage('request-sync-for-date-range', reply, 404);
      expect(reply.json.error).toBe(`No company was found with ID ${UNKNOWN_COMPANY}`);
    });

    it('answers 404 (not 400) for a company id that is not a UUID', async () => {
      expectErrorMessage('get-sync-status', await get(simulator, paths.status('not-a-uuid')), 404);
    });

    it('reads company ids case-insensitively, as GUIDs', async () => {
      const reply = await get(simulator, paths.status(IDS.succeeded.toUpperCase()));
      expect(reply.status).toBe(200);
      expect(reply.json.companyId).toBe(IDS.succeeded);
    });

    it('answers 404 with an ErrorMessage for paths and methods it does not serve', async () => {
      for (const reply of [
        await get(simulator, '/companies'),
        await get(simulator, `${paths.status(IDS.succeeded)}/`),
        await get(simulator, paths.requestSync(IDS.succeeded)),
        await call(simulator, 'PUT', paths.status(IDS.succeeded)),
      ]) {
        expect(reply.status).toBe(404);
        expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
        expect(reply.json).toMatchObject({ statusCode: 404, service: 'PublicApi' });
        expect(reply.json.correlationId).toMatch(CORRELATION_ID);
      }
    });
  });

  describe('request-sync', () => {
    let clock: Date;
    let timed: CodatSimulator;

    beforeEach(async () => {
      clock = new Date('2025-06-10T09:30:00.000Z');
      timed = await startSimulator({ syncDurationMs: 3000, now: () => clock });
    });

    afterEach(async () => {
      await timed.close();
    });

    it('starts a sync at 1000 that moves to 2000 Complete after syncDurationMs', async () => {
      const summary = await post(timed, paths.requestSync(IDS.succeeded), {});

      expectSpecReply('request-sync', summary, 200);
      expect(summary.json).toMatchObject({
        companyId: IDS.succeeded,
        syncStatusCode: 1000,
        dataPushed: false,
        // From the end of the last successful sync (the seeded 2025-06-04 sync pushed 2025-06-03) to now.
        syncDateRangeUtc: { start: '2025-06-04T00:00:00Z', finish: '2025-06-10T09:30:00Z' },
      });
      expect(summary.json.syncUtc).toMatch(/^2025-06-10T09:30:00\.\d{7}Z$/);
      expect(summary.json.dataConnections).toHaveLength(2);

      const running = (await get(timed, paths.status(IDS.succeeded))).json;
      expect(running).toMatchObject({ commerceSyncId: summary.json.commerceSyncId, syncStatusCode: 1000, dataPushed: false });
      expect((await get(timed, paths.latest(IDS.succeeded))).json.syncStatusCode).toBe(1000);

      clock = new Date(clock.getTime() + 2999);
      expect((await get(timed, paths.status(IDS.succeeded))).json.syncStatusCode).toBe(1000);

      clock = new Date(clock.getTime() + 1);
      const done = await get(timed, paths.status(IDS.succeeded));
      expectSpecReply('get-sync-status', done, 200);
      expect(done.json).toMatchObject({
        commerceSyncId: summary.json.commerceSyncId,
        syncStatusCode: 2000,
        syncStatus: 'Complete',
        dataPushed: true,
      });
      expect((await get(timed, paths.lastSuccessful(IDS.succeeded))).json.syncId).toBe(done.json.syncId);
      expect((await get(timed, paths.list(IDS.succeeded))).json).toHaveLength(5);
    });

    it('syncs up to syncTo when given, and accepts an empty body or a null syncTo', async () => {
      const withSyncTo = await post(timed, paths.requestSync(IDS.failed), { syncTo: '2025-06-08T12:00:00.000Z' });
      expectSpecReply('request-sync', withSyncTo, 200);
      // The failed company's last success pushed 2025-06-02.
      expect(withSyncTo.json.syncDateRangeUtc).toEqual({ start: '2025-06-03T00:00:00Z', finish: '2025-06-08T12:00:00Z' });

      expect((await call(timed, 'POST', paths.requestSync(IDS.multiConnection))).status).toBe(200);
      expect((await post(timed, paths.requestSync(IDS.inProgress), { syncTo: null })).status).toBe(200);
    });

    it('starts from the configured start date when no sync has succeeded', async () => {
      const summary = await post(timed, paths.requestSync(IDS.neverSynced), {});
      expect(summary.json.syncDateRangeUtc).toEqual({ start: '2025-06-03T00:00:00Z', finish: '2025-06-10T09:30:00Z' });
    });

    it('accepts a second request while the first is running, as a second sync', async () => {
      const first = await post(timed, paths.requestSync(IDS.succeeded), {});
      const second = await post(timed, paths.requestSync(IDS.succeeded), {});

      expect([first.status, second.status]).toEqual([200, 200]);
      expect(second.json.commerceSyncId).not.toBe(first.json.commerceSyncId);
      const codes = (await get(timed, paths.list(IDS.succeeded))).json.map((s: { syncStatusCode: number }) => s.syncStatusCode);
      expect(codes.slice(0, 2)).toEqual([1000, 1000]);
    });

    it('ends with 4000 when the company lacks a linked commerce and a linked accounting connection', async () => {
      const id = timed.addCompany({ state: 'never', connections: 1 });
      await post(timed, paths.requestSync(id), {});
      clock = new Date(clock.getTime() + 3000);

      const status = (await get(timed, paths.status(id))).json;
      expect(status).toMatchObject({
        syncStatusCode: 4000,
        dataPushed: false,
        errorMessage: 'Company needs to have two valid data connections.',
      });
    });

    it.each([
      ['syncTo before the start of the range', { syncTo: '2025-06-01T00:00:00Z' }, 'syncTo'],
      ['an unparsable syncTo', { syncTo: 'next tuesday' }, 'syncTo'],
      ['a syncTo that is not a string', { syncTo: 20250610 }, 'syncTo'],
      ['a body that is not an object', [1, 2], 'body'],
    ])('answers 400 with a validation error for %s', async (_, body, itemId) => {
      const reply = await post(timed, paths.requestSync(IDS.succeeded), body);

      expectErrorMessage('request-sync', reply, 400);
      expect(reply.json.validation.errors).toEqual([expect.objectContaining({ itemId })]);
    });

    it('answers 400 with a validation error for a body that is not JSON', async () => {
      const reply = await call(timed, 'POST', paths.requestSync(IDS.succeeded), { rawBody: '{"syncTo": ' });

      expectErrorMessage('request-sync', reply, 400);
      expect(reply.json.validation.errors[0]).toMatchObject({ itemId: 'body', validatorName: 'JsonSyntax' });
    });
  });

  describe('request-sync-for-date-range', () => {
    let historic: CodatSimulator;

    beforeEach(async () => {
      historic = await startSimulator({ now: () => new Date('2025-06-10T09:30:00.000Z') });
    });

    afterEach(async () => {
      await historic.close();
    });

    const range = (start: string, finish: string) => ({ dateRange: { start, finish } });

    it('starts a sync for the range and echoes it in UTC', async () => {
      const reply = await post(historic, paths.requestRange(IDS.succeeded), range('2024-01-01T01:00:00+01:00', '2024-02-01T00:00:00.000Z'));

      expectSpecReply('request-sync-for-date-range', reply, 200);
      expect(reply.json).toMatchObject({
        companyId: IDS.succeeded,
        syncStatusCode: 1000,
        dataPushed: false,
        syncDateRangeUtc: { start: '2024-01-01T00:00:00Z', finish: '2024-02-01T00:00:00Z' },
      });
      expect(historic.requests()[0]?.body).toEqual(range('2024-01-01T01:00:00+01:00', '2024-02-01T00:00:00.000Z'));
    });

    it("refuses a range that overlaps a previously requested one with Codat's message", async () => {
      expect((await post(historic, paths.requestRange(IDS.succeeded), range('2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z'))).status).toBe(
        200,
      );

      const reply = await post(historic, paths.requestRange(IDS.succeeded), range('2024-01-31T00:00:00Z', '2024-03-01T00:00:00Z'));

      expectErrorMessage('request-sync-for-date-range', reply, 400);
      expect(reply.json.error).toBe('Date overlaps with a previous sync date range');
      expect(reply.json.validation.errors).toEqual([expect.objectContaining({ itemId: 'dateRange', validatorName: 'DateRangeOverlap' })]);
    });

    it('accepts a range that only touches a previous one, and ranges of other companies', async () => {
      expect((await post(historic, paths.requestRange(IDS.succeeded), range('2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z'))).status).toBe(
        200,
      );
      expect((await post(historic, paths.requestRange(IDS.succeeded), range('2024-02-01T00:00:00Z', '2024-03-01T00:00:00Z'))).status).toBe(
        200,
      );
      expect((await post(historic, paths.requestRange(IDS.failed), range('2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z'))).status).toBe(
        200,
      );
    });

    it('refuses a range that overlaps the range of a requested latest sync', async () => {
      expect((await post(historic, paths.requestSync(IDS.succeeded), {})).status).toBe(200);

      const reply = await post(historic, paths.requestRange(IDS.succeeded), range('2025-06-05T00:00:00Z', '2025-06-06T00:00:00Z'));
      expect(reply.status).toBe(400);
      expect(reply.json.error).toBe('Date overlaps with a previous sync date range');
    });

    it.each([
      ['no body', undefined, 'body'],
      ['no dateRange', {}, 'dateRange'],
      ['no finish', { dateRange: { start: '2024-01-01T00:00:00Z' } }, 'dateRange.finish'],
      ['an unparsable start', range('2024-13-01T00:00:00Z', '2024-02-01T00:00:00Z'), 'dateRange.start'],
      ['finish equal to start', range('2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'), 'dateRange.finish'],
      ['finish before start', range('2024-02-01T00:00:00Z', '2024-01-01T00:00:00Z'), 'dateRange.finish'],
    ])('answers 400 with a validation error for %s', async (_, body, itemId) => {
      const reply = await call(historic, 'POST', paths.requestRange(IDS.succeeded), { body });

      expectErrorMessage('request-sync-for-date-range', reply, 400);
      expect(reply.json.validation.errors).toEqual([expect.objectContaining({ itemId })]);
    });
  });

  describe('behaviours', () => {
    it('answers a set status for the first N requests, then serves normally', async () => {
      simulator.setBehaviour(IDS.succeeded, { kind: 'status', status: 503 }, { times: 2 });

      const first = await get(simulator, paths.status(IDS.succeeded));
      const second = await get(simulator, paths.status(IDS.succeeded));
      const third = await get(simulator, paths.status(IDS.succeeded));

      expectErrorMessage('get-sync-status', first, 503);
      expect(first.json.canBeRetried).toBe('True');
      expect(second.status).toBe(503);
      expect(third.status).toBe(200);
      expect(simulator.requests().map((r) => r.behaviour)).toEqual(['status', 'status', null]);
    });

    it('limits a behaviour to one operation and one company', async () => {
      simulator.setBehaviour(IDS.failed, { kind: 'status', status: 500 }, { operationId: 'list-syncs' });

      expect((await get(simulator, paths.list(IDS.failed))).status).toBe(500);
      expect((await get(simulator, paths.status(IDS.failed))).status).toBe(200);
      expect((await get(simulator, paths.list(IDS.succeeded))).status).toBe(200);
    });

    it("applies '*' behaviours to every company, after a company's own behaviours", async () => {
      simulator.setBehaviour('*', { kind: 'status', status: 402 });
      simulator.setBehaviour(IDS.failed, { kind: 'status', status: 403 }, { times: 1 });

      expect((await get(simulator, paths.status(IDS.succeeded))).status).toBe(402);
      expect((await get(simulator, paths.status(UNKNOWN_COMPANY))).status).toBe(402);
      expect((await get(simulator, paths.status(IDS.failed))).status).toBe(403);
      expect((await get(simulator, paths.status(IDS.failed))).status).toBe(402);

      simulator.clearBehaviours();
      expect((await get(simulator, paths.status(IDS.succeeded))).status).toBe(200);
    });

    it('runs behaviours set for the same requests one after another', async () => {
      simulator.setBehaviour(IDS.succeeded, { kind: 'status', status: 429 }, { times: 1 });
      simulator.setBehaviour(IDS.succeeded, { kind: 'status', status: 500 }, { times: 1 });

      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await get(simulator, paths.status(IDS.succeeded))).status);
      expect(statuses).toEqual([429, 500, 200]);
    });

    it('sends Retry-After with a 429', async () => {
      simulator.setBehaviour(IDS.succeeded, { kind: 'status', status: 429, retryAfter: '7' });

      const reply = await get(simulator, paths.latest(IDS.succeeded));

      expectErrorMessage('get-latest-sync', reply, 429);
      expect(reply.headers.get('retry-after')).toBe('7');
    });

    it('answers every status it supports with a spec-valid ErrorMessage', async () => {
      for (const status of [400, 401, 402, 403, 404, 409, 429, 500, 503] as const) {
        simulator.setBehaviour(IDS.succeeded, { kind: 'status', status, error: `forced ${status}` }, { times: 1 });
        const reply = await post(simulator, paths.requestRange(IDS.succeeded), {});
        expect(reply.status).toBe(status);
        expect(reply.json).toMatchObject({ statusCode: status, error: `forced ${status}`, service: 'PublicApi' });
        if (status !== 409) expectErrorMessage('request-sync-for-date-range', reply, status); // the spec lists no 409 here
      }
    });

    it('delays a slow answer and then answers normally', async () => {
      simulator.setBehaviour(IDS.succeeded, { kind: 'slow', delayMs: 300 }, { times: 1 });

      const started = performance.now();
      const reply = await get(simulator, paths.status(IDS.succeeded));

      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      expectSpecReply('get-sync-status', reply, 200);
      const [entry] = simulator.requests();
      expect((entry?.finishedAt ?? 0) - (entry?.startedAt ?? 0)).toBeGreaterThanOrEqual(290);
    });

    it('hangs until the client gives up', async () => {
      simulator.setBehaviour(IDS.succeeded, { kind: 'hang' }, { times: 1 });

      await expect(get(simulator, paths.status(IDS.succeeded), { signal: AbortSignal.timeout(200) })).rejects.toThrow();

      await waitFor(() => simulator.inFlight() === 0);
      expect(simulator.requests()[0]).toMatchObject({ behaviour: 'hang', status: null });
      expect(simulator.requests()[0]?.finishedAt).not.toBeNull();
      expect((await get(simulator, paths.status(IDS.succeeded))).status).toBe(200);
    });

    it('answers 200 with an HTML page for non-json', async () => {
      simulator.setBehaviour(IDS.succeeded, { kind: 'non-json' });

      const reply = await get(simulator, paths.status(IDS.succeeded));

      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(reply.json).toBeUndefined();
      expect(reply.text).toContain('<html>');
    });

    it('answers 200 JSON that breaks the schema for wrong-shape', async () => {
      simulator.setBehaviour(IDS.succeeded, { kind: 'wrong-shape' });

      const list = await get(simulator, paths.list(IDS.succeeded));
      const status = await get(simulator, paths.status(IDS.succeeded));

      expect(list.status).toBe(200);
      expect(list.json).toEqual({ hello: 1 });
      expect(spec.validateResponse('list-syncs', 200, list.json).valid).toBe(false);
      expect(status.status).toBe(200);
      expect(typeof status.json.syncStatusCode).toBe('object');
      expect(spec.validateResponse('get-sync-status', 200, status.json).valid).toBe(false);
    });

    it('sends a chosen wrong-shape body', async () => {
      simulator.setBehaviour(IDS.succeeded, { kind: 'wrong-shape', body: [{ syncStatusCode: '2000' }] }, { times: 1 });

      expect((await get(simulator, paths.latest(IDS.succeeded))).json).toEqual([{ syncStatusCode: '2000' }]);
    });

    it('resets the connection without answering', async () => {
      simulator.setBehaviour(IDS.succeeded, { kind: 'reset' }, { times: 1 });

      await expect(get(simulator, paths.status(IDS.succeeded))).rejects.toThrow();

      await waitFor(() => simulator.inFlight() === 0);
      expect(simulator.requests()[0]).toMatchObject({ behaviour: 'reset', status: null });
      expect((await get(simulator, paths.status(IDS.succeeded))).status).toBe(200);
    });

    it('refuses malformed behaviour settings', () => {
      expect(() => simulator.setBehaviour('*', { kind: 'hang' }, { times: 0 })).toThrow(/times/);
      expect(() => simulator.setBehaviour('*', { kind: 'slow', delayMs: -1 })).toThrow(/delayMs/);
      expect(() => simulator.setBehaviour('*', { kind: 'hang' }, { operationId: 'get-companies' as OperationId })).toThrow(/operationId/);
    });
  });

  describe('close()', () => {
    it('ends hanging and slow requests and resolves promptly', async () => {
      const closing = await startSimulator();
      closing.setBehaviour(IDS.succeeded, { kind: 'hang' });
      closing.setBehaviour(IDS.failed, { kind: 'slow', delayMs: 60_000 });

      const hanging = get(closing, paths.status(IDS.succeeded)).then(
        () => 'answered',
        () => 'failed',
      );
      const slow = get(closing, paths.status(IDS.failed)).then(
        () => 'answered',
        () => 'failed',
      );
      await waitFor(() => closing.inFlight() === 2);

      const started = performance.now();
      await closing.close();
      expect(performance.now() - started).toBeLessThan(1000);
      expect(await hanging).toBe('failed');
      expect(await slow).toBe('failed');
      expect(closing.inFlight()).toBe(0);
      await closing.close(); // a second close is harmless
    });
  });

  describe('request log', () => {
    it('records method, path, operation, company, body, authorization, times and status', async () => {
      await post(simulator, paths.requestRange(IDS.multiConnection), {
        dateRange: { start: '2023-01-01T00:00:00Z', finish: '2023-01-02T00:00:00Z' },
      });
      await get(simulator, `${paths.list(IDS.failed)}?page=1`, { authorization: 'Basic nope' });
      await call(simulator, 'POST', paths.requestSync(IDS.failed), { rawBody: 'not json' });

      const [historic, list, invalid] = simulator.requests();
      expect(historic).toMatchObject({
        method: 'POST',
        path: paths.requestRange(IDS.multiConnection),
        query: '',
        operationId: 'request-sync-for-date-range',
        companyId: IDS.multiConnection,
        body: { dateRange: { start: '2023-01-01T00:00:00Z', finish: '2023-01-02T00:00:00Z' } },
        authorization: AUTH,
        behaviour: null,
        status: 200,
      });
      expect(historic?.finishedAt).toBeGreaterThanOrEqual(historic?.startedAt ?? Infinity);
      expect(list).toMatchObject({
        method: 'GET',
        query: '?page=1',
        operationId: 'list-syncs',
        body: undefined,
        authorization: 'Basic nope',
        status: 401,
      });
      expect(invalid).toMatchObject({ operationId: 'request-sync', body: 'not json', status: 400 });
    });

    it('measures peak concurrency, and clearLog() resets the log and the peak', async () => {
      simulator.setBehaviour('*', { kind: 'slow', delayMs: 150 });

      const replies = await Promise.all(SEEDED_COMPANIES.map((c) => get(simulator, paths.status(c.id))));

      expect(replies.map((r) => r.status)).toEqual(SEEDED_COMPANIES.map(() => 200));
      expect(simulator.peakConcurrency()).toBe(SEEDED_COMPANIES.length);
      expect(simulator.inFlight()).toBe(0);
      expect(simulator.requests()).toHaveLength(SEEDED_COMPANIES.length);

      simulator.clearLog();
      expect(simulator.requests()).toEqual([]);
      expect(simulator.peakConcurrency()).toBe(0);

      await get(simulator, paths.status(IDS.succeeded));
      expect(simulator.peakConcurrency()).toBe(1);
    });
  });

  describe('addCompany', () => {
    it('adds companies in each state, served like the seeded ones', async () => {
      const expected = { succeeded: 2000, failed: 5130, 'in-progress': 1000 } as const;
      for (const [state, code] of Object.entries(expected)) {
        const ids = Array.from({ length: 10 }, () => simulator.addCompany({ state: state as keyof typeof expected }));
        expect(new Set(ids).size).toBe(10);
        for (const id of ids) {
          const reply = await get(simulator, paths.status(id));
          expectSpecReply('get-sync-status', reply, 200);
          expect(reply.json.syncStatusCode).toBe(code);
        }
      }
      const never = simulator.addCompany({ state: 'never' });
      expect((await get(simulator, paths.list(never))).json).toEqual([]);
      expect((await get(simulator, paths.latest(never))).status).toBe(404);
    });

    it('uses a given id, name and connection count', async () => {
      const id = simulator.addCompany({ id: '11111111-2222-4333-8444-555555555555', name: 'Named', state: 'succeeded', connections: 4 });

      expect(id).toBe('11111111-2222-4333-8444-555555555555');
      const status = (await get(simulator, paths.status(id))).json;
      expect(status.dataConnections).toHaveLength(4);
      expect((await get(simulator, paths.list(id))).json).toHaveLength(3);
    });

    it('refuses a duplicate or non-UUID id', () => {
      expect(() => simulator.addCompany({ id: IDS.succeeded, state: 'never' })).toThrow(/already exists/);
      expect(() => simulator.addCompany({ id: 'company-1', state: 'never' })).toThrow(/UUID/);
    });
  });
});
