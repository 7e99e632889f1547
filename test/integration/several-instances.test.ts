import { CommerceSyncStatusDocument, RequestSyncDocument, RequestSyncOnceDocument } from '../__generated__/operations';
import type { Config } from '../../src/config';
import type { UpstreamError } from '../../src/codat/codat.errors';
import { SEEDED_COMPANY_IDS, type CodatSimulator } from '../../src/simulator';
import { startHarness, startSimulator, type Harness } from '../support/harness';
import { captureLogs, sampleValue } from '../support/observability';
import { describeWithRedis, freePort, startRedis, type RedisServer } from '../support/redis';
import { waitFor } from '../support/wait';

// Two server instances on one real Redis (REDIS_URL) and one simulator: what the fleet shares
// (src/shared-state/), and what happens when Redis goes away and comes back. Each instance is the
// whole app (createApp), reached over HTTP.

const statusGets = (simulator: CodatSimulator, companyId?: string): number =>
  simulator.requests().filter((r) => r.operationId === 'get-sync-status' && (!companyId || r.companyId === companyId)).length;
const posts = (simulator: CodatSimulator): number => simulator.requests().filter((r) => r.method === 'POST').length;

interface Fleet {
  simulator: CodatSimulator;
  a: Harness;
  b: Harness;
  logs: [ReturnType<typeof captureLogs>, ReturnType<typeof captureLogs>];
  close(): Promise<void>;
}

async function startFleet(redisUrl: string, config: Partial<Config> = {}): Promise<Fleet> {
  const simulator = await startSimulator({ syncDurationMs: 60_000 });
  const logs = [captureLogs(), captureLogs()] as const;
  const start = (i: 0 | 1) =>
    startHarness({
      simulator,
      config: { redisUrl, logLevel: 'warn', ...config },
      app: { logDestination: logs[i].destination },
    });
  const [a, b] = await Promise.all([start(0), start(1)]);
  for (const instance of [a, b]) expect(await instance.app.fleet.whenRedisUp(5_000)).toBe(true);
  return {
    simulator,
    a,
    b,
    logs: [logs[0], logs[1]],
    async close() {
      await Promise.all([a.close(), b.close()]);
      await simulator.close();
    },
  };
}

function logEvents(log: ReturnType<typeof captureLogs>, event: string): Record<string, unknown>[] {
  return log.lines().filter((line) => line.event === event);
}

