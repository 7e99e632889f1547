import WebSocket from 'ws';

import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { startHarness, useHarness, type Harness } from '../support/harness';
import {
  liveClient,
  liveConfig,
  subscribe,
  TestClock,
  STATUS_CHANGED,
  SYNC_PROGRESS,
  type Subscribed,
  type StatusChangedData as Changed,
  type SyncProgressData as Progress,
  requestSyncMutation as requestSync,
} from '../support/live-client';
import { sampleValue } from '../support/observability';
import { waitFor } from '../support/wait';

/** Upstream reads of one company's status the simulator received. */
function statusReads(h: Harness, companyId: string): number {
  return h.simulator.requests().filter((r) => r.operationId === 'get-sync-status' && r.companyId === companyId).length;
}

async function metric(h: Harness, name: string, labels: Record<string, string> = {}): Promise<number> {
  return sampleValue(await h.observability.metrics.registry.metrics(), name, labels) ?? 0;
}

function states(events: Subscribed<Changed>['events']): string[] {
  return events.map((e) => e.data?.commerceSyncStatusChanged.state ?? `error:${e.errors?.[0]?.extensions?.code}`);
}

describe('live sync tracking over graphql-ws (a real client over a real WebSocket)', () => {
  // Fast in-progress polling so a 600 ms simulated sync shows several polls; idle polling slow enough that
  // only wakes and in-progress syncs cause reads while a test watches.
  const clock = new TestClock();
  const h = useHarness({
    simulator: { syncDurationMs: TestClock.SYNC_MS, now: clock.now },
    config: { live: liveConfig({ pollActiveMs: 100, pollIdleMs: 60_000, syncAppearMs: 400 }) },
  });
  const clients: ReturnType<typeof liveClient>[] = [];
  const client = (): ReturnType<typeof liveClient> => {
    const c = liveClient(h.baseUrl);
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await waitFor(() => h.app.live.pollers.size() === 0, 'every poller to stop');
  });

  it('shows a requested sync moving from IN_PROGRESS to SUCCEEDED, and commerceSyncProgress completes on its own', async () => {
    const companyId = h.simulator.addCompany({ state: 'succeeded' });
    const ws = client();
    const changes = subscribe<Changed>(ws, STATUS_CHANGED, { companyId });
    await waitFor(() => changes.events.length === 1, 'the current status');
    expect(changes.events[0]?.data?.commerceSyncStatusChanged).toMatchObject({ companyId, state: 'SUCCEEDED', syncStatusCode: 2000 });

    const requested = await h.executeRaw<{ requestSync: { commerceSyncId: string; state: string } }>(requestSync(companyId));
    const commerceSyncId = requested.data?.requestSync.commerceSyncId;
    expect(requested.data?.requestSync.state).toBe('IN_PROGRESS');
    const progress = subscribe<Progress>(ws, SYNC_PROGRESS, { companyId, commerceSyncId });
    await waitFor(() => progress.events.length === 1 && changes.events.length === 2, 'the sync in progress on both');
    clock.finishSyncs();
    await progress.ended;
    expect(progress.completed).toBe(true);
    const seen = progress.events.map((e) => e.data?.commerceSyncProgress);
    expect(seen[0]).toMatchObject({ commerceSyncId, state: 'IN_PROGRESS', syncStatusCode: 1000 });
    expect(seen.at(-1)).toMatchObject({ commerceSyncId, state: 'SUCCEEDED', syncStatusCode: 2000 });
    expect(seen.every((s) => s?.commerceSyncId === commerceSyncId)).toBe(true);

    // The mutation woke the poller: the new sync showed without waiting for the idle interval (60 s).
    await waitFor(() => changes.events.length === 3, 'the new sync to start and succeed');
    expect(
      changes.events.map((e) => [
        e.data?.commerceSyncStatusChanged.commerceSyncId === commerceSyncId,
        e.data?.commerceSyncStatusChanged.state,
      ]),
    ).toEqual([
      [false, 'SUCCEEDED'],
      [true, 'IN_PROGRESS'],
      [true, 'SUCCEEDED'],
    ]);
    expect(changes.completed).toBe(false);
  });

  it('serves 50 subscribers of one company from one poller, and stops polling when the last leaves', async () => {
    const companyId = h.simulator.addCompany({ state: 'succeeded' });
    const sockets = Array.from({ length: 5 }, () => client());
    const first = subscribe<Changed>(sockets[0]!, STATUS_CHANGED, { companyId });
    await waitFor(() => first.events.length === 1, "the first subscriber's status");
    expect(statusReads(h, companyId)).toBe(1);

    // 49 more, over five connections: each gets the latest status at once, without an upstream call.
    const rest = Array.from({ length: 49 }, (_, i) => subscribe<Changed>(sockets[i % 5]!, STATUS_CHANGED, { companyId }));
    const all = [first, ...rest];
    await waitFor(() => rest.every((s) => s.events.length === 1), "every subscriber's first event");
    expect(statusReads(h, companyId)).toBe(1);
    expect(h.app.live.pollers.size()).toBe(1);
    expect(await metric(h, 'graphql_subscriptions_active', { transport: 'graphql-ws' })).toBe(50);

    // A sync runs: one poller's reads for all 50, every one of them sees it start and finish.
    const pollsBefore = await metric(h, 'live_poll_calls_total', { outcome: 'ok' });
    await h.executeRaw(requestSync(companyId));
    await waitFor(() => all.every((s) => s.events.length === 2), 'every subscriber to see the sync start');
    await waitFor(() => statusReads(h, companyId) >= 4, 'a few polls while it runs');
    clock.finishSyncs();
    await waitFor(() => all.every((s) => s.events.length === 3), 'every subscriber to see the sync finish');
    for (const s of all) expect(states(s.events)).toEqual(['SUCCEEDED', 'IN_PROGRESS', 'SUCCEEDED']);
    const polls = (await metric(h, 'live_poll_calls_total', { outcome: 'ok' })) - pollsBefore;
    expect(statusReads(h, companyId)).toBe(1 + polls);
    expect(polls).toBeGreaterThanOrEqual(2);
    expect(polls).toBeLessThan(50);

    // Everyone leaves: the poller stops, and a mutation for the company wakes nothing.
    for (const s of all) s.unsubscribe();
    await waitFor(() => h.app.live.pollers.size() === 0, 'the poller to stop');
    expect(await metric(h, 'live_pollers_active')).toBe(0);
    const readsWhenLeft = statusReads(h, companyId);
    await h.executeRaw(requestSync(companyId));
    // Another company's poller, polling at the active pace while its sync runs, is the clock: several of
    // its polls pass, and the company nobody follows is not read once.
    const clockCompany = h.simulator.addCompany({ state: 'in-progress' });
    const pacer = subscribe<Changed>(sockets[0]!, STATUS_CHANGED, { companyId: clockCompany });
    await waitFor(() => statusReads(h, clockCompany) >= 4, 'four polls of another company');
    pacer.unsubscribe();
    expect(statusReads(h, companyId)).toBe(readsWhenLeft);
  });

  it('refuses bad input at once, with no poller and no upstream call', async () => {
    const ws = client();
    const bad = subscribe<Changed>(ws, STATUS_CHANGED, { companyId: 'not-a-uuid' });
    const badSync = subscribe<Progress>(ws, SYNC_PROGRESS, { companyId: SEEDED_COMPANY_IDS.succeeded, commerceSyncId: '42' });
    await Promise.all([bad.ended, badSync.ended]);
    expect(bad.events).toHaveLength(1);
    expect(bad.events[0]?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.events[0]?.data ?? null).toBeNull();
    expect(badSync.events[0]?.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'commerceSyncId' } });
    expect(bad.completed && badSync.completed).toBe(true);
    expect(h.simulator.requests()).toHaveLength(0);
    expect(h.app.live.pollers.size()).toBe(0);
  });

  it('refuses the 21st subscription of a connection (MAX_SUBSCRIPTIONS_PER_CONNECTION) without calling Codat for it', async () => {
    const companyId = h.simulator.addCompany({ state: 'succeeded' });
    const ws = client();
    const twenty = Array.from({ length: 20 }, () => subscribe<Changed>(ws, STATUS_CHANGED, { companyId }));
    await waitFor(() => twenty.every((s) => s.events.length === 1), 'twenty subscriptions');
    const refusedBefore = await metric(h, 'graphql_subscriptions_refused_total', { reason: 'connection' });
    const other = h.simulator.addCompany({ state: 'succeeded' });
    const extra = subscribe<Changed>(ws, STATUS_CHANGED, { companyId: other });
    await extra.ended;
    expect(extra.events).toHaveLength(0);
    expect(extra.failure).toEqual([
      expect.objectContaining({ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: 20, scope: 'connection' } }),
    ]);
    expect(statusReads(h, other)).toBe(0);
    expect(await metric(h, 'graphql_subscriptions_refused_total', { reason: 'connection' })).toBe(refusedBefore + 1);
    // The connection itself is fine: the twenty go on, and a new one fits once one leaves.
    twenty[0]?.unsubscribe();
    const again = subscribe<Changed>(ws, STATUS_CHANGED, { companyId: other });
    await waitFor(() => again.events.length === 1, 'a subscription in the freed place');
  });

  it('applies the depth limit to subscribe documents before anything starts', async () => {
    const res = await startHarness({ config: { maxQueryDepth: 2, live: liveConfig() } });
    const ws = liveClient(res.baseUrl);
    try {
      const deep = subscribe(
        ws,
        `subscription { commerceSyncStatusChanged(companyId: "${SEEDED_COMPANY_IDS.succeeded}") { dataConnections { id } } }`,
      );
      await deep.ended;
      expect(deep.failure).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', depth: 3, maxDepth: 2 }) }),
      ]);
      expect(res.simulator.requests()).toHaveLength(0);
      expect(res.app.live.pollers.size()).toBe(0);
    } finally {
      await ws.dispose();
      await res.close();
    }
  });

  it('follows a sync that a newer one superseded by its syncId until it is final, and ends an unknown one with NOT_FOUND', async () => {
    const companyId = h.simulator.addCompany({ state: 'succeeded' });
    const ws = client();
    const first = await h.executeRaw<{ requestSync: { commerceSyncId: string } }>(requestSync(companyId));
    const followed = first.data?.requestSync.commerceSyncId;
    const progress = subscribe<Progress>(ws, SYNC_PROGRESS, { companyId, commerceSyncId: followed });
    await waitFor(() => progress.events.length === 1, 'the followed sync in progress');
    const syncId = progress.events[0]?.data?.commerceSyncProgress.syncId;
    await h.executeRaw(requestSync(companyId));
    // The newer sync is the latest now: the followed one is read by its syncId while it runs.
    await waitFor(
      () => h.simulator.requests().some((r) => r.operationId === 'get-sync-by-id' && r.path.includes(String(syncId))),
      'a read by syncId',
    );
    clock.finishSyncs();
    await progress.ended;
    expect(progress.completed).toBe(true);
    expect(progress.events.map((e) => e.data?.commerceSyncProgress)).toEqual([
      expect.objectContaining({ commerceSyncId: followed, syncId, state: 'IN_PROGRESS' }),
      expect.objectContaining({ commerceSyncId: followed, syncId, state: 'SUCCEEDED' }),
    ]);

    const unknown = subscribe<Progress>(ws, SYNC_PROGRESS, { companyId, commerceSyncId: '00000000-0000-4000-8000-000000000000' });
    await unknown.ended;
    expect(unknown.completed).toBe(true);
    expect(unknown.events).toHaveLength(1);
    expect(unknown.events[0]?.errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      commerceSyncId: '00000000-0000-4000-8000-000000000000',
    });
  });
});

