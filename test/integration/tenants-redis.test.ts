import { createApp, type App } from '../../src/app';
import { READ_SCOPE, WRITE_SCOPE } from '../../src/auth/caller';
import { SEEDED_COMPANY_IDS, type CodatSimulator } from '../../src/simulator';
import { bearer, jwtAuth, startTestIssuer, type TestIssuer } from '../support/auth';
import { testConfig } from '../support/harness';
import { sampleValue } from '../support/observability';
import { describeWithRedis, startRedis, type RedisServer } from '../support/redis';
import { startSimulator } from '../support/simulator';
import { waitFor } from '../support/wait';

// Two tenants (two Codat accounts: one simulator each, seeded alike) served by two instances on one real
// Redis. Each tenant's structures live under `${REDIS_KEY_PREFIX}<tenant>:` (src/shared-state/): the
// tenants must never share a cached answer, a read in flight, a per-company lease or an idempotency
// record, while the instances of one tenant still share all of them. The keys are read back from Redis
// itself (test/support/redis.ts speaks its protocol over a socket).

const PREFIX = 'tenants-test:';
const STATUS = 'query Status($id: ID!) { commerceSyncStatus(companyId: $id) { state } }';
const REQUEST_ONCE = 'mutation Once($id: ID!, $key: String) { requestSync(companyId: $id, idempotencyKey: $key) { commerceSyncId state } }';
const ACME_KEY = 'acme-codat-key-51c0aa';
const GLOBEX_KEY = 'globex-codat-key-0b7e3d';

