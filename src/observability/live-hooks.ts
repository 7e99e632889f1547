import type { Logger } from './logger';
import type { Metrics } from './metrics';

/**
 * What live tracking (src/live/) reports, in plain words so that this folder stays a leaf: the tracker
 * and the pollers call these; labels are bounded (a transport name, a limit, an outcome code), never a
 * company id.
 */
export interface LiveHooks {
  /** A subscription started (`transport`: graphql-ws, sse or callback). */
  subscriptionStarted(transport: string): void;
  /** A subscription ended, whichever side ended it. */
  subscriptionEnded(transport: string): void;
  /** A subscription was refused for a limit (`reason`: connection or instance). */
  subscriptionRefused(reason: string): void;
  /** The first subscriber of a company started its poller. */
  pollerStarted(): void;
  /** The last subscriber left and the poller stopped. */
  pollerStopped(): void;
  /** One poll (a status read through the cache) ended: `outcome` is 'ok' or the error code subscribers saw. */
  polled(outcome: string): void;
  /** One event went to one subscriber (`kind`: data or error). */
  eventSent(transport: string, kind: 'data' | 'error'): void;
}

export function createLiveHooks(parts: { metrics: Metrics; logger: Logger }): LiveHooks {
  const { metrics, logger } = parts;
  return {
    subscriptionStarted: (transport) => metrics.subscriptionsActive.inc({ transport }),
    subscriptionEnded: (transport) => metrics.subscriptionsActive.dec({ transport }),
    subscriptionRefused(reason) {
      metrics.subscriptionsRefused.inc({ reason });
      logger.warn({ event: 'live.subscription_refused', reason }, 'subscription refused by a limit');
    },
    pollerStarted: () => metrics.pollersActive.inc(),
    pollerStopped: () => metrics.pollersActive.dec(),
    polled: (outcome) => metrics.pollCalls.inc({ outcome }),
    eventSent: (transport, kind) => metrics.liveEvents.inc({ transport, kind }),
  };
}
