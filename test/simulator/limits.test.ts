import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { startSimulator, useSimulator } from '../support/simulator';
import { expectErrorMessage, expectSpecReply, get, paths } from '../support/simulator-client';
import { waitFor } from '../support/wait';

// Codat's limits as the simulator enforces them (src/simulator/simulator.limits.ts): rate-limit headers
// on every answer, a daily budget answered 429 with Retry-After once spent, and 10 requests in flight
// per company at most, with the per-company peak tests assert on.

const IDS = SEEDED_COMPANY_IDS;

describe('CodatSimulator limits', () => {
  describe('with the default budget', () => {
    const simulator = useSimulator();

    it('sends X-Rate-Limit-Limit, a decreasing X-Rate-Limit-Remaining and X-Rate-Limit-Reset on every answer', async () => {
      const before = simulator.quotaRemaining();
      const ok = await get(simulator, paths.status(IDS.succeeded));
      const notFound = await get(simulator, paths.status('0b9c6f0e-4d3a-4c1b-9e8f-7a6b5c4d3e2f'));
      simulator.setBehaviour(IDS.failed, { kind: 'status', status: 503 }, { times: 1 });
      const unavailable = await get(simulator, paths.status(IDS.failed));

      expect([ok.status, notFound.status, unavailable.status]).toEqual([200, 404, 503]);
      for (const reply of [ok, notFound, unavailable]) {
        expect(reply.headers.get('x-rate-limit-limit')).toBe(String(simulator.dailyRequestBudget));
      }
      expect([ok, notFound, unavailable].map((r) => Number(r.headers.get('x-rate-limit-remaining')))).toEqual([
        before - 1,
        before - 2,
        before - 3,
      ]);
      expect(simulator.quotaRemaining()).toBe(before - 3);
      // Unix seconds of the next 00:00 UTC.
      const reset = Number(ok.headers.get('x-rate-limit-reset'));
      expect(reset % 86_400).toBe(0);
      expect(reset * 1000).toBeGreaterThan(Date.now());
      expect(reset * 1000 - Date.now()).toBeLessThanOrEqual(86_400_000);
    });

    it('answers 429 to one request more than 10 in flight for one company, and tracks each company’s peak', async () => {
      const gate = simulator.hold(IDS.succeeded, { times: 10 });
      const held = Array.from({ length: 10 }, () => get(simulator, paths.status(IDS.succeeded)));
      await waitFor(() => simulator.inFlight() === 10, '10 held requests');

      const eleventh = await get(simulator, paths.list(IDS.succeeded));
      const other = await get(simulator, paths.status(IDS.failed));
      gate.release();
      const replies = await Promise.all(held);

      expectErrorMessage('list-syncs', eleventh, 429);
      expect(eleventh.headers.get('retry-after')).toBe('1');
      expect(eleventh.headers.get('x-rate-limit-remaining')).not.toBeNull();
      expect(other.status).toBe(200);
      expect(replies.map((r) => r.status)).toEqual(Array.from({ length: 10 }, () => 200));
      expect(simulator.peakConcurrency(IDS.succeeded)).toBe(11);
      expect(simulator.peakConcurrency(IDS.failed)).toBe(1);
      expect(simulator.peakConcurrency(IDS.inProgress)).toBe(0);

      simulator.clearLog();
      expect(simulator.peakConcurrency(IDS.succeeded)).toBe(0);
      await get(simulator, paths.status(IDS.succeeded));
      expect(simulator.peakConcurrency(IDS.succeeded)).toBe(1);
    });
  });

  it('answers 429 with Retry-After until 00:00 UTC once the daily budget is spent, without spending more', async () => {
    const simulator = await startSimulator({ dailyRequestBudget: 3 });
    try {
      const replies = [];
      for (let i = 0; i < 5; i += 1) replies.push(await get(simulator, paths.status(IDS.succeeded)));
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
      expect(replies.map((r) => r.headers.get('x-rate-limit-remaining'))).toEqual(['2', '1', '0', '0', '0']);
      const refused = replies[3]!;
      expectErrorMessage('get-sync-status', refused, 429);
      expect(refused.json.canBeRetried).toBe('True');
      const retryAfter = Number(refused.headers.get('retry-after'));
      const secondsToMidnight = (86_400_000 - (Date.now() % 86_400_000)) / 1000;
      expect(retryAfter).toBeGreaterThan(0);
      expect(Math.abs(retryAfter - secondsToMidnight)).toBeLessThan(5);
      expect(simulator.quotaRemaining()).toBe(0);
      expect(simulator.requests()).toHaveLength(5);
    } finally {
      await simulator.close();
    }
  });

  it('refills the budget when its clock passes 00:00 UTC', async () => {
    let now = Date.UTC(2025, 5, 1, 23, 59, 0);
    const simulator = await startSimulator({ dailyRequestBudget: 1, now: () => new Date(now) });
    try {
      expectSpecReply('get-sync-status', await get(simulator, paths.status(IDS.succeeded)), 200);
      const refused = await get(simulator, paths.status(IDS.succeeded));
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('60');
      expect(refused.headers.get('x-rate-limit-reset')).toBe(String(Date.UTC(2025, 5, 2) / 1000));
      now = Date.UTC(2025, 5, 2, 0, 0, 1);
      const next = await get(simulator, paths.status(IDS.succeeded));
      expect(next.status).toBe(200);
      expect(next.headers.get('x-rate-limit-remaining')).toBe('0');
      expect(next.headers.get('x-rate-limit-reset')).toBe(String(Date.UTC(2025, 5, 3) / 1000));
    } finally {
      await simulator.close();
    }
  });
});