type Answer<T> = { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
type Status = { commerceSyncStatus: { state: string } | null };
type Requested = { requestSync: { commerceSyncId: string; state: string } | null };

describeWithRedis('tenants on one Redis', () => {
  let redis: RedisServer;
  let issuer: TestIssuer;
  let acme: CodatSimulator;
  let globex: CodatSimulator;
  let a: App;
  let b: App;
  const urls = new Map<App, string>();
  let tokens: { acme: string; globex: string };

  beforeAll(async () => {
    [redis, issuer, acme, globex] = await Promise.all([
      startRedis(),
      startTestIssuer(),
      // Two accounts, two daily quotas.
      startSimulator({ apiKey: ACME_KEY, syncDurationMs: 60_000, dailyRequestBudget: 5_000 }),
      // Globex's requested syncs stay in progress, so its answers differ from Acme's for the same company.
      startSimulator({ apiKey: GLOBEX_KEY, syncDurationMs: 3_600_000, dailyRequestBudget: 8_000 }),
    ]);
    const config = testConfig({
      redisUrl: redis.url,
      redisKeyPrefix: PREFIX,
      statusCacheTtlMs: 60_000,
      logLevel: 'silent',
      auth: jwtAuth({ jwksUrl: issuer.jwksUrl }),
      codatTenants: new Map([
        ['acme', { apiKey: ACME_KEY, baseUrl: acme.url }],
        ['globex', { apiKey: GLOBEX_KEY, baseUrl: globex.url }],
      ]),
    });
    const quiet = { apolloLogger: { debug() {}, info() {}, warn: console.warn, error: console.error } };
    [a, b] = await Promise.all([createApp(config, quiet), createApp(config, quiet)]);
    for (const app of [a, b]) {
      urls.set(app, `${await app.listen(0, '127.0.0.1')}/graphql`);
      expect(await app.fleet.whenRedisUp(5_000)).toBe(true);
    }
    const everyCompany = { codat_company_ids: ['*'] };
    const scope = `${READ_SCOPE} ${WRITE_SCOPE}`;
    tokens = {
      acme: await issuer.sign({ scope, ...everyCompany, tenant: 'acme' }),
      globex: await issuer.sign({ scope, ...everyCompany, tenant: 'globex' }),
    };
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await Promise.all([acme?.close(), globex?.close(), issuer?.close(), redis?.stop()]);
  });
  beforeEach(() => {
    for (const simulator of [acme, globex]) {
      simulator.clearBehaviours();
      simulator.clearLog();
    }
  });

  async function post<T>(app: App, query: string, variables: Record<string, unknown>, token: string): Promise<Answer<T>> {
    const response = await fetch(urls.get(app) as string, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Answer<T>;
  }
  const statusGets = (simulator: CodatSimulator, companyId: string): number =>
    simulator.requests().filter((r) => r.operationId === 'get-sync-status' && r.companyId === companyId).length;
  const keys = async (pattern: string): Promise<string[]> => ((await redis.command('KEYS', pattern)) as string[]).sort();
  const stack = (app: App, tenant: string) => {
    const found = app.tenants.get(tenant);
    if (!found?.cache || !found.shared.flights) throw new Error(`no cached stack with flights for ${tenant}`);
    return { cache: found.cache, flights: found.shared.flights };
  };

  it('keeps each tenant’s cached answers apart, and shares them between the instances of a tenant', async () => {
    const id = SEEDED_COMPANY_IDS.succeeded;
    // Globex starts a sync: from now on its Codat says IN_PROGRESS for the company, Acme's SUCCEEDED.
    expect((await post<Requested>(a, REQUEST_ONCE, { id }, tokens.globex)).errors).toBeUndefined();
    globex.clearLog();

    expect((await post<Status>(a, STATUS, { id }, tokens.acme)).data?.commerceSyncStatus?.state).toBe('SUCCEEDED');
    // Same company id, other tenant, other instance: its own Codat is asked, not Acme's copy in Redis.
    expect((await post<Status>(b, STATUS, { id }, tokens.globex)).data?.commerceSyncStatus?.state).toBe('IN_PROGRESS');
    expect([statusGets(acme, id), statusGets(globex, id)]).toEqual([1, 1]);
    // Each tenant's other instance answers from its own tenant's copy: no call.
    expect((await post<Status>(b, STATUS, { id }, tokens.acme)).data?.commerceSyncStatus?.state).toBe('SUCCEEDED');
    expect((await post<Status>(a, STATUS, { id }, tokens.globex)).data?.commerceSyncStatus?.state).toBe('IN_PROGRESS');
    expect([statusGets(acme, id), statusGets(globex, id)]).toEqual([1, 1]);

    expect((await keys(`${PREFIX}acme:cache:*`)).length).toBeGreaterThan(0);
    expect((await keys(`${PREFIX}globex:cache:*`)).length).toBeGreaterThan(0);
  });

  it('coalesces each tenant’s reads across the instances, one call per tenant, on leases of its own', async () => {
    const id = acme.addCompany({ state: 'succeeded' });
    // The same id at Globex's Codat: both accounts hold the company.
    expect(globex.addCompany({ id, state: 'succeeded' })).toBe(id);
    const gates = [acme, globex].map((simulator) => simulator.hold(id, { operationId: 'get-sync-status', times: 1 }));
    const reads = Array.from({ length: 20 }, (_, i) =>
      post<Status>(i % 2 === 0 ? a : b, STATUS, { id }, i % 4 < 2 ? tokens.acme : tokens.globex),
    );
    // Per tenant: each instance joins its own reads to one, and one instance waits on the other's.
    await waitFor(
      () =>
        ['acme', 'globex'].every((tenant) => stack(a, tenant).flights.waiting() + stack(b, tenant).flights.waiting() === 1) &&
        acme.inFlight() === 1 &&
        globex.inFlight() === 1,
      'one read in flight per tenant, the other instance waiting on it',
    );
    // While the two calls are in flight: one flight marker and one lease per tenant, under its prefix.
    expect(await keys(`${PREFIX}*:flight:*`)).toHaveLength(2);
    expect(await keys(`${PREFIX}acme:flight:*`)).toHaveLength(1);
    const leases = await keys(`${PREFIX}*:slots:*`);
    expect(leases).toEqual([`${PREFIX}acme:slots:${id}`, `${PREFIX}globex:slots:${id}`]);
    for (const lease of leases) expect(await redis.command('ZCARD', lease)).toBe(1);

    for (const gate of gates) gate.release();
    for (const read of await Promise.all(reads)) expect(read.data?.commerceSyncStatus?.state).toBe('SUCCEEDED');
    expect([statusGets(acme, id), statusGets(globex, id)]).toEqual([1, 1]);
    for (const tenant of ['acme', 'globex']) {
      expect(stack(a, tenant).cache.stats().fleetCoalesced + stack(b, tenant).cache.stats().fleetCoalesced).toBe(1);
    }
  });

  it('keeps idempotency records per tenant: one key in both tenants is two sync requests, each sent once', async () => {
    const id = SEEDED_COMPANY_IDS.neverSynced;
    const key = 'same-key-in-both-tenants';
    const first = await Promise.all([
      post<Requested>(a, REQUEST_ONCE, { id, key }, tokens.acme),
      post<Requested>(b, REQUEST_ONCE, { id, key }, tokens.globex),
    ]);
    for (const answer of first) expect(answer.errors).toBeUndefined();
    const posts = (simulator: CodatSimulator) => simulator.requests().filter((r) => r.method === 'POST').length;
    expect([posts(acme), posts(globex)]).toEqual([1, 1]);
    // Repeats on the other instances: each tenant's own first answer, no second POST.
    const repeats = await Promise.all([
      post<Requested>(b, REQUEST_ONCE, { id, key }, tokens.acme),
      post<Requested>(a, REQUEST_ONCE, { id, key }, tokens.globex),
    ]);
    expect(repeats.map((r) => r.data)).toEqual(first.map((r) => r.data));
    expect([posts(acme), posts(globex)]).toEqual([1, 1]);
    expect(await keys(`${PREFIX}acme:idem:*`)).toHaveLength(1);
    expect(await keys(`${PREFIX}globex:idem:*`)).toHaveLength(1);
  });

  it('knows each tenant’s quota apart (codat_quota_remaining by tenant)', async () => {
    // One fresh read per tenant on A, so that A's latest answer from each Codat is the last one it sent.
    for (const [token, simulator] of [
      [tokens.acme, acme],
      [tokens.globex, globex],
    ] as const) {
      const id = simulator.addCompany({ state: 'succeeded' });
      expect((await post<Status>(a, STATUS, { id }, token)).errors).toBeUndefined();
    }
    const text = await (await fetch(urls.get(a)!.replace(/graphql$/, 'metrics'))).text();
    expect(sampleValue(text, 'codat_quota_limit', { tenant: 'acme' })).toBe(5_000);
    expect(sampleValue(text, 'codat_quota_limit', { tenant: 'globex' })).toBe(8_000);
    expect(sampleValue(text, 'codat_quota_remaining', { tenant: 'acme' })).toBe(acme.quotaRemaining());
    expect(sampleValue(text, 'codat_quota_remaining', { tenant: 'globex' })).toBe(globex.quotaRemaining());
  });

  it('puts every key under `${REDIS_KEY_PREFIX}<tenant>:<namespace>:`', async () => {
    const all = await keys('*');
    expect(all.length).toBeGreaterThan(0);
    for (const key of all) expect(key).toMatch(/^tenants-test:(acme|globex):(cache|flight|slots|idem):/);
  });
});
