/**
 * What Codat's numeric `syncStatusCode` means, in one place: the GraphQL mapper (SyncState), the
 * cross-request cache (how long an answer stays fresh) and the cache hints all read it from here.
 * Codat documents the families on its Sync for Commerce troubleshooting page; the spec only says
 * "Status code of the sync" (`CompanySyncStatus.syncStatusCode`), with 2000 and 2040 as examples.
 *
 * - 0: no sync has started yet. The spec lists "NotStarted" among `CompanySyncStatus.syncStatus`'s texts
 *   without giving its code; Codat's codes of real syncs all start at 1000, and get-sync-status answers a
 *   company that never synced with code 0 "NotStarted" (as our simulator does, src/simulator/simulator.store.ts).
 * - 1000-1999: queued or running (1000 "Started"/"Pushing", 1010 long-running)
 * - 2000-2999: finished successfully (2000 data pushed, 2040 nothing to push)
 * - 4000-5999: finished with an error (4xxx configuration or authorization, 5xxx processing or push)
 * - anything else: a code we do not know (Codat may add families)
 */
export type SyncPhase = 'not-started' | 'in-progress' | 'succeeded' | 'failed' | 'unknown';

/** The code of "no sync yet" (see above). */
export const NOT_STARTED_CODE = 0;

export function syncPhase(code: number | undefined): SyncPhase {
  if (code === undefined) return 'unknown';
  if (code === NOT_STARTED_CODE) return 'not-started';
  if (code >= 1000 && code < 2000) return 'in-progress';
  if (code >= 2000 && code < 3000) return 'succeeded';
  if (code >= 4000 && code < 6000) return 'failed';
  return 'unknown';
}

export function isInProgress(code: number | undefined): boolean {
  return syncPhase(code) === 'in-progress';
}

/** A sync that reached a final code (succeeded or failed) never changes again. */
export function isFinal(code: number | undefined): boolean {
  const phase = syncPhase(code);
  return phase === 'succeeded' || phase === 'failed';
}

/** How long answers may be reused, by what they show (STATUS_CACHE_TTL_MS and its derived bounds, config.ts). */
export interface Freshness {
  /** An answer that can still change (the latest status, the list of syncs). */
  statusTtlMs: number;
  /** An answer showing a sync in progress: it changes soonest. At most `statusTtlMs`. */
  inProgressTtlMs: number;
  /** A single sync, fetched by id, in a final state. */
  finishedSyncTtlMs: number;
}

/**
 * How an answer ages. `current`: the latest status, the list, the latest or last successful sync; any new
 * sync changes them. `one-sync`: one sync named by its id (get-sync-by-id), which cannot change once final.
 */
export type AnswerKind = 'current' | 'one-sync';

/**
 * How long an answer holding syncs with these codes may be reused: the shortest rule that applies. A
 * `statusTtlMs` of 0 turns reuse off for every answer.
 */
export function freshnessMs(codes: readonly (number | undefined)[], freshness: Freshness, kind: AnswerKind = 'current'): number {
  if (freshness.statusTtlMs <= 0) return 0;
  if (kind === 'one-sync' && codes.length > 0 && codes.every(isFinal)) return freshness.finishedSyncTtlMs;
  return codes.some(isInProgress) ? Math.min(freshness.inProgressTtlMs, freshness.statusTtlMs) : freshness.statusTtlMs;
}

/** The codes an answer shows: one sync's, or each of a list's. */
export function codesOf(answer: { syncStatusCode?: number } | readonly { syncStatusCode?: number }[]): (number | undefined)[] {
  return Array.isArray(answer) ? answer.map((sync) => sync.syncStatusCode) : [(answer as { syncStatusCode?: number }).syncStatusCode];
}
