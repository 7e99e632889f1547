import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createApp, type App } from '../../src/app';
import { READ_SCOPE, WRITE_SCOPE } from '../../src/auth/caller';
import { loadConfig } from '../../src/config';
import { SEEDED_COMPANY_IDS, type CodatSimulator } from '../../src/simulator';
import { bearer, jwtAuth, startTestIssuer, type TestIssuer } from '../support/auth';
import { testConfig } from '../support/harness';
import { sampleValue } from '../support/observability';
import { startSimulator } from '../support/simulator';
import { waitFor } from '../support/wait';

// Two tenants, two Codat accounts: one simulator each, with a key of its own, holding the same company
// ids (both are seeded alike). The app serves both from one process with a cache on; each caller's token
// names its tenant. Whatever either does, each simulator must see only its own key, and neither tenant
// may ever be answered with what the other's Codat said.

const X = SEEDED_COMPANY_IDS.succeeded;
const STATUS = 'query Status($id: ID!) { commerceSyncStatus(companyId: $id) { state syncStatusCode } }';

const ACME_KEY = 'acme-codat-key-7d1e0c';
const GLOBEX_KEY = 'globex-codat-key-93fa4b';
const basic = (key: string) => `Basic ${Buffer.from(key).toString('base64')}`;

describe('tenants: one Codat stack each', () => {
  let issuer: TestIssuer;
  let acme: CodatSimulator;
  let globex: CodatSimulator;
  let app: App;
  let graphqlUrl: string;
  let tokens: { acme: string; globex: string; globexWriter: string; initech: string };

  beforeAll(async () => {
    issuer = await startTestIssuer();
    // Globex's requested syncs stay in progress, so its answers differ from Acme's for the same company.
    [acme, globex] = await Promise.all([
      startSimulator({ apiKey: ACME_KEY }),
      startSimulator({ apiKey: GLOBEX_KEY, syncDurationMs: 3_600_000 }),
    ]);
    app = await createApp(
      testConfig({
        statusCacheTtlMs: 2_000,
        auth: jwtAuth({ jwksUrl: issuer.jwksUrl }),
        codatTenants: new Map([
          ['acme', { apiKey: ACME_KEY, baseUrl: acme.url }],
          ['globex', { apiKey: GLOBEX_KEY, baseUrl: globex.url }],
        ]),
      }),
      { apolloLogger: { debug() {}, info() {}, warn: console.warn, error: console.error } },
    );
    graphqlUrl = `${await app.listen()}/graphql`;
    const everyCompany = { codat_company_ids: ['*'] };
    tokens = {
      acme: await issuer.sign({ scope: READ_SCOPE, ...everyCompany, tenant: 'acme' }),
      globex: await issuer.sign({ scope: READ_SCOPE, ...everyCompany, tenant: 'globex' }),
      globexWriter: await issuer.sign({ scope: `${READ_SCOPE} ${WRITE_SCOPE}`, ...everyCompany, tenant: 'globex' }),
      initech: await issuer.sign({ scope: READ_SCOPE, ...everyCompany, tenant: 'initech' }),
    };
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([acme?.close(), globex?.close(), issuer?.close()]);
  });
  beforeEach(() => {
    for (const simulator of [acme, globex]) {
      simulator.clearBehaviours();
      simulator.clearLog();
    }
  });

  async function post<T>(query: string, variables: Record<string, unknown>, token: string) {
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as { data?: T; errors?: { extensions?: { code?: string } }[] }) };
  }
  type Status = { commerceSyncStatus: { state: string; syncStatusCode: number } | null };

  it('builds a client and a cache per tenant', () => {
    expect([...app.tenants.keys()]).toEqual(['acme', 'globex']);
    const [one, two] = [...app.tenants.values()];
    expect(one?.client).not.toBe(two?.client);
    expect(one?.cache).not.toBe(two?.cache);
  });

  it('two tenants polling the same company at once: each Codat sees only its key, and no answer crosses', async () => {
    // Globex starts a sync on X: from now on its Codat says IN_PROGRESS, Acme's still SUCCEEDED.
    const started = await post(`mutation { requestSync(companyId: "${X}") { state } }`, {}, tokens.globexWriter);
    expect(started.errors).toBeUndefined();

    const polls = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post<Status>(STATUS, { id: X }, i % 2 === 0 ? tokens.acme : tokens.globex)),
    );
    polls.forEach((poll, i) => {
      expect(poll.errors).toBeUndefined();
      expect(poll.data?.commerceSyncStatus?.state).toBe(i % 2 === 0 ? 'SUCCEEDED' : 'IN_PROGRESS');
    });
    // Again, now that both caches hold an answer for the same company id.
    const again = await Promise.all([post<Status>(STATUS, { id: X }, tokens.acme), post<Status>(STATUS, { id: X }, tokens.globex)]);
    expect(again.map((r) => r.data?.commerceSyncStatus?.state)).toEqual(['SUCCEEDED', 'IN_PROGRESS']);

    const acmeCalls = acme.requests();
    const globexCalls = globex.requests();
    expect(acmeCalls.length).toBeGreaterThanOrEqual(1);
    expect(globexCalls.filter((r) => r.method === 'GET').length).toBeGreaterThanOrEqual(1);
    expect(new Set(acmeCalls.map((r) => r.authorization))).toEqual(new Set([basic(ACME_KEY)]));
    expect(new Set(globexCalls.map((r) => r.authorization))).toEqual(new Set([basic(GLOBEX_KEY)]));
    expect(acmeCalls.every((r) => r.method === 'GET')).toBe(true);
  });

  it('never joins a call in flight for the other tenant', async () => {
    // A company neither tenant has read yet, so that nothing is cached for it.
    const Y = SEEDED_COMPANY_IDS.inProgress;
    const held = acme.hold(Y, { times: 1 });
    const acmeHeld = post<Status>(STATUS, { id: Y }, tokens.acme);
    await waitFor(() => acme.inFlight() === 1, "Acme's call to be in flight");
    // Same company, same operation, while Acme's call is in flight: Globex must make its own.
    const globexRead = await post<Status>(STATUS, { id: Y }, tokens.globex);
    expect(globexRead.errors).toBeUndefined();
    expect(globex.requests().map((r) => [r.companyId, r.authorization])).toEqual([[Y, basic(GLOBEX_KEY)]]);
    expect(acme.inFlight()).toBe(1);
    held.release();
    expect((await acmeHeld).data?.commerceSyncStatus?.state).toBe('IN_PROGRESS');
    expect(acme.requests().map((r) => r.authorization)).toEqual([basic(ACME_KEY)]);
  });

  it('keeps each tenant on its own circuit breaker', async () => {
    const config = testConfig({
      codatCircuitThreshold: 2,
      codatCircuitOpenMs: 60_000,
      codatMaxRetries: 0,
      auth: jwtAuth({ jwksUrl: issuer.jwksUrl }),
      codatTenants: new Map([
        ['acme', { apiKey: ACME_KEY, baseUrl: acme.url }],
        ['globex', { apiKey: GLOBEX_KEY, baseUrl: globex.url }],
      ]),
    });
    const tripping = await createApp(config, { apolloLogger: { debug() {}, info() {}, warn() {}, error: console.error } });
    const url = `${await tripping.listen()}/graphql`;
    try {
      acme.setBehaviour('*', { kind: 'status', status: 503 });
      const ask = async (token: string) =>
        (
          await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...bearer(token) },
            body: JSON.stringify({ query: STATUS, variables: { id: X } }),
          })
        ).json() as Promise<{ errors?: unknown[] }>;
      await ask(tokens.acme);
      await ask(tokens.acme);
      expect(tripping.tenants.get('acme')?.client.circuitState()).toBe('open');
      expect(tripping.tenants.get('globex')?.client.circuitState()).toBe('closed');
      expect((await ask(tokens.globex)).errors).toBeUndefined();
      const metrics = await tripping.observability.metrics.registry.metrics();
      expect(sampleValue(metrics, 'codat_circuit_state', { state: 'open', tenant: 'acme' })).toBe(1);
      expect(sampleValue(metrics, 'codat_circuit_state', { state: 'closed', tenant: 'globex' })).toBe(1);
    } finally {
      await tripping.stop();
    }
  });

  it('refuses a caller of a tenant not served, with 403 and no call to either Codat', async () => {
    const res = await post(STATUS, { id: X }, tokens.initech);
    expect(res.status).toBe(403);
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect([...acme.requests(), ...globex.requests()]).toEqual([]);
  });

  it('labels the Codat metrics by tenant, never by company', async () => {
    await post(STATUS, { id: X }, tokens.acme);
    const text = await app.observability.metrics.registry.metrics();
    expect(sampleValue(text, 'codat_requests_total', { operation: 'get-sync-status', status: '200', tenant: 'acme' })).toBeGreaterThan(0);
    expect(text).toMatch(/codat_cache_events_total\{operation="get-sync-status",event="\w+",tenant="(acme|globex)"\}/);
    expect(text).not.toContain(X);
  });
});

