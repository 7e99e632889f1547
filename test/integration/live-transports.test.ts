import { FakeRouter, subscribeByCallback } from '../support/fake-router';
import { useHarness, type Harness } from '../support/harness';
import {
  liveConfig,
  readEvents,
  STATUS_CHANGED,
  SYNC_PROGRESS,
  TestClock,
  requestSyncMutation as requestSync,
} from '../support/live-client';
import { sampleValue } from '../support/observability';
import { waitFor } from '../support/wait';

async function newSync(h: Harness, companyId: string): Promise<string> {
  const res = await h.executeRaw<{ requestSync: { commerceSyncId: string } }>(requestSync(companyId));
  const id = res.data?.requestSync.commerceSyncId;
  if (!id) throw new Error(`requestSync failed: ${JSON.stringify(res.errors)}`);
  return id;
}

/** Apollo's callback plugin warns about refused subscribes; these tests refuse some on purpose. */
const silentApollo = { debug: () => {}, info: () => {}, warn: () => {}, error: console.error };

describe("Apollo Router's HTTP callback protocol (the test plays the router)", () => {
  const clock = new TestClock();
  const h = useHarness({
    simulator: { syncDurationMs: TestClock.SYNC_MS, now: clock.now },
    config: { live: liveConfig({ pollActiveMs: 100, pollIdleMs: 60_000 }) },
    app: { apolloLogger: silentApollo },
  });
  const router = new FakeRouter();
  beforeAll(() => router.start());
  afterAll(() => router.close());

  it('checks, answers { data: null }, sends next events and heartbeats, and completes when the sync is final', async () => {
    const companyId = h.simulator.addCompany({ state: 'succeeded' });
    const commerceSyncId = await newSync(h, companyId);
    const answer = await subscribeByCallback(h.graphqlUrl, router, 'progress-1', SYNC_PROGRESS, { companyId, commerceSyncId });
    expect(answer).toEqual({ status: 200, body: { data: null } });
    // The check went out before the answer, as the protocol requires.
    expect(router.of('progress-1')[0]).toMatchObject({ kind: 'subscription', action: 'check', verifier: 'verifier-progress-1' });

    await waitFor(() => router.of('progress-1', 'next').length === 1, 'the sync in progress');
    await waitFor(() => router.of('progress-1', 'check').length >= 3, 'heartbeats');
    clock.finishSyncs();
    await waitFor(() => router.of('progress-1', 'complete').length === 1, 'complete');
    const nexts = router.of('progress-1', 'next').map((m) => m.payload?.data?.commerceSyncProgress);
    expect(nexts[0]).toMatchObject({ commerceSyncId, state: 'IN_PROGRESS' });
    expect(nexts.at(-1)).toMatchObject({ commerceSyncId, state: 'SUCCEEDED' });
    expect(router.of('progress-1', 'complete')[0]?.errors).toBeUndefined();
    expect(router.of('progress-1', 'check').length).toBeGreaterThanOrEqual(2);
    await waitFor(() => h.app.live.active() === 0 && h.app.live.pollers.size() === 0, 'the subscription to end');
  });

  it('stops when the router answers a heartbeat with 404, leaving no poller behind', async () => {
    const companyId = h.simulator.addCompany({ state: 'succeeded' });
    const answer = await subscribeByCallback(h.graphqlUrl, router, 'changes-1', STATUS_CHANGED, { companyId });
    expect(answer.status).toBe(200);
    await waitFor(() => router.of('changes-1', 'next').length === 1, 'the current status');
    const metrics = await h.observability.metrics.registry.metrics();
    expect(sampleValue(metrics, 'graphql_subscriptions_active', { transport: 'callback' })).toBe(1);
    expect(h.app.live.pollers.size()).toBe(1);
    router.checkStatus = 404;
    try {
      await waitFor(() => h.app.live.active() === 0 && h.app.live.pollers.size() === 0, 'the subscription to end on 404');
    } finally {
      router.checkStatus = 204;
    }
  });

  it('sends a refused subscribe (bad input) as complete with its typed errors, without calling Codat', async () => {
    const answer = await subscribeByCallback(h.graphqlUrl, router, 'bad-1', STATUS_CHANGED, { companyId: 'nope' });
    expect(answer.status).toBe(200);
    await waitFor(() => router.of('bad-1', 'complete').length === 1, 'complete');
    expect(router.of('bad-1', 'complete')[0]?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(h.simulator.requests()).toHaveLength(0);
  });

  it('refuses a subscription over plain HTTP (no callback extension) with BAD_REQUEST', async () => {
    const response = await h.executeRaw(STATUS_CHANGED, { companyId: '3f1c2a9e-7b4d-4e8a-9c1f-5a2b6d8e0f11' });
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(response.errors?.[0]?.message).toMatch(/WebSocket/);
    expect(h.simulator.requests()).toHaveLength(0);
  });
});

describe('callback limits', () => {
  const h = useHarness({ config: { maxQueryDepth: 2, live: liveConfig({ callbackUrlPrefixes: ['http://127.0.0.1:1/'] }) } });
  const router = new FakeRouter();
  beforeAll(() => router.start());
  afterAll(() => router.close());

  it('refuses a callback URL outside SUBSCRIPTION_CALLBACK_URLS, and a document over the depth limit, before any check or upstream call', async () => {
    const notAllowed = await subscribeByCallback(h.graphqlUrl, router, 'elsewhere', STATUS_CHANGED, {
      companyId: '3f1c2a9e-7b4d-4e8a-9c1f-5a2b6d8e0f11',
    });
    expect(notAllowed.status).toBe(400);
    expect(notAllowed.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    const deep = await subscribeByCallback(
      h.graphqlUrl,
      router,
      'deep',
      'subscription { commerceSyncStatusChanged(companyId: "3f1c2a9e-7b4d-4e8a-9c1f-5a2b6d8e0f11") { dataConnections { id } } }',
      {},
    );
    expect(deep.status).toBe(400);
    expect(deep.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    // Nothing reached the router nor Codat, and nothing is left running.
    await new Promise((resolve) => setImmediate(resolve));
    expect(router.messages).toHaveLength(0);
    expect(h.simulator.requests()).toHaveLength(0);
    expect(h.app.live.active()).toBe(0);
  });
});

describe('Server-Sent Events (graphql-sse, distinct connections)', () => {
  const clock = new TestClock();
  const h = useHarness({
    simulator: { syncDurationMs: TestClock.SYNC_MS, now: clock.now },
    config: { live: liveConfig({ pollActiveMs: 100, pollIdleMs: 60_000 }) },
  });

  const open = (query: string, variables: Record<string, unknown>, signal?: AbortSignal) =>
    fetch(h.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query, variables }),
      signal,
    });

  it('streams commerceSyncProgress to its end: next events, then complete', async () => {
    const companyId = h.simulator.addCompany({ state: 'succeeded' });
    const commerceSyncId = await newSync(h, companyId);
    const response = await open(SYNC_PROGRESS, { companyId, commerceSyncId });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const stream = readEvents(response);
    await waitFor(() => stream.events.length === 1, 'the sync in progress');
    clock.finishSyncs();
    await stream.done;
    const states = stream.events
      .filter((e) => e.event === 'next')
      .map((e) => (JSON.parse(e.data) as { data: { commerceSyncProgress: { state: string } } }).data.commerceSyncProgress.state);
    expect(states[0]).toBe('IN_PROGRESS');
    expect(states.at(-1)).toBe('SUCCEEDED');
    expect(stream.events.at(-1)?.event).toBe('complete');
  });

  it('ends the subscription (and the poller) when the client goes away, and refuses queries', async () => {
    const companyId = h.simulator.addCompany({ state: 'succeeded' });
    const abort = new AbortController();
    const stream = readEvents(await open(STATUS_CHANGED, { companyId }, abort.signal));
    await waitFor(() => stream.events.length === 1, 'the current status');
    expect(JSON.parse(stream.events[0]?.data ?? '{}')).toMatchObject({
      data: { commerceSyncStatusChanged: { companyId, state: 'SUCCEEDED' } },
    });
    expect(sampleValue(await h.observability.metrics.registry.metrics(), 'graphql_subscriptions_active', { transport: 'sse' })).toBe(1);
    abort.abort();
    await waitFor(() => h.app.live.active() === 0 && h.app.live.pollers.size() === 0, 'the subscription to end');

    const query = readEvents(await open(`{ commerceSyncStatus(companyId: "${companyId}") { state } }`, {}));
    await query.done;
    expect(JSON.parse(query.events[0]?.data ?? '{}')).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
  });
});