describe('an upstream outage, seen by subscribers', () => {
  // No retries and a short attempt timeout, so each poll fails fast; idle polls every 300 ms (and the
  // backoff after failures is capped there).
  const h = useHarness({ config: { codatMaxRetries: 0, codatTimeoutMs: 1_000, live: liveConfig({ pollActiveMs: 100, pollIdleMs: 300 }) } });

  it('reaches them as typed error events (500s, then a hang), and the stream resumes with data once Codat recovers', async () => {
    const companyId = h.simulator.addCompany({ state: 'succeeded' });
    const ws = liveClient(h.baseUrl);
    try {
      const subscribers = [subscribe<Changed>(ws, STATUS_CHANGED, { companyId }), subscribe<Changed>(ws, STATUS_CHANGED, { companyId })];
      await waitFor(() => subscribers.every((s) => s.events.length === 1), 'the current status');

      h.simulator.setBehaviour(companyId, { kind: 'status', status: 500 });
      await waitFor(() => subscribers.every((s) => s.events.length === 2), 'an error event');
      const failure = subscribers[0]?.events[1];
      expect(failure?.data).toBeNull();
      expect(failure?.errors?.[0]?.extensions).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        upstream: { operation: 'get-sync-status', status: 500 },
      });
      expect(JSON.stringify(failure)).not.toMatch(/stack|at \w+ \(/);

      h.simulator.clearBehaviours();
      h.simulator.setBehaviour(companyId, { kind: 'hang' });
      await waitFor(() => subscribers.every((s) => s.events.length === 3), 'a timeout event');
      expect(subscribers[0]?.events[2]?.errors?.[0]?.extensions?.code).toBe('UPSTREAM_TIMEOUT');

      h.simulator.clearBehaviours();
      await waitFor(() => subscribers.every((s) => s.events.length === 4), 'data again');
      for (const s of subscribers) {
        expect(states(s.events)).toEqual(['SUCCEEDED', 'error:UPSTREAM_UNAVAILABLE', 'error:UPSTREAM_TIMEOUT', 'SUCCEEDED']);
        expect(s.completed).toBe(false);
      }
      expect(h.app.live.pollers.size()).toBe(1);
    } finally {
      await ws.dispose();
    }
  });
});

