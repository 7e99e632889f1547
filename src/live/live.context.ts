import type { SyncContext } from '../sync/sync.context';
import type { LiveTracker, LiveTransport } from './live-tracker';

/**
 * What the subscription resolvers need beyond SyncContext: the instance's tracker and the transport the
 * operation came in on. Declared here, beside them; src/context.ts's Context satisfies it.
 */
export interface LiveSession {
  tracker: LiveTracker;
  /** graphql-ws or sse for their own routes; callback for subscriptions over HTTP POST (the router's callback protocol). */
  transport: LiveTransport;
  /** `LIVE_SYNC_APPEAR_MS` (config.ts): how long commerceSyncProgress waits for its sync to show. */
  syncAppearMs: number;
}

export interface LiveContext extends SyncContext {
  live: LiveSession;
}
