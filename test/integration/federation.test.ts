import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import {
  COMPANIES_SUBGRAPH_SDL,
  startCompaniesSubgraph,
  type CompaniesSubgraph,
  type CompanyRecord,
} from '../../scripts/federation/companies-subgraph';
import { READ_SCOPE } from '../../src/auth/caller';
import { bearer, jwtAuth, startTestIssuer, type TestIssuer } from '../support/auth';
import { startHarness, useHarness, type Harness } from '../support/harness';
import {
  composeSupergraph,
  CompositionError,
  fetchSubgraphSdl,
  startGateway,
  supergraphForApolloGateway,
  type Gateway,
} from '../../scripts/federation/gateway';

const UNKNOWN_TO_CODAT = '00000000-0000-4000-8000-000000000000';

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

  it('carries the authorization directives into the supergraph; the gateway copy keeps them without for: SECURITY', () => {
    const { supergraphSdl } = composeSupergraph([
      { name: 'companies', url: 'http://127.0.0.1:1/graphql', sdl: COMPANIES_SUBGRAPH_SDL },
      { name: 'commerce', url: 'http://127.0.0.1:2/graphql', sdl: committedSdl },
    ]);
    expect(supergraphSdl).toContain('@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)');
    expect(supergraphSdl).toContain('@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)');
    expect(supergraphSdl).toMatch(/\): CommerceSyncSummary @authenticated @requiresScopes\(scopes: \[\["commerce-sync:write"\]\]\)/);
    const forGateway = supergraphForApolloGateway(supergraphSdl);
    expect(forGateway).toContain('@link(url: "https://specs.apollo.dev/authenticated/v0.1")');
    expect(forGateway).not.toContain('for: SECURITY');
    expect(forGateway).toContain('@requiresScopes(scopes: [["commerce-sync:read"]])');
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
    // Last, after the 20 and Lumen: a company the directory knows and Codat does not.
    companiesSubgraph = await startCompaniesSubgraph([
      ...companies,
      { id: SEEDED_COMPANY_IDS.inProgress, name: 'Lumen Lighting Co' },
      { id: UNKNOWN_TO_CODAT, name: 'Not in Codat' },
    ]);
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
    const expected = { succeeded: 'SUCCEEDED', failed: 'FAILED', never: 'NOT_STARTED' } as const;
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
    const withRunning = await viaGateway('{ companies(first: 21) { id commerceSyncStatus { state } } }');
    expect(withRunning.errors).toBeUndefined();
    expect(withRunning.headers.get('cache-control')).toBe('max-age=1, public');
  });

  it('answers a merchant that never synced without errors: NOT_STARTED, no latest or last successful sync', async () => {
    type Merchant = {
      id: string;
      commerceSyncStatus: { state: string; syncStatusCode: number };
      latestCommerceSync: { state: string } | null;
      lastSuccessfulCommerceSync: { state: string } | null;
    };
    const res = await viaGateway<{ companies: Merchant[] }>(
      '{ companies(first: 4) { id commerceSyncStatus { state syncStatusCode } latestCommerceSync { state } lastSuccessfulCommerceSync { state } } }',
    );
    expect(res.errors).toBeUndefined();
    const never = res.data?.companies[3];
    expect(never).toEqual({
      id: companies[3]?.id,
      commerceSyncStatus: { state: 'NOT_STARTED', syncStatusCode: 0 },
      latestCommerceSync: null,
      lastSuccessfulCommerceSync: null,
    });
    expect(res.data?.companies[0]?.latestCommerceSync).toEqual({ state: 'SUCCEEDED' });
    // An answer without errors may be cached like any other.
    expect(res.headers.get('cache-control')).toBe('max-age=2, public');
    // The two 404s were told apart by the status the same request loaded (here from the cross-request
    // cache, which the tests above filled): no extra call per field.
    const calls = h.simulator
      .requests()
      .filter((r) => r.companyId === never?.id)
      .map((r) => `${r.operationId ?? ''} ${r.status}`);
    expect(calls.filter((c) => c !== 'get-sync-status 200').sort()).toEqual(['get-last-successful-sync 404', 'get-latest-sync 404']);
    expect(calls.filter((c) => c === 'get-sync-status 200').length).toBeLessThanOrEqual(1);
  });

  it('keeps an unknown company NOT_FOUND, in its own fields only', async () => {
    const res = await viaGateway<{ unknown: unknown; known: unknown }>(
      `{ unknown: company(id: "${UNKNOWN_TO_CODAT}") { name latestCommerceSync { state } lastSuccessfulCommerceSync { state } }
         known: company(id: "${companies[0]?.id ?? ''}") { name latestCommerceSync { state } } }`,
    );
    expect(res.data).toEqual({
      unknown: { name: 'Not in Codat', latestCommerceSync: null, lastSuccessfulCommerceSync: null },
      known: { name: 'Merchant 01', latestCommerceSync: { state: 'SUCCEEDED' } },
    });
    expect(res.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['unknown', 'latestCommerceSync'], 'NOT_FOUND'],
      [['unknown', 'lastSuccessfulCommerceSync'], 'NOT_FOUND'],
    ]);
    expect(JSON.stringify(res)).not.toContain('stacktrace');
  });
});

