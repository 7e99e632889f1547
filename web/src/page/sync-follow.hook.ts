// Follows one requested sync to its end, for the row that requested it: the one place that knows how.
// First choice, the `commerceSyncProgress` subscription (graphql-ws on /graphql; one client per page,
// web/src/shared/live-client.ts): the server's one poller per company pushes each change, and the
// stream completes when the sync is final. Each event is written into Apollo's cache as the company's
// status (SyncStatusFields, keyed by companyId in apollo-client.ts), so the row shows it without a
// reload. Should the WebSocket fail (a proxy that refuses upgrades, a server without subscriptions),
// the hook falls back to polling `commerceSyncStatus` (FOLLOW_SYNC), writing the same cache entry.
import type { ApolloClient } from '@apollo/client';
import { useApolloClient } from '@apollo/client/react';
import { print } from 'graphql';
import type { Client } from 'graphql-ws';
import { useEffect, useRef, useState } from 'react';

import type { SyncStatusFieldsFragment } from '../__generated__/graphql';
import { subgraphErrors } from './apollo-errors';
import { useLiveClient } from './live-context';
import type { SubgraphError } from './error-words';
import { FOLLOW_SYNC, SYNC_PROGRESS, SYNC_STATUS_FIELDS } from './operations';

/** One second: the in-progress cache hint (README, "Federation"), so a poll never reads a stale answer twice. */
export const FOLLOW_POLL_MS = 1_000;
/** After this long, stop and say so: Codat's syncs take minutes, not hours. */
export const FOLLOW_LIMIT_MS = 15 * 60_000;
/** While polls fail, each waits twice as long as the last, up to this: an outage is not hammered. */
export const FOLLOW_MAX_WAIT_MS = 30_000;

export type SyncFollow =
  | { phase: 'idle' }
  /** Following; `error` is the last event's failure, if it was one (following goes on). */
  | { phase: 'following'; via: 'subscription' | 'polling'; error?: SubgraphError }
  | { phase: 'done'; state: string }
  /** The sync could not be followed to its end (gave up after FOLLOW_LIMIT_MS, or the stream ended with an error). */
  | { phase: 'stopped'; error?: SubgraphError };

/** How one follow reports: the hook turns these into state. */
interface FollowSink {
  update(follow: SyncFollow): void;
  settled(state: string): void;
}

/**
 * Follows `commerceSyncId` of `companyId` until it is final; `onSettled` runs once then (the page
 * refetches the row's other fields). Nothing runs while `commerceSyncId` is undefined.
 */
export function useSyncFollow(companyId: string, commerceSyncId: string | undefined, onSettled: (state: string) => void): SyncFollow {
  const client = useApolloClient();
  const live = useLiveClient();
  // What following last learnt, and for which sync: a new sync starts as 'following' until it says more.
  const [follow, setFollowOf] = useState<{ syncId: string; value: SyncFollow } | undefined>();
  const settled = useRef(onSettled);
  useEffect(() => {
    settled.current = onSettled;
  }, [onSettled]);

  useEffect(() => {
    if (!commerceSyncId) return;
    const sink: FollowSink = {
      update: (value) => setFollowOf({ syncId: commerceSyncId, value }),
      settled: (state) => settled.current(state),
    };
    let stopPolling: (() => void) | undefined;
    const stopSubscription = subscribeToProgress(live, client, companyId, commerceSyncId, sink, () => {
      stopPolling = pollProgress(client, companyId, commerceSyncId, sink);
    });
    return () => {
      stopSubscription();
      stopPolling?.();
    };
  }, [live, client, companyId, commerceSyncId]);

  if (!commerceSyncId) return { phase: 'idle' };
  return follow?.syncId === commerceSyncId ? follow.value : { phase: 'following', via: 'subscription' };
}

const isFinal = (status: SyncStatusFieldsFragment): boolean => status.state !== 'IN_PROGRESS';

/** The subscription; `fallBack` runs if the socket fails before the stream could end. Returns its stop. */
function subscribeToProgress(
  live: Client,
  client: ApolloClient,
  companyId: string,
  commerceSyncId: string,
  sink: FollowSink,
  fallBack: () => void,
): () => void {
  let last: SyncStatusFieldsFragment | undefined;
  let lastError: SubgraphError | undefined;
  let heard = false;
  return live.subscribe<{ commerceSyncProgress: SyncStatusFieldsFragment }>(
    { query: print(SYNC_PROGRESS), variables: { companyId, commerceSyncId }, operationName: 'SyncProgress' },
    {
      next(result) {
        heard = true;
        const status = result.data?.commerceSyncProgress;
        const [failure] = (result.errors ?? []).map((e) => ({ message: e.message, extensions: { ...e.extensions } }));
        lastError = failure;
        if (status) {
          last = status;
          client.cache.writeFragment({ fragment: SYNC_STATUS_FIELDS, fragmentName: 'SyncStatusFields', data: status });
        }
        sink.update(failure ? { phase: 'following', via: 'subscription', error: failure } : { phase: 'following', via: 'subscription' });
      },
      complete() {
        // A stream that ended without a single event says nothing about the sync: the socket went away.
        if (!heard) fallBack();
        else if (last && isFinal(last) && !lastError) {
          sink.update({ phase: 'done', state: last.state });
          sink.settled(last.state);
        } else {
          sink.update({ phase: 'stopped', ...(lastError && { error: lastError }) });
        }
      },
      // The socket, not the stream: closed, refused, or the protocol failed. Poll instead.
      error() {
        fallBack();
      },
    },
  );
}

/** Polls the company's status until the sync is final. Returns its stop. */
function pollProgress(client: ApolloClient, companyId: string, commerceSyncId: string, sink: FollowSink): () => void {
  let cancelled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const started = Date.now();
  let failuresInARow = 0;

  const poll = async (): Promise<void> => {
    const { data, error } = await client.query({
      query: FOLLOW_SYNC,
      variables: { companyId },
      fetchPolicy: 'network-only',
      errorPolicy: 'all',
    });
    if (cancelled) return;
    const status = data?.commerceSyncStatus;
    if (status && status.commerceSyncId === commerceSyncId && isFinal(status)) {
      sink.update({ phase: 'done', state: status.state });
      sink.settled(status.state);
      return;
    }
    const [failure] = subgraphErrors(error);
    sink.update(failure ? { phase: 'following', via: 'polling', error: failure } : { phase: 'following', via: 'polling' });
    if (Date.now() - started > FOLLOW_LIMIT_MS) {
      sink.update({ phase: 'stopped' });
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
}
