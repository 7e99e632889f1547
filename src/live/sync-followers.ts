import type * as Codat from '../codat/codat.dto';
import { isFinal } from '../codat/sync-state';
import { clientErrorView, codedError } from '../errors';
import type { PollOutcome } from './poller-registry';

/**
 * What each subscription field makes of its company's poll outcomes: which events to send, and when
 * to finish. Pure (the clock is passed in), so the rules below are tested without a poller.
 */

/** One event for one subscriber: a status (mapped to CommerceSyncStatus by live.resolver.ts) or a typed error. */
export type LiveEvent =
  { kind: 'data'; companyId: string; status: Codat.SyncStatus } | { kind: 'error'; companyId: string; error: unknown };

/** A follower's answer to one outcome. `lookupSyncId`: read that sync by id (get-sync-by-id) and pass the result to `onLookup`. */
export interface FollowStep {
  events: LiveEvent[];
  done?: boolean;
  lookupSyncId?: string;
}

export interface SyncFollower {
  /** True while it waits for a change: its poller keeps the active pace. */
  readonly eager: boolean;
  onPoll(outcome: PollOutcome, nowMs: number): FollowStep;
  /** The result of the get-sync-by-id read a step asked for. */
  onLookup(outcome: { ok: true; sync: Codat.CompanySyncStatus } | { ok: false; error: unknown }, nowMs: number): FollowStep;
}

const NOTHING: FollowStep = Object.freeze({ events: [] });

/** What makes two statuses "the same event": the sync, its code and its syncUtc (README, "Live tracking"). */
function statusKey(s: Codat.SyncStatus): string {
  return [s.commerceSyncId ?? '', s.syncId ?? '', s.syncStatusCode ?? '', s.syncUtc ?? ''].join('|');
}

/** Repeats of one failure are one event: the code a client would see, not the attempt. */
function errorKey(error: unknown): string {
  return `error:${clientErrorView(error).code}`;
}

/**
 * Sends what changed, never the same thing twice in a row. The first outcome is always sent (the
 * current status, or the error that stands in for it); an error after data, data after an error, and
 * a changed status each make an event. It never finishes by itself: the client leaves.
 */
export class StatusFollower implements SyncFollower {
  readonly eager = false;
  private lastKey: string | undefined;

  constructor(private readonly companyId: string) {}

  onPoll(outcome: PollOutcome): FollowStep {
    const key = outcome.ok ? statusKey(outcome.status) : errorKey(outcome.error);
    if (key === this.lastKey) return NOTHING;
    this.lastKey = key;
    return {
      events: [
        outcome.ok
          ? { kind: 'data', companyId: this.companyId, status: outcome.status }
          : { kind: 'error', companyId: this.companyId, error: outcome.error },
      ],
    };
  }

  onLookup(): FollowStep {
    return NOTHING;
  }
}

/**
 * Follows one requested sync to its end. Which sync is "ours": Codat's spec gives `commerceSyncId` (what
 * request-sync and request-sync-for-date-range answer, SyncSummary) and `syncId` no stated relation,
 * its examples show them different, and so does the simulator. Only get-sync-status (SyncStatus) carries
 * both, for the company's latest sync; list-syncs and get-sync-by-id know `syncId` only. So:
 *
 * - awaiting: until a status names our `commerceSyncId` as the latest, nothing is sent (a failed poll
 *   is). If none does within `appearMs`, the stream ends with NOT_FOUND: the id is unknown, or a newer
 *   sync had already replaced it when the subscription started.
 * - latest: ours is the latest; each change is sent, with the `syncId` it pairs with remembered. The
 *   stream ends after the event that shows a final state (2xxx, 4xxx, 5xxx).
 * - superseded: a newer sync became the latest before ours finished. Ours is then read by the `syncId`
 *   learnt above (get-sync-by-id, through the same cache and coalescing) at each poll, sent as a
 *   CommerceSyncStatus with our `commerceSyncId` and the company's current connections, until it is
 *   final. The newer sync is never sent on this stream (commerceSyncStatusChanged shows it).
 */