describe('Apollo Gateway in front of the subgraph with AUTH_MODE=jwt', () => {
  let issuer: TestIssuer;
  let h: Harness;
  let companiesSubgraph: CompaniesSubgraph;
  let gateway: Gateway;
  const allowed = SEEDED_COMPANY_IDS.succeeded;
  const other = SEEDED_COMPANY_IDS.failed;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    // The shipped cache TTLs, so that answers carry hints (private ones, with authentication on).
    h = await startHarness({ config: { statusCacheTtlMs: 2_000, auth: jwtAuth({ jwksUrl: issuer.jwksUrl }) } });
    companiesSubgraph = await startCompaniesSubgraph([
      { id: allowed, name: 'Harbour Coffee Roasters' },
      { id: other, name: 'Northwind Outdoor Gear' },
    ]);
    // The subgraph asks a credential for its SDL too (AUTH_INTROSPECTION=authenticated): the pipeline has one.
    const pipeline = bearer(await issuer.sign({ sub: 'composition-pipeline' }));
    const { supergraphSdl } = composeSupergraph([
      { name: 'companies', url: companiesSubgraph.url, sdl: await fetchSubgraphSdl(companiesSubgraph.url) },
      { name: 'commerce', url: h.graphqlUrl, sdl: await fetchSubgraphSdl(h.graphqlUrl, pipeline) },
    ]);
    gateway = await startGateway(supergraphSdl);
  });
  afterAll(async () => {
    await gateway?.stop();
    await companiesSubgraph?.stop();
    await h?.close();
    await issuer?.close();
  });
  beforeEach(() => h.simulator.clearLog());

  type Row = { id: string; name: string; commerceSyncStatus: { state: string } | null };
  async function viaGateway(headers: Record<string, string>) {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: '{ companies { id name commerceSyncStatus { state } } }' }),
    });
    const body = (await response.json()) as {
      data?: { companies: Row[] };
      errors?: { path?: unknown[]; message: string; extensions?: Record<string, unknown> }[];
    };
    return { cacheControl: response.headers.get('cache-control'), ...body };
  }

  it("passes the caller's token on: allowed companies answer, the others are FORBIDDEN, each costing what it should", async () => {
    const token = await issuer.sign({ scope: READ_SCOPE, codat_company_ids: [allowed] });
    const res = await viaGateway(bearer(token));
    expect(res.data?.companies).toEqual([
      { id: allowed, name: 'Harbour Coffee Roasters', commerceSyncStatus: { state: 'SUCCEEDED' } },
      { id: other, name: 'Northwind Outdoor Gear', commerceSyncStatus: null },
    ]);
    expect(res.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['companies', 1, 'commerceSyncStatus'], 'FORBIDDEN']]);
    expect(h.simulator.requests().map((r) => r.companyId)).toEqual([allowed]);
  });

  it('marks answers private: a cache in front of the gateway may not serve one caller what another was allowed', async () => {
    const operator = await issuer.sign({ scope: READ_SCOPE, codat_company_ids: ['*'] });
    const res = await viaGateway(bearer(operator));
    expect(res.errors).toBeUndefined();
    expect(res.cacheControl).toBe('max-age=2, private');
  });

  it('a caller without a token gets UNAUTHENTICATED for our fields, the companies subgraph still answers, Codat is not called', async () => {
    const res = await viaGateway({});
    expect(res.data?.companies.map((c) => [c.name, c.commerceSyncStatus])).toEqual([
      ['Harbour Coffee Roasters', null],
      ['Northwind Outdoor Gear', null],
    ]);
    expect(res.errors?.length).toBeGreaterThan(0);
    expect(res.errors?.every((e) => e.extensions?.code === 'UNAUTHENTICATED')).toBe(true);
    expect(JSON.stringify(res.errors)).toContain('No credential');
    expect(h.simulator.requests()).toEqual([]);
  });

  it('an expired token is refused the same way, saying so', async () => {
    const expired = await issuer.sign({ scope: READ_SCOPE, codat_company_ids: ['*'] }, { expiresInSeconds: -120 });
    const res = await viaGateway(bearer(expired));
    expect(res.errors?.every((e) => e.extensions?.code === 'UNAUTHENTICATED')).toBe(true);
    expect(JSON.stringify(res.errors)).toContain('The token has expired');
    expect(JSON.stringify(res.errors)).not.toContain(expired);
    expect(h.simulator.requests()).toEqual([]);
  });
});
