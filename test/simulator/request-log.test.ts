import { SEEDED_COMPANIES, SEEDED_COMPANY_IDS } from '../../src/simulator';
import { useSimulator } from '../support/simulator';
import { AUTH, call, get, paths, post } from '../support/simulator-client';

// The request log tests assert on: what each request carried, and how many were in flight at once.

const IDS = SEEDED_COMPANY_IDS;

describe('CodatSimulator', () => {
  const simulator = useSimulator();

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
});
