import { getIntrospectionQuery } from 'graphql';

import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { startHarness, useHarness, type Harness } from '../support/harness';

// The abuse matrix: hostile or careless requests from browsers and gateways. Each is refused before
// anything is sent to Codat, and the server keeps answering.

const ID = SEEDED_COMPANY_IDS.succeeded;
const MAX_COST = 200;

interface Refusal {
  status: number;
  text: string;
}

async function post(h: Harness, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<Refusal> {
  const res = await fetch(h.graphqlUrl, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}

function aliases(count: number, field = `commerceSyncStatus(companyId: "${ID}") { state }`): string {
  return Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join('\n');
}

/** A company id per number: Codat knows none of them, and each is a call of its own. */
const companyNumber = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** `count` aliases, each over another company. */
function distinctCompanies(count: number): string {
  return Array.from({ length: count }, (_, i) => `a${i}: commerceSyncStatus(companyId: "${companyNumber(i)}") { state }`).join('\n');
}

/** F0 spreads F1 twice, F1 spreads F2 twice, ... the last selects `leaf`: 2^levels selections of it. */
function fragmentBomb(levels: number, leaf: string, type = 'Query'): string {
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on ${type} { ...F${i + 1} ...F${i + 1} }`);
  fragments.push(`fragment F${levels} on ${type} { ${leaf} }`);
  return `${type === 'Query' ? 'query' : 'mutation'} Bomb { ...F0 }\n${fragments.join('\n')}`;
}

const ROWS: { name: string; send: (h: Harness) => Promise<Refusal>; status: number; expect: RegExp }[] = [
  {
    name: '1000 aliases of a Codat-backed field over 1000 companies',
    send: (h) => post(h, JSON.stringify({ query: `{ ${distinctCompanies(1000)} }` })),
    status: 400,
    expect: /"cost":1000,"maxCost":200/,
  },
  {
    name: '201 requestSync mutations in one operation',
    send: (h) => post(h, JSON.stringify({ query: `mutation { ${aliases(201, `requestSync(companyId: "${ID}") { state }`)} }` })),
    status: 400,
    expect: /QUERY_TOO_COMPLEX/,
  },
  {
    name: 'deep fragments (a 30-level fragment bomb of requestSync: 2^30 selections)',
    send: (h) => post(h, JSON.stringify({ query: fragmentBomb(30, `requestSync(companyId: "${ID}") { state }`, 'Mutation') })),
    status: 400,
    expect: /"cost":1073741824/,
  },
  {
    name: 'deep fragments over 201 companies (a 20-level fragment bomb)',
    send: (h) => post(h, JSON.stringify({ query: fragmentBomb(20, distinctCompanies(201)) })),
    status: 400,
    expect: /"cost":201,/,
  },
  {
    name: '_entities over 300 distinct companies, one Codat-backed field each',
    send: (h) => {
      const representations = Array.from({ length: 300 }, (_, i) => ({
        __typename: 'Company',
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      }));
      const query = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Company { commerceSyncStatus { state } } } }';
      return post(h, JSON.stringify({ query, variables: { r: representations } }));
    },
    status: 400,
    expect: /"cost":300,"maxCost":200/,
  },
  {
    name: 'a 5 MB body',
    send: (h) => post(h, JSON.stringify({ query: `{ __typename }`, padding: 'x'.repeat(5 * 1024 * 1024) })),
    status: 413,
    expect: /larger than 1048576 bytes/,
  },
  {
    name: 'a text/plain POST (CSRF)',
    send: (h) =>
      post(h, JSON.stringify({ query: `{ commerceSyncStatus(companyId: "${ID}") { state } }` }), { 'content-type': 'text/plain' }),
    status: 400,
    expect: /Cross-Site Request Forgery/,
  },
  {
    name: 'a GET mutation (CSRF)',
    send: async (h) => {
      const query = encodeURIComponent(`mutation { requestSync(companyId: "${ID}") { state } }`);
      const res = await fetch(`${h.graphqlUrl}?query=${query}`);
      return { status: res.status, text: await res.text() };
    },
    status: 400,
    expect: /Cross-Site Request Forgery/,
  },
  {
    name: 'a GET mutation with a preflight header',
    send: async (h) => {
      const query = encodeURIComponent(`mutation { requestSync(companyId: "${ID}") { state } }`);
      const res = await fetch(`${h.graphqlUrl}?query=${query}`, { headers: { 'apollo-require-preflight': 'true' } });
      return { status: res.status, text: await res.text() };
    },
    status: 405,
    expect: /GET requests only support query operations/,
  },
  {
    name: 'a batch of operations',
    send: (h) => post(h, JSON.stringify([{ query: `{ commerceSyncStatus(companyId: "${ID}") { state } }` }, { query: '{ __typename }' }])),
    status: 400,
    expect: /batch/i,
  },
];

describe('abuse matrix', () => {
  const h = useHarness({ config: { maxOperationCost: MAX_COST } });
  const observed: string[] = [];
  afterAll(() => {
    if (process.env.RESILIENCE_REPORT === '1') process.stdout.write(`\n${observed.join('\n')}\n`);
  });

  it.each(ROWS.map((row) => [row.name, row] as const))('refuses %s before calling Codat, and keeps answering', async (_name, row) => {
    const refusal = await row.send(h);
    const code = /"code":"([A-Z_]+)"/.exec(refusal.text)?.[1] ?? '-';
    observed.push(`| ${row.name} | ${refusal.status} | ${code} | ${h.simulator.requests().length} |`);
    expect(refusal.status).toBe(row.status);
    expect(refusal.text).toMatch(row.expect);
    expect(refusal.text).not.toMatch(/stacktrace|\n\s+at /);
    expect(h.simulator.requests()).toHaveLength(0);

    const after = await h.executeRaw<{ commerceSyncStatus: { state: string } }>(`{ commerceSyncStatus(companyId: "${ID}") { state } }`);
    expect(after.data?.commerceSyncStatus.state).toBe('SUCCEEDED');
  });

  it('tells the caller what it counted: the Codat-backed fields, the calls they could need, and the limit', async () => {
    const res = await h.executeRaw(`{ ${distinctCompanies(MAX_COST + 1)} }`);
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    expect(res.errors).toEqual([
      {
        message:
          'The operation selects 201 Codat-backed fields, which could need 201 calls to Codat; at most 200 calls per operation. Split it into smaller operations.',
        extensions: { code: 'QUERY_TOO_COMPLEX', cost: 201, maxCost: 200 },
      },
    ]);
  });

  it('lets an operation at the limit through', async () => {
    const res = await h.executeRaw<Record<string, unknown>>(`{ ${distinctCompanies(MAX_COST)} }`);
    expect(Object.keys(res.data ?? {})).toHaveLength(MAX_COST);
    expect(res.errors?.every((e) => e.extensions?.code === 'NOT_FOUND')).toBe(true);
    expect(h.simulator.requests()).toHaveLength(MAX_COST);
  });

  it('counts 1000 aliases of one company as the one call they make (DataLoader), and the same for a fragment bomb of it', async () => {
    const res = await h.executeRaw<Record<string, { state: string }>>(`{ ${aliases(1000)} }`);
    expect(res.errors).toBeUndefined();
    expect(Object.keys(res.data ?? {})).toHaveLength(1000);
    expect(h.simulator.requests()).toHaveLength(1);

    h.simulator.clearLog();
    const bomb = await h.executeRaw<{ commerceSyncStatus: { state: string } }>(
      fragmentBomb(30, `commerceSyncStatus(companyId: "${ID}") { state }`),
    );
    expect(bomb.errors).toBeUndefined();
    expect(bomb.data?.commerceSyncStatus.state).toBe('SUCCEEDED');
    expect(h.simulator.requests()).toHaveLength(1);
  });

  it('leaves introspection alone: the standard introspection query is 15 levels deep and costs Codat nothing', async () => {
    const res = await h.executeRaw<{ __schema: unknown }>(getIntrospectionQuery());
    expect(res.errors).toBeUndefined();
    expect(res.data?.__schema).toBeTruthy();
  });
});

describe('the depth limit', () => {
  it('refuses an operation nested deeper than MAX_QUERY_DEPTH with QUERY_TOO_COMPLEX, before calling Codat', async () => {
    const shallow = await startHarness({ config: { maxQueryDepth: 2 } });
    try {
      const deep = await shallow.executeRaw(`{ commerceSyncStatus(companyId: "${ID}") { dataConnections { status } } }`);
      expect(deep.status).toBe(400);
      expect(deep.errors?.[0]?.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', depth: 3, maxDepth: 2 });
      expect(shallow.simulator.requests()).toHaveLength(0);
      const ok = await shallow.executeRaw(`{ commerceSyncStatus(companyId: "${ID}") { state } }`);
      expect(ok.errors).toBeUndefined();
    } finally {
      await shallow.close();
    }
  });
});
