import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { killEntryProcesses, startEntryProcess } from '../support/entry-process';
import { FakeRouter, subscribeByCallback } from '../support/fake-router';
import { liveClient, readEvents, subscribe, STATUS_CHANGED, SYNC_PROGRESS } from '../support/live-client';
import { waitFor } from '../support/wait';

describe('graceful shutdown with open subscriptions (the built entry point)', () => {
  afterEach(killEntryProcesses);

  const router = new FakeRouter();
  beforeAll(() => router.start());
  afterAll(() => router.close());

  it('on SIGTERM completes every open subscription (WebSocket, SSE, the router callback), then exits 0', async () => {
    const proc = startEntryProcess({ LOG_LEVEL: 'info', LIVE_POLL_ACTIVE_MS: '200' });
    const base = await proc.ready;
    const ws = liveClient(base);
    try {
      const callback = await subscribeByCallback(`${base}/graphql`, router, 'at-shutdown', STATUS_CHANGED, {
        companyId: SEEDED_COMPANY_IDS.multiConnection,
      });
      expect(callback.status).toBe(200);
      const overWs = [SEEDED_COMPANY_IDS.succeeded, SEEDED_COMPANY_IDS.inProgress].map((companyId) =>
        subscribe(ws, STATUS_CHANGED, { companyId }),
      );
      // Lumen's sync never finishes: this progress stream would run for ever.
      const requested = (await (
        await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: `{ commerceSyncStatus(companyId: "${SEEDED_COMPANY_IDS.inProgress}") { commerceSyncId } }` }),
        })
      ).json()) as { data: { commerceSyncStatus: { commerceSyncId: string } } };
      const progress = subscribe(ws, SYNC_PROGRESS, {
        companyId: SEEDED_COMPANY_IDS.inProgress,
        commerceSyncId: requested.data.commerceSyncStatus.commerceSyncId,
      });
      const sse = readEvents(
        await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
          body: JSON.stringify({ query: STATUS_CHANGED, variables: { companyId: SEEDED_COMPANY_IDS.failed } }),
        }),
      );
      await waitFor(
        () =>
          [...overWs, progress].every((s) => s.events.length >= 1) &&
          sse.events.length >= 1 &&
          router.of('at-shutdown', 'next').length >= 1,
        "every subscription's first event",
      );

      proc.child.kill('SIGTERM');
      const code = await proc.exited;
      if (code !== 0) console.log(proc.output().stdout.slice(-3000), proc.output().stderr);
      expect(code).toBe(0);
      await Promise.all([...overWs, progress].map((s) => s.ended));
      for (const s of [...overWs, progress]) expect(s.completed).toBe(true);
      await sse.done;
      expect(sse.events.at(-1)?.event).toBe('complete');
      expect(router.of('at-shutdown', 'complete')).toHaveLength(1);
      const events = proc.logLines().map((l) => l.event);
      expect(events).toContain('shutdown.done');
      expect(events).not.toContain('shutdown.forced');
    } finally {
      await ws.dispose();
    }
  });
});
