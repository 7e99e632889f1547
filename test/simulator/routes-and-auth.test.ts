import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { TEST_API_KEY, useSimulator } from '../support/simulator';
import { call, CORRELATION_ID, expectErrorMessage, get, paths, post, UNKNOWN_COMPANY } from '../support/simulator-client';

// The simulator's routes: where it listens, the key it checks, and what it answers for company ids and
// paths it does not serve. Every body is checked against Codat's spec (test/fixtures/codat/).

const IDS = SEEDED_COMPANY_IDS;

describe('CodatSimulator', () => {
  const simulator = useSimulator();

  it('listens on loopback and reports its base URL without a trailing slash', () => {
    expect(simulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  describe('authorization', () => {
    it.each([
      ['missing', null],
      ['a wrong key', `Basic ${Buffer.from('wrong-key').toString('base64')}`],
      ['the key not base64-encoded', `Basic ${TEST_API_KEY}`],
      ['another scheme', `Bearer ${Buffer.from(TEST_API_KEY).toString('base64')}`],
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
});