describe('CODAT_TENANTS_FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenants-'));
  const write = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it('is read at start, each tenant defaulting to CODAT_BASE_URL', () => {
    const path = write('ok.json', { tenants: { acme: { apiKey: 'k1', baseUrl: 'http://127.0.0.1:1/' }, globex: { apiKey: 'k2' } } });
    const config = loadConfig({
      CODAT_TENANTS_FILE: path,
      CODAT_BASE_URL: 'http://127.0.0.1:2',
      AUTH_MODE: 'api-key',
      AUTH_API_KEYS_FILE: write('keys.json', {
        keys: [{ sha256: 'a'.repeat(64), name: 'job', scopes: [READ_SCOPE], companies: '*', tenant: 'globex' }],
      }),
    });
    expect([...(config.codatTenants ?? [])]).toEqual([
      ['acme', { apiKey: 'k1', baseUrl: 'http://127.0.0.1:1' }],
      ['globex', { apiKey: 'k2', baseUrl: 'http://127.0.0.1:2' }],
    ]);
    expect(config.host).toBe('0.0.0.0');
    expect(config.auth.apiKeys?.[0]?.tenant).toBe('globex');
  });

  it.each([
    [{ tenants: {} }, 'at least one tenant'],
    [{ tenants: { 'bad name!': { apiKey: 'k' } } }, 'tenant names are'],
    [{ tenants: { acme: {} } }, 'tenant "acme" needs a non-empty "apiKey"'],
    [{ tenants: { acme: { apiKey: 'k', baseUrl: 'https://user:pw@api.codat.io' } } }, 'must not contain credentials'],
    ['{ not json', 'CODAT_TENANTS_FILE is not valid JSON'],
  ])('refuses %p, naming the variable', (content, message) => {
    const path = write('bad.json', content);
    expect(() => loadConfig({ CODAT_TENANTS_FILE: path, AUTH_MODE: 'jwt' })).toThrow(message);
  });

  it('refuses an api key of a tenant not in the file, and AUTH_MODE=none without a default tenant', () => {
    const tenants = write('acme.json', { tenants: { acme: { apiKey: 'k1' } } });
    const keys = write('keys-x.json', {
      keys: [{ sha256: 'b'.repeat(64), name: 'job', scopes: [READ_SCOPE], companies: '*', tenant: 'globex' }],
    });
    expect(() => loadConfig({ CODAT_TENANTS_FILE: tenants, AUTH_MODE: 'api-key', AUTH_API_KEYS_FILE: keys })).toThrow(
      'tenant "globex" is not one this subgraph serves (acme)',
    );
    expect(() => loadConfig({ CODAT_TENANTS_FILE: tenants, AUTH_MODE: 'none' })).toThrow('AUTH_MODE=none serves one tenant, "default"');
  });
});
