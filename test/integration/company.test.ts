import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { useHarness } from '../support/harness';

type Entity = {
  id: string;
  commerceSyncStatus?: { companyId: string; state: string } | null;
  commerceSyncs?: { state: string }[] | null;
  latestCommerceSync?: { state: string } | null;
  lastSuccessfulCommerceSync?: { state: string } | null;
} | null;

const STATUS_OF_ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Company { id commerceSyncStatus { companyId state } } }
}`;

const ALL_FIELDS_OF_ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Company {
      id
      commerceSyncStatus { companyId state }
      commerceSyncs { state }
      latestCommerceSync { state }
      lastSuccessfulCommerceSync { state }
    }
  }
}`;

const company = (id: string) => ({ __typename: 'Company', id });

describe('the Company entity', () => {
  const h = useHarness();

  describe('_service { sdl }', () => {
    // That it is the committed schema.graphql is checked with the other generated files, in generated.test.ts.
    it('links Federation 2 and declares Company @key(fields: "id")', async () => {
      const res = await h.executeRaw<{ _service: { sdl: string } }>('{ _service { sdl } }');
      const sdl = res.data?._service.sdl ?? '';
      expect(sdl).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/);
      expect(sdl).toMatch(/type Company\s+@key\(fields: "id"\)/);
      expect(sdl).toContain('directive @cacheControl(');
    });
  });

  describe('_entities', () => {
    it('answers 40 representations of 20 companies in representation order with 20 upstream calls', async () => {
      const ids = Array.from({ length: 20 }, (_, i) => h.simulator.addCompany({ state: i % 3 === 0 ? 'failed' : 'succeeded' }));
      // Each company twice, the second pass reversed and upper-cased: order and spelling must be kept.
      const asked = [...ids, ...[...ids].reverse().map((id) => id.toUpperCase())];
      const res = await h.executeRaw<{ _entities: Entity[] }>(STATUS_OF_ENTITIES, { representations: asked.map(company) });
      expect(res.errors).toBeUndefined();
      const entities = res.data?._entities ?? [];
      expect(entities.map((e) => e?.id)).toEqual(asked);
      expect(entities.map((e) => e?.commerceSyncStatus?.companyId)).toEqual(asked.map((id) => id.toLowerCase()));
      const states = entities.map((e) => e?.commerceSyncStatus?.state);
      expect(states.slice(0, 20)).toEqual(ids.map((_, i) => (i % 3 === 0 ? 'FAILED' : 'SUCCEEDED')));

      const calls = h.simulator.requests();
      expect(calls).toHaveLength(20);
      expect(calls.every((c) => c.operationId === 'get-sync-status')).toBe(true);
      expect(new Set(calls.map((c) => c.companyId))).toEqual(new Set(ids));
    });

    it('costs one call per distinct company and field: 100 representations of 10 companies, 4 fields, 40 calls', async () => {
      const ids = Array.from({ length: 10 }, () => h.simulator.addCompany({ state: 'succeeded' }));
      const asked = Array.from({ length: 100 }, (_, i) => ids[(i * 7) % 10] as string);
      const res = await h.executeRaw<{ _entities: Entity[] }>(ALL_FIELDS_OF_ENTITIES, { representations: asked.map(company) });
      expect(res.errors).toBeUndefined();
      const entities = res.data?._entities ?? [];
      expect(entities.map((e) => e?.id)).toEqual(asked);
      for (const e of entities) {
        expect(e?.commerceSyncStatus?.state).toBe('SUCCEEDED');
        expect(e?.latestCommerceSync?.state).toBe('SUCCEEDED');
        expect(e?.lastSuccessfulCommerceSync?.state).toBe('SUCCEEDED');
        expect(e?.commerceSyncs?.length).toBeGreaterThan(0);
      }

      const perOperation = new Map<string, Set<string>>();
      let total = 0;
      for (const c of h.simulator.requests()) {
        total++;
        const set = perOperation.get(c.operationId ?? '?') ?? new Set<string>();
        set.add(c.companyId ?? '?');
        perOperation.set(c.operationId ?? '?', set);
      }
      expect(total).toBe(40);
      expect([...perOperation.keys()].sort()).toEqual(['get-last-successful-sync', 'get-latest-sync', 'get-sync-status', 'list-syncs']);
      for (const companies of perOperation.values()) expect(companies).toEqual(new Set(ids));
    });

    it('shares loaders with the root queries: a root field and an entity of one company cost one call', async () => {
      const id = SEEDED_COMPANY_IDS.succeeded;
      const res = await h.executeRaw<{ root: { state: string }; _entities: Entity[] }>(
        `query ($representations: [_Any!]!) {
          root: commerceSyncStatus(companyId: "${id}") { state }
          _entities(representations: $representations) { ... on Company { commerceSyncStatus { companyId state } } }
        }`,
        { representations: [company(id)] },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data?.root.state).toBe('SUCCEEDED');
      expect(res.data?._entities[0]?.commerceSyncStatus?.state).toBe('SUCCEEDED');
      expect(h.simulator.requests()).toHaveLength(1);
    });

    it('fails a malformed id in its own entity only, with BAD_USER_INPUT and no upstream call', async () => {
      const good = SEEDED_COMPANY_IDS.succeeded;
      const other = SEEDED_COMPANY_IDS.failed;
      const res = await h.executeRaw<{ _entities: Entity[] }>(STATUS_OF_ENTITIES, {
        representations: [company(good), company('not-a-uuid'), company(other), company('../../companies')],
      });
      const entities = res.data?._entities ?? [];
      expect(entities).toHaveLength(4);
      expect(entities[0]?.commerceSyncStatus?.state).toBe('SUCCEEDED');
      expect(entities[1]).toBeNull();
      expect(entities[2]?.commerceSyncStatus?.state).toBe('FAILED');
      expect(entities[3]).toBeNull();
      expect(res.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
        [['_entities', 1], 'BAD_USER_INPUT'],
        [['_entities', 3], 'BAD_USER_INPUT'],
      ]);
      expect(h.simulator.requests().map((r) => r.companyId)).toEqual(expect.arrayContaining([good, other]));
      expect(h.simulator.requests()).toHaveLength(2);
    });

    it('fails an unknown company in its own fields only, with NOT_FOUND', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      const res = await h.executeRaw<{ _entities: Entity[] }>(STATUS_OF_ENTITIES, {
        representations: [company(unknown), company(SEEDED_COMPANY_IDS.succeeded)],
      });
      expect(res.data?._entities).toEqual([
        { id: unknown, commerceSyncStatus: null },
        { id: SEEDED_COMPANY_IDS.succeeded, commerceSyncStatus: { companyId: SEEDED_COMPANY_IDS.succeeded, state: 'SUCCEEDED' } },
      ]);
      expect(res.errors).toHaveLength(1);
      expect(res.errors?.[0]).toMatchObject({ path: ['_entities', 0, 'commerceSyncStatus'], extensions: { code: 'NOT_FOUND' } });
    });

    it('answers a company that never synced with null latest and last successful syncs, no error, one status call', async () => {
      const never = SEEDED_COMPANY_IDS.neverSynced;
      const res = await h.executeRaw<{ _entities: Entity[] }>(ALL_FIELDS_OF_ENTITIES, { representations: [company(never)] });
      expect(res.errors).toBeUndefined();
      expect(res.data?._entities).toEqual([
        {
          id: never,
          commerceSyncStatus: { companyId: never, state: 'NOT_STARTED' },
          commerceSyncs: [],
          latestCommerceSync: null,
          lastSuccessfulCommerceSync: null,
        },
      ]);
      // The status the operation asked for anyway is what proves the company exists.
      expect(
        h.simulator
          .requests()
          .map((r) => `${r.operationId ?? ''} ${r.status}`)
          .sort(),
      ).toEqual(['get-last-successful-sync 404', 'get-latest-sync 404', 'get-sync-status 200', 'list-syncs 200']);
    });

    it('asks the status once when two fields of a never-synced company 404 and the operation did not ask for it', async () => {
      const never = SEEDED_COMPANY_IDS.neverSynced;
      const res = await h.executeRaw<{ _entities: Entity[] }>(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Company { latestCommerceSync { state } lastSuccessfulCommerceSync { state } } } }`,
        { r: [company(never)] },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data?._entities).toEqual([{ latestCommerceSync: null, lastSuccessfulCommerceSync: null }]);
      expect(h.simulator.requests().map((r) => r.operationId)).toHaveLength(3);
      expect(h.simulator.requests().filter((r) => r.operationId === 'get-sync-status')).toHaveLength(1);
    });

    it('keeps an unknown company NOT_FOUND in latestCommerceSync and lastSuccessfulCommerceSync', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      const res = await h.executeRaw<{ _entities: Entity[] }>(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Company { latestCommerceSync { state } lastSuccessfulCommerceSync { state } } } }`,
        { r: [company(unknown)] },
      );
      expect(res.data?._entities).toEqual([{ latestCommerceSync: null, lastSuccessfulCommerceSync: null }]);
      expect(res.errors?.map((e) => [e.path, e.extensions?.code, (e.extensions?.upstream as { operation?: string }).operation])).toEqual([
        [['_entities', 0, 'latestCommerceSync'], 'NOT_FOUND', 'get-latest-sync'],
        [['_entities', 0, 'lastSuccessfulCommerceSync'], 'NOT_FOUND', 'get-last-successful-sync'],
      ]);
    });

    it('fails the field with the status error when the status that would tell the 404s apart fails', async () => {
      const never = SEEDED_COMPANY_IDS.neverSynced;
      h.simulator.setBehaviour(never, { kind: 'status', status: 503 }, { operationId: 'get-sync-status' });
      const res = await h.executeRaw<{ _entities: Entity[] }>(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Company { latestCommerceSync { state } } } }`,
        { r: [company(never)] },
      );
      expect(res.errors?.map((e) => [e.extensions?.code, (e.extensions?.upstream as { operation?: string }).operation])).toEqual([
        ['UPSTREAM_UNAVAILABLE', 'get-sync-status'],
      ]);
    });

    it('lists commerceSyncs newest first', async () => {
      const res = await h.executeRaw<{ _entities: { commerceSyncs: { syncUtc: string }[] }[] }>(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Company { commerceSyncs { syncUtc } } } }`,
        { r: [company(SEEDED_COMPANY_IDS.failed)] },
      );
      const times = (res.data?._entities[0]?.commerceSyncs ?? []).map((s) => Date.parse(s.syncUtc));
      expect(times.length).toBeGreaterThan(1);
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    });
  });

  describe('federated tracing (ftv1)', () => {
    it('adds the trace a gateway asks for with apollo-federation-include-trace, and none otherwise', async () => {
      const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Company { commerceSyncStatus { state } } } }`;
      const variables = { r: [company(SEEDED_COMPANY_IDS.succeeded)] };
      const traced = (await h.executeRaw(query, variables, { 'apollo-federation-include-trace': 'ftv1' })) as {
        extensions?: { ftv1?: string };
      };
      expect(traced.extensions?.ftv1).toMatch(/^[A-Za-z0-9+/]+=*$/);
      const plain = (await h.executeRaw(query, variables)) as { extensions?: { ftv1?: string } };
      expect(plain.extensions?.ftv1).toBeUndefined();
    });

    it("masks errors in the trace: the router forwards traces off-site, so they carry no error's message", async () => {
      const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Company { commerceSyncStatus { state } } } }`;
      const variables = { r: [company('00000000-0000-4000-8000-0000000000ff')] };
      const traced = (await h.executeRaw(query, variables, { 'apollo-federation-include-trace': 'ftv1' })) as {
        errors?: { message: string; extensions?: { code?: string } }[];
        extensions?: { ftv1?: string };
      };
      const error = traced.errors?.[0];
      expect(error?.extensions?.code).toBe('NOT_FOUND');
      // The trace is protobuf: its strings are plain UTF-8 in the bytes.
      const trace = Buffer.from(traced.extensions?.ftv1 ?? '', 'base64').toString('latin1');
      expect(trace).toContain('<masked>');
      expect(trace).not.toContain(error?.message ?? 'no error message');
    });
  });
});
