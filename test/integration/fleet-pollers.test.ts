import type { Config } from '../../src/config';
import type { CodatSimulator } from '../../src/simulator';
import { killEntryProcesses, startEntryProcess } from '../support/entry-process';
import { startHarness, startSimulator, type Harness } from '../support/harness';
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
import { describeWithRedis, startRedis, type RedisServer } from '../support/redis';
import { waitFor } from '../support/wait';

// The subscription pollers across a fleet (src/shared-state/redis-poller-registry.ts): two instances on
// one real Redis and one simulator, subscribers on both over real WebSockets. One instance holds a
// company's lease and polls; the other hears its outcomes through Redis. No cross-request cache
// (testConfig's), so every poll is one read at the simulator.

const PREFIX = 'fleet-poll:';
// Long enough that a loaded machine's pauses never cost a live holder its lease (renewed every second).
const LEASE_MS = 3_000;
const statusReads = (simulator: CodatSimulator, companyId: string): number =>
  simulator.requests().filter((r) => r.operationId === 'get-sync-status' && r.companyId === companyId).length;
const lastState = (sub: Subscribed<Changed>): string | undefined => sub.events.at(-1)?.data?.commerceSyncStatusChanged.state;
const sawState = (sub: Subscribed<Changed>, state: string): boolean =>
  sub.events.some((e) => e.data?.commerceSyncStatusChanged.state === state);

async function polls(baseUrl: string): Promise<number> {
  return sampleValue(await (await fetch(`${baseUrl}/metrics`)).text(), 'live_poll_calls_total', { outcome: 'ok' }) ?? 0;
}

