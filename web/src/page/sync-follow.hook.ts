// Follows one requested sync to its end, for the row that requested it. Today by polling
// `commerceSyncStatus` (FOLLOW_SYNC) every second, the shortest time the subgraph lets an in-progress
// status be cached; the answers land in Apollo's cache under the company (apollo-client.ts), so the
// row shows each step without a reload.
// This is the one place that knows how a sync is followed: when the `commerceSyncProgress`
// subscription (graphql-ws on /graphql) is available, replace the polling loop below with
// `useSubscription(commerceSyncProgress(companyId, commerceSyncId))` writing the same fragment
// (SyncStatusFields), and keep the returned `SyncFollow` as it is: the rows need no change.
import { useApolloClient } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';

import { subgraphErrors } from './apollo-errors';
import type { SubgraphError } from './error-words';
import { FOLLOW_SYNC } from './operations';

/** One second: the in-progress cache hint (README, "Federation"), so a poll never reads a stale answer twice. */
export const FOLLOW_POLL_MS = 1_000;
/** After this long, stop and say so: Codat's syncs take minutes, not hours. */
export const FOLLOW_LIMIT_MS = 15 * 60_000;
/** While polls fail, each waits twice as long as the last, up to this: an outage is not hammered. */
export const FOLLOW_MAX_WAIT_MS = 30_000;

export type SyncFollow =
  | { phase: 'idle' }
  /** Polling; `error` is the last poll's failure, if it failed (the loop goes on). */
  | { phase: 'following'; error?: SubgraphError }
  | { phase: 'done'; state: string }
  | { phase: 'gave-up' };

/**
 * Follows `commerceSyncId` of `companyId` until its status is final; `onSettled` runs once then (the
 * page refetches the row's other fields). Nothing runs while `commerceSyncId` is undefined.
 */
export function useSyncFollow(companyId: string, commerceSyncId: string | undefined, onSettled: (state: string) => void): SyncFollow {
  const client = useApolloClient();
  // What the loop last learnt, and for which sync: a new sync starts as 'following' until it says more.
  const [follow, setFollowOf] = useState<{ syncId: string; value: SyncFollow } | undefined>();
  const settled = useRef(onSettled);
  useEffect(() => {
    settled.current = onSettled;
  }, [onSettled]);

  useEffect(() => {
    if (!commerceSyncId) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const started = Date.now();
    let failuresInARow = 0;
    const setFollow = (value: SyncFollow): void => setFollowOf({ syncId: commerceSyncId, value });

    const poll = async (): Promise<void> => {
      const { data, error } = await client.query({
        query: FOLLOW_SYNC,
        variables: { companyId },
        fetchPolicy: 'network-only',
        errorPolicy: 'all',
      });
      if (cancelled) return;
      const status = data?.commerceSyncStatus;
      if (status && status.commerceSyncId === commerceSyncId && status.state !== 'IN_PROGRESS') {
        setFollow({ phase: 'done', state: status.state });
        settled.current(status.state);
        return;
      }
      const [failure] = subgraphErrors(error);
      setFollow(failure ? { phase: 'following', error: failure } : { phase: 'following' });
      if (Date.now() - started > FOLLOW_LIMIT_MS) {
        setFollow({ phase: 'gave-up' });
        return;
      }
      failuresInARow = failure ? failuresInARow + 1 : 0;
      // Codat said when to come back: do not spend the company's quota before then.
      const retryAfter = failure?.extensions?.retryAfterSeconds;
      const backoff = Math.min(FOLLOW_MAX_WAIT_MS, FOLLOW_POLL_MS * 2 ** failuresInARow);
      const wait = typeof retryAfter === 'number' ? Math.max(backoff, retryAfter * 1000) : backoff;
      timer = setTimeout(() => void poll(), wait);
    };
    void poll();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [client, companyId, commerceSyncId]);

  if (!commerceSyncId) return { phase: 'idle' };
  return follow?.syncId === commerceSyncId ? follow.value : { phase: 'following' };
}