describe('the instance-wide limit (MAX_SUBSCRIPTIONS)', () => {
  const h = useHarness({ config: { live: liveConfig({ maxSubscriptions: 3 }) } });

  it('refuses a subscription over it with TOO_MANY_SUBSCRIPTIONS and no upstream call, and admits one again when a place frees', async () => {
    const ws = liveClient(h.baseUrl);
    try {
      const companyId = h.simulator.addCompany({ state: 'succeeded' });
      const three = [0, 1, 2].map(() => subscribe<Changed>(ws, STATUS_CHANGED, { companyId }));
      await waitFor(() => three.every((s) => s.events.length === 1), 'three subscriptions');
      const other = h.simulator.addCompany({ state: 'succeeded' });
      const fourth = subscribe<Changed>(ws, STATUS_CHANGED, { companyId: other });
      await fourth.ended;
      expect(fourth.events[0]?.errors?.[0]?.extensions).toEqual({ code: 'TOO_MANY_SUBSCRIPTIONS', limit: 3, scope: 'instance' });
      expect(statusReads(h, other)).toBe(0);
      three[0]?.unsubscribe();
      await waitFor(() => h.app.live.active() === 2, 'a place to free');
      const again = subscribe<Changed>(ws, STATUS_CHANGED, { companyId: other });
      await waitFor(() => again.events.length === 1, 'the new subscription');
      expect(again.events[0]?.data?.commerceSyncStatusChanged.companyId).toBe(other);
    } finally {
      await ws.dispose();
    }
  });
});