export class ProgressFollower implements SyncFollower {
  private phase: 'awaiting' | 'latest' | 'superseded' | 'done' = 'awaiting';
  private syncId: string | undefined;
  private connections: Codat.Connection[] | null | undefined;
  private lastKey: string | undefined;
  private readonly ours: string;

  constructor(
    private readonly companyId: string,
    commerceSyncId: string,
    private readonly startedAtMs: number,
    private readonly appearMs: number,
  ) {
    this.ours = commerceSyncId.toLowerCase();
  }

  get eager(): boolean {
    return this.phase === 'awaiting' || this.phase === 'superseded';
  }

  onPoll(outcome: PollOutcome, nowMs: number): FollowStep {
    if (this.phase === 'done') return NOTHING;
    if (!outcome.ok) return this.withDeadline(this.error(outcome.error), nowMs);
    const status = outcome.status;
    if (status.commerceSyncId?.toLowerCase() === this.ours) {
      this.phase = 'latest';
      this.syncId = status.syncId ?? this.syncId;
      return this.sync(status);
    }
    if (this.phase === 'awaiting') return this.withDeadline(NOTHING, nowMs);
    this.phase = 'superseded';
    this.connections = status.dataConnections;
    // Without a syncId (Codat did not send one) ours cannot be looked up: say so and end.
    if (!this.syncId) return this.finish(this.notFound('was replaced by a newer sync before its syncId was known'));
    return { events: [], lookupSyncId: this.syncId };
  }

  onLookup(outcome: { ok: true; sync: Codat.CompanySyncStatus } | { ok: false; error: unknown }): FollowStep {
    if (this.phase !== 'superseded') return NOTHING;
    if (!outcome.ok) return this.error(outcome.error);
    const { sync } = outcome;
    return this.sync({
      companyId: sync.companyId ?? undefined,
      commerceSyncId: this.ours,
      syncId: sync.syncId ?? this.syncId,
      syncStatusCode: sync.syncStatusCode,
      syncStatus: sync.syncStatus,
      errorMessage: sync.errorMessage,
      syncExceptionMessage: sync.syncExceptionMessage,
      syncUtc: sync.syncUtc,
      dataPushed: sync.dataPushed,
      dataConnections: this.connections,
    });
  }

  private sync(status: Codat.SyncStatus): FollowStep {
    const key = statusKey(status);
    const events: LiveEvent[] = key === this.lastKey ? [] : [{ kind: 'data', companyId: this.companyId, status }];
    this.lastKey = key;
    if (isFinal(status.syncStatusCode)) {
      this.phase = 'done';
      return { events, done: true };
    }
    return { events };
  }

  private error(error: unknown): FollowStep {
    const key = errorKey(error);
    if (key === this.lastKey) return NOTHING;
    this.lastKey = key;
    return { events: [{ kind: 'error', companyId: this.companyId, error }] };
  }

  /** While awaiting, past `appearMs` the stream ends with NOT_FOUND after whatever `step` sends. */
  private withDeadline(step: FollowStep, nowMs: number): FollowStep {
    if (this.phase !== 'awaiting' || nowMs - this.startedAtMs < this.appearMs) return step;
    const seconds = Math.round(this.appearMs / 100) / 10;
    const ended = this.finish(this.notFound(`did not show as the company's latest sync within ${seconds} s`));
    return { events: [...step.events, ...ended.events], done: true };
  }

  private finish(error: unknown): FollowStep {
    this.phase = 'done';
    return { events: [{ kind: 'error', companyId: this.companyId, error }], done: true };
  }

  private notFound(why: string): unknown {
    return codedError(
      'NOT_FOUND',
      `Commerce sync ${this.ours} of company ${this.companyId} ${why}: it is unknown, or a newer sync replaced it before this subscription began. commerceSyncStatusChanged follows whatever the company's latest sync is.`,
      { commerceSyncId: this.ours },
    );
  }
}
