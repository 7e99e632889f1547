import { SEEDED_COMPANIES, SEEDED_COMPANY_IDS } from '../../src/simulator';
import { useSimulator } from '../support/simulator';
import { expectErrorMessage, expectSpecReply, get, paths, SYNC_UTC_7_DIGITS, WHOLE_SECONDS_UTC } from '../support/simulator-client';

// What the simulator serves: its seeded companies, companies added by tests, and each one's syncs
// through the four GET operations. Every body is checked against Codat's spec (test/fixtures/codat/).

const IDS = SEEDED_COMPANY_IDS;

describe('CodatSimulator', () => {
  const simulator = useSimulator();

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
