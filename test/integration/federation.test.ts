import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import {
  COMPANIES_SUBGRAPH_SDL,
  startCompaniesSubgraph,
  type CompaniesSubgraph,
  type CompanyRecord,
} from '../../scripts/federation/companies-subgraph';
import { useHarness } from '../support/harness';
import { composeSupergraph, CompositionError, fetchSubgraphSdl, startGateway, type Gateway } from '../../scripts/federation/gateway';

const committedSdl = readFileSync(resolve(__dirname, '../../schema.graphql'), 'utf8');

describe('composition with a second subgraph (@apollo/composition)', () => {
  it('composes the committed schema.graphql with a companies subgraph that owns Company', () => {
    const { supergraphSdl } = composeSupergraph([
      { name: 'companies', url: 'http://127.0.0.1:1/graphql', sdl: COMPANIES_SUBGRAPH_SDL },
      { name: 'commerce', url: 'http://127.0.0.1:2/graphql', sdl: committedSdl },
    ]);
    // Company is an entity of both subgraphs, keyed by id in each; the sync fields are ours.
    expect(supergraphSdl).toMatch(/type Company\s+@join__type\(graph: COMMERCE, key: "id"\)\s+@join__type\(graph: COMPANIES, key: "id"\)/);
    expect(supergraphSdl).toMatch(/name: String! @join__field\(graph: COMPANIES\)/);
    expect(supergraphSdl).toMatch(/commerceSyncStatus: CommerceSyncStatus @join__field\(graph: COMMERCE\)/);
    expect(supergraphSdl).toMatch(/companyId: ID!\s*\): CommerceSyncStatus @join__field\(graph: COMMERCE\)/);
    // The live fields (src/live/) compose into the supergraph's Subscription type.
    expect(supergraphSdl).toMatch(/type Subscription\s+@join__type\(graph: COMMERCE\)[\s\S]*commerceSyncStatusChanged\(/);
  });

  it('fails loudly on a composition error', () => {
    // A companies subgraph that also defines Query.commerceSyncs with another type cannot compose.
    const clash = COMPANIES_SUBGRAPH_SDL.replace('type Query {', 'type Query {\n  "clash"\n  commerceSyncs(companyId: ID!): String');
    expect(() =>
      composeSupergraph([
        { name: 'companies', url: 'http://127.0.0.1:1/graphql', sdl: clash },
        { name: 'commerce', url: 'http://127.0.0.1:2/graphql', sdl: committedSdl },
      ]),
    ).toThrow(CompositionError);
  });
});

describe('a supergraph served by Apollo Gateway over loopback', () => {
  // The shipped cache TTLs, so the subgraph publishes its usual hints (2 s, 1 s in progress).
  const h = useHarness({ config: { statusCacheTtlMs: 2_000 } });
  let companiesSubgraph: CompaniesSubgraph;
  let gateway: Gateway;
  let companies: CompanyRecord[];

  beforeAll(async () => {
    const states = ['succeeded', 'failed', 'succeeded', 'never'] as const;
    companies = Array.from({ length: 20 }, (_, i) => ({
      id: h.simulator.addCompany({ state: states[i % states.length] ?? 'succeeded' }),
      name: `Merchant ${String(i + 1).padStart(2, '0')}`,
    }));
    companiesSubgraph = await startCompaniesSubgraph([...companies, { id: SEEDED_COMPANY_IDS.inProgress, name: 'Lumen Lighting Co' }]);
    // Compose from what the running subgraphs say about themselves, as a composition pipeline would.
    const { supergraphSdl } = composeSupergraph([
      { name: 'companies', url: companiesSubgraph.url, sdl: await fetchSubgraphSdl(companiesSubgraph.url) },
      { name: 'commerce', url: h.graphqlUrl, sdl: await fetchSubgraphSdl(h.graphqlUrl) },
    ]);
    gateway = await startGateway(supergraphSdl);
  });
  afterAll(async () => {
    await gateway?.stop();
    await companiesSubgraph?.stop();
  });

  async function viaGateway<T>(
    query: string,
  ): Promise<{ headers: Headers; data?: T; errors?: { path?: unknown[]; extensions?: Record<string, unknown> }[] }> {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return { headers: response.headers, ...((await response.json()) as { data?: T }) };
  }

  type Row = { id: string; name: string; commerceSyncStatus: { state: string; syncUtc: string | null } | null };

  it('answers 20 companies with their sync status in one query, with 20 upstream calls', async () => {
    const res = await viaGateway<{ companies: Row[] }>('{ companies(first: 20) { id name commerceSyncStatus { state syncUtc } } }');
    expect(res.errors).toBeUndefined();
    const rows = res.data?.companies ?? [];
    expect(rows.map((r) => [r.id, r.name])).toEqual(companies.map((c) => [c.id, c.name]));
    const expected = { succeeded: 'SUCCEEDED', failed: 'FAILED', never: 'UNKNOWN' } as const;
    const states = ['succeeded', 'failed', 'succeeded', 'never'] as const;
    rows.forEach((row, i) => {
      expect(row.commerceSyncStatus?.state).toBe(expected[states[i % 4] ?? 'succeeded']);
      if (states[i % 4] === 'never') expect(row.commerceSyncStatus?.syncUtc).toBeNull();
      else expect(row.commerceSyncStatus?.syncUtc).toMatch(/Z$/);
    });

    const calls = h.simulator.requests();
    expect(calls).toHaveLength(20);
    expect(calls.every((c) => c.operationId === 'get-sync-status')).toBe(true);
    expect(new Set(calls.map((c) => c.companyId))).toEqual(new Set(companies.map((c) => c.id)));
  });

  it('passes our cache hints on: the gateway answer may be reused as long as the shortest hint allows', async () => {
    const finished = await viaGateway('{ companies(first: 20) { id name commerceSyncStatus { state } } }');
    expect(finished.errors).toBeUndefined();
    expect(finished.headers.get('cache-control')).toBe('max-age=2, public');
    const withRunning = await viaGateway('{ companies { id commerceSyncStatus { state } } }');
    expect(withRunning.errors).toBeUndefined();
    expect(withRunning.headers.get('cache-control')).toBe('max-age=1, public');
  });

  it('keeps a failure in its own company, with our error code', async () => {
    const unknown = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ companies(first: 4) { id latestCommerceSync { state } } }' }),
    });
    const body = (await unknown.json()) as {
      data: { companies: { latestCommerceSync: unknown }[] };
      errors: { path: unknown[]; extensions: { code: string } }[];
    };
    // The fourth company never synced: Codat has no latest sync for it.
    expect(body.data.companies.map((c) => c.latestCommerceSync === null)).toEqual([false, false, false, true]);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({ path: ['companies', 3, 'latestCommerceSync'], extensions: { code: 'NOT_FOUND' } });
    expect(JSON.stringify(body)).not.toContain('stacktrace');
  });
});