describeWithRedis('subscription pollers across the fleet', () => {
  const clock = new TestClock();
  let simulator: CodatSimulator;
  const clients: ReturnType<typeof liveClient>[] = [];
  const client = (baseUrl: string): ReturnType<typeof liveClient> => {
    const c = liveClient(baseUrl);
    clients.push(c);
    return c;
  };
  // In-progress syncs polled every 100 ms; idle ones, by default, not again while a test watches (wakes excepted).
  const config = (redisUrl: string, pollIdleMs: number): Partial<Config> => ({
    redisUrl,
    redisKeyPrefix: PREFIX,
    livePollLeaseMs: LEASE_MS,
    logLevel: 'silent',
    live: liveConfig({ pollActiveMs: 100, pollIdleMs }),
  });
  const instance = (redisUrl: string, pollIdleMs = 60_000): Promise<Harness> =>
    startHarness({ simulator, config: config(redisUrl, pollIdleMs) });

  beforeAll(async () => {
    simulator = await startSimulator({ syncDurationMs: TestClock.SYNC_MS, now: clock.now });
  });
  afterAll(async () => {
    await simulator?.close();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    killEntryProcesses();
  });

  describe('on one Redis', () => {
    let redis: RedisServer;
    let a: Harness;
    let b: Harness;
    beforeAll(async () => {
      redis = await startRedis();
      [a, b] = await Promise.all([instance(redis.url), instance(redis.url)]);
      for (const h of [a, b]) expect(await h.app.fleet.whenRedisUp(5_000)).toBe(true);
    });
    afterAll(async () => {
      await Promise.all([a?.close(), b?.close()]);
      await redis?.stop();
    });

    it('subscribers of one company on both instances cost one poller’s calls, and all see the sync end', async () => {
      const companyId = simulator.addCompany({ state: 'succeeded' });
      const subs = [a, a, b, b].map((h) => subscribe<Changed>(client(h.baseUrl), STATUS_CHANGED, { companyId }));
      await waitFor(() => subs.every((s) => lastState(s) === 'SUCCEEDED'), 'the current status on every subscriber');
      // One poller in the fleet, whichever instance won the lease.
      await waitFor(() => a.app.live.pollers.size() + b.app.live.pollers.size() === 1, 'one poller across both instances');
      const [holder, follower] = a.app.live.pollers.size() === 1 ? [a, b] : [b, a];
      expect(await redis.command('EXISTS', `${PREFIX}default:poll:lease:${companyId}`)).toBe(1);

      // A sync requested through the follower: the holder is woken through Redis, every subscriber sees it.
      const requested = await follower.executeRaw<{ requestSync: { state: string } }>(requestSync(companyId));
      expect(requested.data?.requestSync.state).toBe('IN_PROGRESS');
      await waitFor(() => subs.every((s) => lastState(s) === 'IN_PROGRESS'), 'the sync in progress on every subscriber');
      // Several in-progress polls, all made by the holder.
      const before = statusReads(simulator, companyId);
      await waitFor(() => statusReads(simulator, companyId) >= before + 4, 'a few in-progress polls');
      clock.finishSyncs();
      await waitFor(() => subs.every((s) => lastState(s) === 'SUCCEEDED' && sawState(s, 'IN_PROGRESS')), 'the sync’s end everywhere');

      expect(await polls(follower.baseUrl)).toBe(0);
      expect(await polls(holder.baseUrl)).toBe(statusReads(simulator, companyId));
      expect(follower.app.live.pollers.size()).toBe(0);
      // Every subscriber saw the same states, in the same order.
      const seen = subs.map((s) => s.events.map((e) => e.data?.commerceSyncStatusChanged.state));
      for (const states of seen) expect(states).toEqual(seen[0]);
    });

    it('a follower’s subscriber waiting for its sync quickens the holder: a sync started outside this subgraph shows', async () => {
      const companyId = simulator.addCompany({ state: 'succeeded' });
      const watching = subscribe<Changed>(client(a.baseUrl), STATUS_CHANGED, { companyId });
      await waitFor(() => lastState(watching) === 'SUCCEEDED' && a.app.live.pollers.size() === 1, 'A to poll the company');
      const following = subscribe<Changed>(client(b.baseUrl), STATUS_CHANGED, { companyId });
      await waitFor(() => lastState(following) === 'SUCCEEDED', 'B to hear A’s status');
      // Another client of the same Codat account starts a sync: no mutation of ours wakes any poller.
      const started = await fetch(`${simulator.url}/companies/${companyId}/sync/commerce/latest`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(simulator.apiKey).toString('base64')}`, 'content-type': 'application/json' },
        body: '{}',
      });
      const { commerceSyncId } = (await started.json()) as { commerceSyncId: string };
      // Followed on B: A's idle pace is 60 s, past the 10 s a commerceSyncProgress waits for its sync
      // (LIVE_SYNC_APPEAR_MS, then NOT_FOUND); B's waiting subscriber has A read now and keep the active pace.
      const progress = subscribe<Progress>(client(b.baseUrl), SYNC_PROGRESS, { companyId, commerceSyncId });
      await waitFor(() => progress.events.length > 0, 'the sync to show on B', 20_000);
      expect(progress.events[0]?.errors).toBeUndefined();
      expect(progress.events[0]?.data?.commerceSyncProgress).toMatchObject({ commerceSyncId, state: 'IN_PROGRESS' });
      clock.finishSyncs();
      await progress.ended;
      expect(progress.events.at(-1)?.data?.commerceSyncProgress).toMatchObject({ commerceSyncId, state: 'SUCCEEDED' });
      expect(b.app.live.pollers.size()).toBe(0);
    });

    it('the lease holder’s process killed: the other instance takes over within the lease, and its subscribers miss nothing', async () => {
      const companyId = simulator.addCompany({ state: 'succeeded' });
      // The holder is a separate process (the built entry point), so that it can die without a goodbye.
      const crashing = startEntryProcess({
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: PREFIX,
        LIVE_POLL_LEASE_MS: String(LEASE_MS),
        LIVE_POLL_ACTIVE_MS: '100',
        LIVE_POLL_IDLE_MS: '60000',
        STATUS_CACHE_TTL_MS: '0',
        CODAT_BASE_URL: simulator.url,
        CODAT_API_KEY: simulator.apiKey,
        AUTH_MODE: 'none',
        // Not silent: the start line is the one that says the port.
        LOG_LEVEL: 'warn',
      });
      const crashingUrl = await crashing.ready;
      const first = subscribe<Changed>(client(crashingUrl), STATUS_CHANGED, { companyId });
      await waitFor(() => lastState(first) === 'SUCCEEDED', 'the child’s subscriber to see the status');
      const lease = `${PREFIX}default:poll:lease:${companyId}`;
      // The child polls, so it holds the lease (nobody else follows the company yet).
      expect(await redis.command('EXISTS', lease)).toBe(1);

      const survivor = subscribe<Changed>(client(b.baseUrl), STATUS_CHANGED, { companyId });
      await waitFor(() => lastState(survivor) === 'SUCCEEDED', 'the survivor’s subscriber to get the holder’s status');
      expect(b.app.live.pollers.size()).toBe(0);

      crashing.child.kill('SIGKILL');
      await crashing.exited;
      // The dead holder's lease runs out (it was renewed every LEASE_MS / 3) and the survivor bids for it.
      await waitFor(() => b.app.live.pollers.size() === 1, 'the survivor to take the lease over', 20_000);

      await b.executeRaw(requestSync(companyId));
      await waitFor(() => lastState(survivor) === 'IN_PROGRESS', 'the new sync on the survivor');
      clock.finishSyncs();
      await waitFor(() => lastState(survivor) === 'SUCCEEDED', 'its end on the survivor');
    });

    it('an instance that stops gives its lease up: the other polls at once', async () => {
      const companyId = simulator.addCompany({ state: 'succeeded' });
      const leaving = await instance(redis.url);
      expect(await leaving.app.fleet.whenRedisUp(5_000)).toBe(true);
      subscribe<Changed>(client(leaving.baseUrl), STATUS_CHANGED, { companyId });
      await waitFor(() => leaving.app.live.pollers.size() === 1, 'the new instance to poll');
      const staying = subscribe<Changed>(client(a.baseUrl), STATUS_CHANGED, { companyId });
      await waitFor(() => lastState(staying) === 'SUCCEEDED', 'the status on the staying instance');
      expect(a.app.live.pollers.size()).toBe(0);
      await leaving.close();
      await waitFor(() => a.app.live.pollers.size() === 1, 'the staying instance to take over');
      await a.executeRaw(requestSync(companyId));
      await waitFor(() => lastState(staying) === 'IN_PROGRESS', 'the new sync');
      clock.finishSyncs();
      await waitFor(() => lastState(staying) === 'SUCCEEDED', 'its end');
    });
  });

  it('Redis down: each instance polls for its own subscribers and nobody loses an event; Redis back: one poller again', async () => {
    const redis = await startRedis();
    // Idle polls every 300 ms: without Redis a mutation on A cannot wake B's poller, so B sees the new
    // sync at its next idle poll, as two instances without Redis always did.
    const [a, b] = await Promise.all([instance(redis.url, 300), instance(redis.url, 300)]);
    try {
      for (const h of [a, b]) expect(await h.app.fleet.whenRedisUp(5_000)).toBe(true);
      const companyId = simulator.addCompany({ state: 'succeeded' });
      const subs = [a, b].map((h) => subscribe<Changed>(client(h.baseUrl), STATUS_CHANGED, { companyId }));
      await waitFor(() => subs.every((s) => lastState(s) === 'SUCCEEDED'), 'the status on both');
      await waitFor(() => a.app.live.pollers.size() + b.app.live.pollers.size() === 1, 'one poller');

      await redis.kill();
      await waitFor(() => a.app.fleet.redisUp() === false && b.app.fleet.redisUp() === false, 'both to see Redis gone');
      await waitFor(() => a.app.live.pollers.size() === 1 && b.app.live.pollers.size() === 1, 'each instance to poll for itself');
      // A sync requested on A: B's subscriber sees it through B's own poller.
      await a.executeRaw(requestSync(companyId));
      await waitFor(() => subs.every((s) => lastState(s) === 'IN_PROGRESS'), 'the sync on both');
      clock.finishSyncs();
      await waitFor(() => subs.every((s) => lastState(s) === 'SUCCEEDED' && sawState(s, 'IN_PROGRESS')), 'its end on both');

      await redis.restart();
      for (const h of [a, b]) expect(await h.app.fleet.whenRedisUp(10_000)).toBe(true);
      await waitFor(() => a.app.live.pollers.size() + b.app.live.pollers.size() === 1, 'one poller again', 10_000);
      await b.executeRaw(requestSync(companyId));
      await waitFor(() => subs.every((s) => lastState(s) === 'IN_PROGRESS'), 'the next sync on both');
      clock.finishSyncs();
      await waitFor(() => subs.every((s) => lastState(s) === 'SUCCEEDED'), 'its end on both');
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.dispose()));
      await Promise.all([a.close(), b.close()]);
      await redis.stop();
    }
  });
});
