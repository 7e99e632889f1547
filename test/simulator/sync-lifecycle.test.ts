import { SEEDED_COMPANY_IDS, type CodatSimulator } from '../../src/simulator';
import { startSimulator } from '../support/simulator';
import { call, expectErrorMessage, expectSpecReply, get, paths, post } from '../support/simulator-client';

// Requesting syncs (request-sync, request-sync-for-date-range): a requested sync's life from 1000 to
// its outcome on the simulator's clock, the ranges Codat computes, and the requests Codat refuses.

const IDS = SEEDED_COMPANY_IDS;

describe('CodatSimulator', () => {
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
});