describeWithRedis('several instances on one Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  describe('sharing', () => {
    let fleet: Fleet;
    beforeAll(async () => {
      fleet = await startFleet(redis.url, { redisKeyPrefix: 'fleet-test:' });
    });
    afterAll(async () => {
      await fleet?.close();
    });
    beforeEach(() => {
      fleet.simulator.clearBehaviours();
      fleet.simulator.clearLog();
    });

    it('200 concurrent identical status reads split across both instances cost one upstream call', async () => {
      const { simulator, a, b } = fleet;
      const companyId = simulator.addCompany({ state: 'succeeded' });
      const gate = simulator.hold(companyId, { operationId: 'get-sync-status', times: 1 });
      const pending = Promise.all(
        Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).execute(CommerceSyncStatusDocument, { companyId })),
      );
      // Each instance: one read of its own, 99 joined to it locally; one of the two waits on the other's.
      await waitFor(
        () =>
          a.cache.stats().coalesced + b.cache.stats().coalesced >= 198 &&
          a.app.shared.flights!.waiting() + b.app.shared.flights!.waiting() === 1,
        'both instances to join one read',
      );
      gate.release();
      const answers = await pending;
      for (const res of answers) expect(res.data?.commerceSyncStatus?.state).toBe('SUCCEEDED');
      expect(statusGets(simulator, companyId)).toBe(1);
      expect(a.cache.stats().fleetCoalesced + b.cache.stats().fleetCoalesced).toBe(1);
    });

    it('a requestSync on instance A makes instance B’s next read go upstream', async () => {
      const cached = await startFleet(redis.url, { statusCacheTtlMs: 60_000, redisKeyPrefix: 'fleet-cache:' });
      try {
        const { simulator, a, b } = cached;
        const companyId = simulator.addCompany({ state: 'succeeded' });
        expect((await b.execute(CommerceSyncStatusDocument, { companyId })).data?.commerceSyncStatus?.state).toBe('SUCCEEDED');
        // A answers from what B stored: still one call.
        expect((await a.execute(CommerceSyncStatusDocument, { companyId })).data?.commerceSyncStatus?.state).toBe('SUCCEEDED');
        expect(statusGets(simulator, companyId)).toBe(1);
        expect(a.cache.stats().hits).toBe(1);

        expect((await a.execute(RequestSyncDocument, { companyId })).data?.requestSync?.state).toBe('IN_PROGRESS');
        const after = await b.execute(CommerceSyncStatusDocument, { companyId });
        expect(after.data?.commerceSyncStatus?.state).toBe('IN_PROGRESS');
        expect(statusGets(simulator, companyId)).toBe(2);
      } finally {
        await cached.close();
      }
    });

    it('the same idempotency key sent to both at once costs one POST, and both get the same commerceSyncId', async () => {
      const { simulator, a, b } = fleet;
      const companyId = simulator.addCompany({ state: 'succeeded' });
      const gate = simulator.hold(companyId, { operationId: 'request-sync', times: 1 });
      const both = Promise.all([
        a.execute(RequestSyncOnceDocument, { companyId, idempotencyKey: 'fleet-key' }),
        b.execute(RequestSyncOnceDocument, { companyId, idempotencyKey: 'fleet-key' }),
      ]);
      await waitFor(() => simulator.inFlight() === 1, 'the one POST in flight');
      gate.release();
      const [fromA, fromB] = await both;
      expect(fromA.errors).toBeUndefined();
      expect(fromB.errors).toBeUndefined();
      expect(fromA.data?.requestSync?.commerceSyncId).toEqual(expect.any(String));
      expect(fromB.data?.requestSync?.commerceSyncId).toBe(fromA.data?.requestSync?.commerceSyncId);
      expect(posts(simulator)).toBe(1);
      // And a later repeat on either is answered from the record.
      const later = await b.execute(RequestSyncOnceDocument, { companyId, idempotencyKey: 'fleet-key' });
      expect(later.data).toEqual(fromA.data);
      expect(posts(simulator)).toBe(1);
    });

    it('keeps 10 in flight for one company across the fleet, not 10 per instance', async () => {
      const { simulator, a, b } = fleet;
      const companyId = simulator.addCompany({ state: 'succeeded' });
      const gate = simulator.hold(companyId, { operationId: 'get-sync-by-id', times: 30 });
      const reads = [a, b].flatMap((instance) =>
        Array.from({ length: 15 }, () => instance.cache.getSyncById(companyId, crypto.randomUUID()).catch(() => 'not found')),
      );
      await waitFor(() => simulator.inFlight() === 10, '10 reads in flight');
      gate.release();
      await Promise.all(reads);
      const byId = simulator.requests().filter((r) => r.operationId === 'get-sync-by-id');
      expect(byId).toHaveLength(30);
      expect(byId.filter((r) => r.status === 429)).toEqual([]);
      expect(simulator.peakConcurrency(companyId)).toBe(10);
    });

    it('ends a wait for a fleet slot when the instance stops: nothing is sent, and the stop does not wait for the slot', async () => {
      const { simulator, a } = fleet;
      const companyId = simulator.addCompany({ state: 'succeeded' });
      const gate = simulator.hold(companyId, { operationId: 'get-sync-by-id', times: 10 });
      const holding = Array.from({ length: 10 }, () => a.cache.getSyncById(companyId, crypto.randomUUID()).catch(() => 'not found'));
      await waitFor(() => simulator.inFlight() === 10, "the fleet's 10 slots taken");
      // A third instance on the same Redis, whose read can only wait for one of those slots.
      const c = await startHarness({ simulator, config: { redisUrl: redis.url, redisKeyPrefix: 'fleet-test:', logLevel: 'warn' } });
      try {
        expect(await c.app.fleet.whenRedisUp(5_000)).toBe(true);
        const waiting = c.cache.getSyncById(companyId, crypto.randomUUID()).then(
          () => undefined,
          (error: unknown) => error,
        );
        await new Promise((resolve) => setTimeout(resolve, 100));
        await c.close();
        // Stopped while the 10 reads holding the slots are still on the wire: it did not wait for one to free.
        expect(simulator.inFlight()).toBe(10);
        expect(((await waiting) as UpstreamError).details).toMatchObject({
          networkCode: 'CLIENT_CLOSED',
          mayHaveReachedUpstream: false,
          attempts: 0,
        });
        expect(simulator.requests().filter((r) => r.operationId === 'get-sync-by-id')).toHaveLength(10);
      } finally {
        await c.close();
        gate.release();
        await Promise.all(holding);
      }
    });

    it('keeps every key under REDIS_KEY_PREFIX, one namespace per structure', async () => {
      const keys = (await redis.command('KEYS', '*')) as string[];
      expect(keys.length).toBeGreaterThan(0);
      const fleetKeys = keys.filter((key) => key.startsWith('fleet-test:'));
      expect(fleetKeys.length).toBeGreaterThan(0);
      for (const key of keys) expect(key).toMatch(/^fleet-(test|cache):default:(cache|flight|slots|idem):/);
    });

    it('reports Redis in /readyz and redis_up', async () => {
      const ready = await fetch(`${fleet.a.baseUrl}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', redis: { up: true, shared: 'redis' } });
      const text = await (await fetch(`${fleet.a.baseUrl}/metrics`)).text();
      expect(sampleValue(text, 'redis_up')).toBe(1);
    });
  });

  it('loses no request and sends no mutation twice when Redis is killed mid-test; restarting it restores sharing', async () => {
    const own = await startRedis();
    const fleet = await startFleet(own.url, { statusCacheTtlMs: 60_000, codatTimeoutMs: 5_000 });
    const { simulator, a, b } = fleet;
    try {
      const read = simulator.addCompany({ state: 'succeeded' });
      const written = simulator.addCompany({ state: 'succeeded' });
      // In flight while Redis dies: a read on each instance, and a sync request with a key on A.
      const gate = simulator.hold('*', { times: 3 });
      const inFlight = Promise.all([
        a.execute(CommerceSyncStatusDocument, { companyId: read }),
        b.execute(CommerceSyncStatusDocument, { companyId: SEEDED_COMPANY_IDS.failed }),
        a.execute(RequestSyncOnceDocument, { companyId: written, idempotencyKey: 'through-the-crash' }),
      ]);
      await waitFor(() => simulator.inFlight() === 3, 'three requests in flight');
      await own.kill();
      await waitFor(() => a.app.fleet.redisUp() === false && b.app.fleet.redisUp() === false, 'both instances to see Redis gone');
      gate.release();
      const [first, second, sync] = await inFlight;
      expect(first.errors).toBeUndefined();
      expect(second.errors).toBeUndefined();
      expect(sync.errors).toBeUndefined();
      expect(first.data?.commerceSyncStatus?.state).toBe('SUCCEEDED');
      const syncId = sync.data?.requestSync?.commerceSyncId;
      expect(syncId).toEqual(expect.any(String));

      // Without Redis: every instance answers from its own structures, with no client error.
      const repeat = await a.execute(RequestSyncOnceDocument, { companyId: written, idempotencyKey: 'through-the-crash' });
      expect(repeat.data?.requestSync?.commerceSyncId).toBe(syncId);
      expect(posts(simulator)).toBe(1);
      const other = simulator.addCompany({ state: 'failed' });
      for (const instance of [a, b]) {
        const res = await instance.execute(CommerceSyncStatusDocument, { companyId: other });
        expect(res.errors).toBeUndefined();
      }
      const ready = await fetch(`${a.baseUrl}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', redis: { up: false, shared: 'local' } });
      expect(sampleValue(await (await fetch(`${b.baseUrl}/metrics`)).text(), 'redis_up')).toBe(0);

      // Back: sharing resumes (B reads, A is answered from what B stored).
      await own.restart();
      for (const instance of [a, b]) expect(await instance.app.fleet.whenRedisUp(10_000)).toBe(true);
      const shared = simulator.addCompany({ state: 'succeeded' });
      simulator.clearLog();
      await b.execute(CommerceSyncStatusDocument, { companyId: shared });
      await a.execute(CommerceSyncStatusDocument, { companyId: shared });
      expect(statusGets(simulator, shared)).toBe(1);
      const key = await Promise.all([
        a.execute(RequestSyncOnceDocument, { companyId: shared, idempotencyKey: 'after-restart' }),
        b.execute(RequestSyncOnceDocument, { companyId: shared, idempotencyKey: 'after-restart' }),
      ]);
      expect(key[1].data?.requestSync?.commerceSyncId).toBe(key[0].data?.requestSync?.commerceSyncId);
      expect(posts(simulator)).toBe(1);

      // One warning when Redis went, one line when it came back, per instance; and nothing else went wrong.
      for (const log of fleet.logs) {
        expect(logEvents(log, 'redis.down')).toHaveLength(1);
        expect(logEvents(log, 'redis.down')[0]).toMatchObject({ level: 'warn' });
        expect(log.lines().filter((line) => line.level === 'error')).toEqual([]);
      }
    } finally {
      await fleet.close();
      await own.stop();
    }
  });

  it('starts and answers when Redis cannot be reached, with one warning and readiness intact', async () => {
    const port = await freePort();
    const logs = captureLogs();
    const h = await startHarness({
      config: { redisUrl: `redis://127.0.0.1:${port}`, logLevel: 'warn' },
      app: { logDestination: logs.destination },
    });
    try {
      const res = await h.execute(CommerceSyncStatusDocument, { companyId: SEEDED_COMPANY_IDS.succeeded });
      expect(res.errors).toBeUndefined();
      const sync = await h.execute(RequestSyncOnceDocument, { companyId: SEEDED_COMPANY_IDS.succeeded, idempotencyKey: 'no-redis' });
      const again = await h.execute(RequestSyncOnceDocument, { companyId: SEEDED_COMPANY_IDS.succeeded, idempotencyKey: 'no-redis' });
      expect(again.data).toEqual(sync.data);
      expect(h.simulator.requests().filter((r) => r.method === 'POST')).toHaveLength(1);
      const ready = await fetch(`${h.baseUrl}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ redis: { up: false } });
      await waitFor(() => logEvents(logs, 'redis.down').length > 0, 'the warning');
      expect(logEvents(logs, 'redis.down')).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('never writes the Redis password to a log line', async () => {
    const password = 'redis-secret-7f3e9a';
    const guarded = await startRedis({ password });
    const logs = captureLogs();
    const wrong = guarded.url.replace(encodeURIComponent(password), 'not-the-password-1b2c');
    const right = await startHarness({ config: { redisUrl: guarded.url, logLevel: 'trace' }, app: { logDestination: logs.destination } });
    const refused = await startHarness({ config: { redisUrl: wrong, logLevel: 'trace' }, app: { logDestination: logs.destination } });
    try {
      expect(await right.app.fleet.whenRedisUp(5_000)).toBe(true);
      await right.execute(CommerceSyncStatusDocument, { companyId: SEEDED_COMPANY_IDS.succeeded });
      await waitFor(() => logEvents(logs, 'redis.down').length > 0, 'the refused instance to warn');
      expect(refused.app.fleet.redisUp()).toBe(false);
      expect((await refused.execute(CommerceSyncStatusDocument, { companyId: SEEDED_COMPANY_IDS.failed })).errors).toBeUndefined();
      await guarded.kill();
      await waitFor(() => right.app.fleet.redisUp() === false, 'Redis to be gone');
      const all = logs.raw.join('');
      expect(all).not.toContain(password);
      expect(all).not.toContain('not-the-password-1b2c');
    } finally {
      await right.close();
      await refused.close();
      await guarded.stop();
    }
  });
});
