import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { useHarness } from '../support/harness';

describe('the HTTP server around Apollo', () => {
  const dev = useHarness();
  const prod = useHarness({ config: { production: true } });

  it('serves the Sandbox landing page to browsers outside production', async () => {
    const res = await fetch(dev.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Sandbox');
  });

  it('serves no landing page and no introspection in production, but still answers queries', async () => {
    const page = await fetch(prod.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('Sandbox');
    const introspection = await prod.executeRaw('{ __schema { queryType { name } } }');
    expect(introspection.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const res = await prod.executeRaw(`{ commerceSyncStatus(companyId: "${SEEDED_COMPANY_IDS.succeeded}") { state } }`);
    expect(res.data).toEqual({ commerceSyncStatus: { state: 'SUCCEEDED' } });
  });

  it('answers introspection outside production, for Sandbox and codegen', async () => {
    const res = await dev.executeRaw<{ __type: { description: string } }>('{ __type(name: "CommerceSyncStatus") { description } }');
    expect(res.data?.__type.description).toContain('sync/commerce/status');
  });

  it('keeps CSRF prevention on: a simple text/plain POST is refused before execution', async () => {
    const res = await fetch(dev.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: `{ commerceSyncStatus(companyId: "${SEEDED_COMPANY_IDS.succeeded}") { state } }` }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('CSRF');
    expect(dev.simulator.requests()).toHaveLength(0);
  });

  it('echoes a caller’s x-request-id, or makes one', async () => {
    const given = await dev.executeRaw('{ __typename }', undefined, { 'x-request-id': 'ticket-4711' });
    expect(given.headers.get('x-request-id')).toBe('ticket-4711');
    const made = await dev.executeRaw('{ __typename }');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a router that asks for a federated trace (ftv1) with one, masking its errors, and others without', async () => {
    const query = `{ ok: commerceSyncStatus(companyId: "${SEEDED_COMPANY_IDS.succeeded}") { state } bad: commerceSyncStatus(companyId: "00000000-0000-4000-8000-000000000000") { state } }`;
    const traced = await dev.executeRaw(query, undefined, { 'apollo-federation-include-trace': 'ftv1' });
    const ftv1 = (traced as { extensions?: { ftv1?: string } }).extensions?.ftv1;
    expect(typeof ftv1).toBe('string');
    const trace = Buffer.from(ftv1 ?? '', 'base64').toString('latin1');
    expect(trace).toContain('commerceSyncStatus');
    expect(trace).toContain('<masked>');
    expect(trace).not.toContain('Codat has no such resource');
    const plain = await dev.executeRaw(query);
    expect((plain as { extensions?: unknown }).extensions).toBeUndefined();
  });

  it('answers 404 outside /graphql', async () => {
    const res = await fetch(dev.graphqlUrl.replace('/graphql', '/nope'));
    expect(res.status).toBe(404);
  });
});
