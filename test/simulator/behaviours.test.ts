import { SEEDED_COMPANY_IDS, type OperationId } from '../../src/simulator';
import { loadCodatSpec } from '../support/codat-spec';
import { startSimulator, useSimulator } from '../support/simulator';
import { expectErrorMessage, expectSpecReply, get, paths, post, UNKNOWN_COMPANY } from '../support/simulator-client';
import { waitFor } from '../support/wait';

// Behaviours: the faults a test can set per company and operation (statuses, Retry-After, slow, hang,
// non-JSON, wrong shapes, resets), and close() ending whatever is still in flight.

const IDS = SEEDED_COMPANY_IDS;
const spec = loadCodatSpec();

describe('CodatSimulator', () => {
  const simulator = useSimulator();

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

      await waitFor(() => simulator.inFlight() === 0, 'no request in flight', 2_000);
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

      await waitFor(() => simulator.inFlight() === 0, 'no request in flight', 2_000);
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
      await waitFor(() => closing.inFlight() === 2, 'both requests in flight', 2_000);

      const started = performance.now();
      await closing.close();
      expect(performance.now() - started).toBeLessThan(1000);
      expect(await hanging).toBe('failed');
      expect(await slow).toBe('failed');
      expect(closing.inFlight()).toBe(0);
      await closing.close(); // a second close is harmless
    });
  });
});
