import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { TEST_API_KEY, useSimulator } from '../support/simulator';
import { killEntryProcesses, startEntryProcess } from '../support/entry-process';
import { sampleValue } from '../support/observability';
import { describeWithRedis, startRedis, type RedisServer } from '../support/redis';

// The built entry point, pointed at a simulator this test runs itself, so the test can make Codat slow
// and watch the real process drain on SIGTERM.
const BASE64_KEY = Buffer.from(TEST_API_KEY).toString('base64');
const { succeeded, failed } = SEEDED_COMPANY_IDS;
const run = startEntryProcess;

function query(base: string, companyId: string, requestId: string): Promise<Response> {
  return fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify({ query: `query Status { commerceSyncStatus(companyId: "${companyId}") { state syncStatusCode } }` }),
  });
}

describe('the running process (operations)', () => {
  const simulator = useSimulator();
  afterEach(killEntryProcesses);

  it('serves /healthz, /readyz and /metrics, whose Codat counters rise after a query, and logs JSON lines', async () => {
    const proc = run({ CODAT_API_KEY: TEST_API_KEY, CODAT_BASE_URL: simulator.url, AUTH_MODE: 'none' });
    const base = await proc.ready;

    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', codat: { circuitOpen: false } });

    const before = await (await fetch(`${base}/metrics`)).text();
    expect(sampleValue(before, 'codat_requests_total', { operation: 'get-sync-status', status: '200' })).toBeUndefined();
    const res = await query(base, succeeded, 'ops-run-1');
    expect(res.headers.get('x-request-id')).toBe('ops-run-1');
    expect(await res.json()).toEqual({ data: { commerceSyncStatus: { state: 'SUCCEEDED', syncStatusCode: 2000 } } });
    const after = await (await fetch(`${base}/metrics`)).text();
    expect(sampleValue(after, 'codat_requests_total', { operation: 'get-sync-status', status: '200' })).toBe(1);
    expect(sampleValue(after, 'graphql_requests_total', { operation: 'Status', outcome: 'ok' })).toBe(1);

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    const lines = proc.logLines().filter((l) => l.requestId === 'ops-run-1');
    expect(lines.map((l) => l.event)).toEqual(['codat.call', 'graphql.request']);
    const { stdout, stderr } = proc.output();
    expect(stdout + stderr).not.toContain(TEST_API_KEY);
    expect(stdout + stderr).not.toContain(BASE64_KEY);
  });

  it('on SIGTERM stops accepting connections, lets the in-flight request finish, and exits 0', async () => {
    const proc = run({ CODAT_API_KEY: TEST_API_KEY, CODAT_BASE_URL: simulator.url, AUTH_MODE: 'none', SHUTDOWN_TIMEOUT_MS: '10000' });
    const base = await proc.ready;
    simulator.setBehaviour(failed, { kind: 'slow', delayMs: 1_000 });

    const inFlight = query(base, failed, 'slow-one');
    // Signal only once Codat has the request, so it is truly in flight.
    while (!simulator.requests().some((r) => r.companyId === failed)) await new Promise((r) => setTimeout(r, 20));
    proc.child.kill('SIGTERM');
    // Give the process a moment to act on the signal, then check it takes no new connections.
    while (!proc.logLines().some((l) => l.event === 'shutdown')) await new Promise((r) => setTimeout(r, 20));
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { commerceSyncStatus: { state: 'FAILED', syncStatusCode: 5130 } } });
    expect(await proc.exited).toBe(0);
    const events = proc.logLines().map((l) => l.event);
    expect(events.indexOf('shutdown')).toBeLessThan(events.indexOf('shutdown.done'));
    expect(proc.logLines().find((l) => l.event === 'graphql.request' && l.requestId === 'slow-one')).toMatchObject({ outcome: 'ok' });
  });

  it('closes a request that outlives SHUTDOWN_TIMEOUT_MS and still exits 0', async () => {
    const proc = run({ CODAT_API_KEY: TEST_API_KEY, CODAT_BASE_URL: simulator.url, AUTH_MODE: 'none', SHUTDOWN_TIMEOUT_MS: '200' });
    const base = await proc.ready;
    simulator.setBehaviour(failed, { kind: 'hang' });
    const inFlight = query(base, failed, 'hung-one').then(
      (res) => res.status,
      () => 'socket closed',
    );
    while (!simulator.requests().some((r) => r.companyId === failed)) await new Promise((r) => setTimeout(r, 20));
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(await inFlight).toBe('socket closed');
    // The call the drain gave up on is ended by the server's stop and not retried; it and its request are
    // logged before shutdown.done, the last line.
    const tail = proc.logLines().slice(-3);
    expect(tail.map((l) => [l.event, l.requestId, l.networkCode])).toEqual([
      ['codat.call', 'hung-one', 'CLIENT_CLOSED'],
      ['graphql.request', 'hung-one', undefined],
      ['shutdown.done', undefined, undefined],
    ]);
    expect(tail[1]).toMatchObject({ outcome: 'UPSTREAM_UNAVAILABLE' });
    expect(simulator.requests().filter((r) => r.companyId === failed)).toHaveLength(1);
  });
});

describeWithRedis('the running process, stopped while a sync request hangs (Redis)', () => {
  const simulator = useSimulator();
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  afterEach(killEntryProcesses);

  function requestSync(base: string, idempotencyKey: string): Promise<Response> {
    return fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation Sync($id: ID!, $key: String) { requestSync(companyId: $id, idempotencyKey: $key) { commerceSyncId } }',
        variables: { id: succeeded, key: idempotencyKey },
      }),
    });
  }

  it('records the cut-off request as an unknown outcome, so another instance never sends it again', async () => {
    const env = { CODAT_API_KEY: TEST_API_KEY, CODAT_BASE_URL: simulator.url, AUTH_MODE: 'none', REDIS_URL: redis.url };
    const first = run({ ...env, SHUTDOWN_TIMEOUT_MS: '200' });
    const firstBase = await first.ready;
    simulator.setBehaviour(succeeded, { kind: 'hang' }, { operationId: 'request-sync' });
    const cutOff = requestSync(firstBase, 'stopped-mid-call').then(
      (res) => res.status,
      () => 'socket closed',
    );
    const posts = (): number => simulator.requests().filter((r) => r.operationId === 'request-sync').length;
    while (posts() === 0) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(await cutOff).toBe('socket closed');
    expect(first.logLines().find((l) => l.event === 'codat.call' && l.operation === 'request-sync')).toMatchObject({
      networkCode: 'CLIENT_CLOSED',
    });

    simulator.clearBehaviours();
    const second = run(env);
    const repeat = (await (await requestSync(await second.ready, 'stopped-mid-call')).json()) as {
      data: { requestSync: unknown } | null;
      errors?: { extensions?: { code?: string } }[];
    };
    expect(repeat.errors?.[0]?.extensions?.code).toBe('UPSTREAM_OUTCOME_UNKNOWN');
    expect(posts()).toBe(1);
  });
});
