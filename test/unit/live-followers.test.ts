import type * as Codat from '../../src/codat/codat.dto';
import { UpstreamError } from '../../src/codat/codat.errors';
import { ProgressFollower, StatusFollower, type LiveEvent } from '../../src/live/sync-followers';

const COMPANY = '3f1c2a9e-7b4d-4e8a-9c1f-5a2b6d8e0f11';
const OURS = 'aaaaaaaa-0000-4000-8000-000000000001';
const NEWER = 'bbbbbbbb-0000-4000-8000-000000000002';

const status = (
  commerceSyncId: string,
  syncId: string,
  code: number,
  syncUtc = '2026-06-01T00:00:00Z',
): { ok: true; status: Codat.SyncStatus } => ({
  ok: true,
  status: { companyId: COMPANY, commerceSyncId, syncId, syncStatusCode: code, syncUtc, dataConnections: [] },
});
const failure = (status: number) => ({
  ok: false as const,
  error: new UpstreamError({ kind: 'http', operation: 'get-sync-status', method: 'GET', path: '/x', status }),
});
const describeEvents = (events: LiveEvent[]): string[] =>
  events.map((e) =>
    e.kind === 'data'
      ? `${e.status.commerceSyncId?.slice(0, 1)}:${e.status.syncStatusCode}`
      : `error:${(e.error as { status?: number }).status ?? 'coded'}`,
  );

describe('StatusFollower (commerceSyncStatusChanged)', () => {
  it('sends the first outcome, then only changes: a new sync, a new code, a new syncUtc, an error and the recovery after it', () => {
    const f = new StatusFollower(COMPANY);
    const outcomes = [
      status(OURS, 's1', 2000),
      status(OURS, 's1', 2000),
      status(NEWER, 's2', 1000),
      status(NEWER, 's2', 1000, '2026-06-01T00:00:01Z'),
      failure(500),
      failure(503),
      failure(404),
      status(NEWER, 's2', 1000, '2026-06-01T00:00:01Z'),
      status(NEWER, 's2', 2000, '2026-06-01T00:00:01Z'),
    ];
    const sent = outcomes.flatMap((o) => describeEvents(f.onPoll(o).events));
    // 500 and 503 are one failure (UPSTREAM_UNAVAILABLE); 404 (NOT_FOUND) is another.
    expect(sent).toEqual(['a:2000', 'b:1000', 'b:1000', 'error:500', 'error:404', 'b:1000', 'b:2000']);
    expect(f.eager).toBe(false);
  });
});

describe('ProgressFollower (commerceSyncProgress)', () => {
  it('waits (eagerly) for its sync to show, sends its changes, and is done at the first final state', () => {
    const f = new ProgressFollower(COMPANY, OURS.toUpperCase(), 0, 10_000);
    expect(f.onPoll(status(NEWER, 's0', 2000), 100)).toEqual({ events: [] });
    expect(f.eager).toBe(true);
    expect(describeEvents(f.onPoll(status(OURS, 's1', 1000), 200).events)).toEqual(['a:1000']);
    expect(f.eager).toBe(false);
    expect(f.onPoll(status(OURS, 's1', 1000), 300).events).toEqual([]);
    const last = f.onPoll(status(OURS, 's1', 5130), 400);
    expect(describeEvents(last.events)).toEqual(['a:5130']);
    expect(last.done).toBe(true);
    expect(f.onPoll(status(OURS, 's1', 5130), 500)).toEqual({ events: [] });
  });

  it('ends with NOT_FOUND when its sync never shows as the latest within the wait', () => {
    const f = new ProgressFollower(COMPANY, OURS, 0, 1_000);
    expect(f.onPoll(status(NEWER, 's0', 2000), 999).done).toBeUndefined();
    const step = f.onPoll(failure(500), 1_000);
    expect(step.done).toBe(true);
    expect(
      step.events.map((e) =>
        e.kind === 'error' ? ((e.error as { extensions?: { code?: string } }).extensions?.code ?? 'upstream') : 'data',
      ),
    ).toEqual(['upstream', 'NOT_FOUND']);
  });

  it('once superseded, asks for its sync by syncId at each poll and is done when that is final, keeping its commerceSyncId', () => {
    const f = new ProgressFollower(COMPANY, OURS, 0, 1_000);
    f.onPoll(status(OURS, 's1', 1000), 10);
    const superseded = f.onPoll(status(NEWER, 's2', 5080), 20);
    expect(superseded).toEqual({ events: [], lookupSyncId: 's1' });
    expect(f.eager).toBe(true);
    expect(f.onLookup({ ok: true, sync: { syncId: 's1', syncStatusCode: 1000, syncUtc: '2026-06-01T00:00:00Z' } }).events).toEqual([]);
    const final = f.onLookup({ ok: true, sync: { syncId: 's1', syncStatusCode: 2000, syncUtc: '2026-06-01T00:00:00Z' } });
    expect(final.done).toBe(true);
    expect(final.events).toEqual([
      {
        kind: 'data',
        companyId: COMPANY,
        status: expect.objectContaining({ commerceSyncId: OURS, syncId: 's1', syncStatusCode: 2000, dataConnections: [] }),
      },
    ]);
  });
});
