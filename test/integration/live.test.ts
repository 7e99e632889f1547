import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { useHarness } from '../support/harness';
import { liveClient, liveConfig, subscribe, STATUS_CHANGED, SYNC_PROGRESS, type StatusEvent } from '../support/live-client';
import { waitFor } from '../support/wait';

const REQUEST_SYNC = `mutation { requestSync(companyId: "${SEEDED_COMPANY_IDS.succeeded}") { commerceSyncId state } }`;

describe('live sync tracking over graphql-ws', () => {
  const h = useHarness({
    simulator: { syncDurationMs: 600 },
    config: { live: liveConfig({ pollActiveMs: 100, pollIdleMs: 60_000 }) },
  });

  it('shows a requested sync moving from IN_PROGRESS to SUCCEEDED, and commerceSyncProgress completes on its own', async () => {
    const client = liveClient(h.baseUrl);
    try {
      const changes = subscribe<{ commerceSyncStatusChanged: StatusEvent }>(client, STATUS_CHANGED, { companyId: SEEDED_COMPANY_IDS.succeeded });
      await waitFor(() => changes.events.length === 1, 'the current status');
      expect(changes.events[0]?.data?.commerceSyncStatusChanged).toMatchObject({ state: 'SUCCEEDED', syncStatusCode: 2000 });

      const requested = await h.executeRaw<{ requestSync: { commerceSyncId: string; state: string } }>(REQUEST_SYNC);
      const commerceSyncId = requested.data?.requestSync.commerceSyncId;
      expect(requested.data?.requestSync.state).toBe('IN_PROGRESS');
      const progress = subscribe<{ commerceSyncProgress: StatusEvent }>(client, SYNC_PROGRESS, { companyId: SEEDED_COMPANY_IDS.succeeded, commerceSyncId });
      await progress.ended;
      expect(progress.completed).toBe(true);
      const states = progress.events.map((e) => e.data?.commerceSyncProgress.state);
      expect(states[0]).toBe('IN_PROGRESS');
      expect(states.at(-1)).toBe('SUCCEEDED');
      for (const e of progress.events) expect(e.data?.commerceSyncProgress.commerceSyncId).toBe(commerceSyncId);

      await waitFor(() => changes.events.some((e) => e.data?.commerceSyncStatusChanged.state === 'SUCCEEDED' && e.data.commerceSyncStatusChanged.commerceSyncId === commerceSyncId), 'the new sync succeeding');
      const seen = changes.events.map((e) => `${e.data?.commerceSyncStatusChanged.commerceSyncId === commerceSyncId ? 'new' : 'old'}:${e.data?.commerceSyncStatusChanged.state}`);
      expect(seen).toEqual(['old:SUCCEEDED', 'new:IN_PROGRESS', 'new:SUCCEEDED']);
      changes.unsubscribe();
    } finally {
      await client.dispose();
    }
  });
});