describe('WebSocket housekeeping', () => {
  const h = useHarness({ config: { live: liveConfig({ connectionInitTimeoutMs: 200, pingIntervalMs: 100 }) } });

  it('closes a socket that sends no connection_init in time (4408), and pings the ones that stay', async () => {
    const silent = new WebSocket(`${h.baseUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    const closed = await new Promise<number>((resolve) => silent.on('close', (code) => resolve(code)));
    expect(closed).toBe(4408);

    const chatty = new WebSocket(`${h.baseUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    let pings = 0;
    chatty.on('ping', () => (pings += 1));
    await new Promise<void>((resolve) => chatty.on('open', () => resolve()));
    chatty.send(JSON.stringify({ type: 'connection_init' }));
    await waitFor(() => pings >= 3, 'three pings');
    // Answered (ws answers pings by itself), so the socket is still open.
    expect(chatty.readyState).toBe(WebSocket.OPEN);
    chatty.close();
  });

  it('refuses a handshake without the graphql-transport-ws subprotocol', async () => {
    // subscriptions-transport-ws's protocol: the server picks no subprotocol, so the client gives up (1006)
    // or, had it gone on, graphql-ws would close it 4406.
    const legacy = new WebSocket(`${h.baseUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-ws');
    legacy.on('error', () => undefined);
    const closed = await new Promise<number>((resolve) => legacy.on('close', (code) => resolve(code)));
    expect([1006, 4406]).toContain(closed);
    expect(h.app.live.active()).toBe(0);
  });
});
