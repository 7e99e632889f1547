import type { CodatApi } from '../codat/codat.api';
import type * as Codat from '../codat/codat.dto';
import { clientErrorView, codedError } from '../errors';
import { EventStream } from './event-stream';
import { InMemoryPollerRegistry, type PollerKey, type PollerRegistry, type PollerRegistryOptions } from './poller-registry';
import type { LiveEvent, FollowStep, SyncFollower } from './sync-followers';

/** How a subscriber reached us: a bounded metric label. */
export type LiveTransport = 'graphql-ws' | 'sse' | 'callback';

/** Observers (structurally observability's LiveHooks, src/observability/live-hooks.ts). */
export interface LiveTrackerHooks {
  subscriptionStarted(transport: string): void;
  subscriptionEnded(transport: string): void;
  subscriptionRefused(reason: string): void;
  eventSent(transport: string, kind: 'data' | 'error'): void;
}

export interface LiveTrackerOptions {
  pollers: PollerRegistry;
  /** `MAX_SUBSCRIPTIONS`: subscriptions served at once, every transport together. */
  maxSubscriptions: number;
  hooks: LiveTrackerHooks;
  now?: () => number;
}

/** One subscriber: which company (and tenant), through which `CodatApi`, on which transport, following what. */
export interface FollowRequest {
  key: PollerKey;
  /** The subscriber's context's `codat`: the poller reads through it (its tenant's cache and client). */
  codat: CodatApi;
  transport: LiveTransport;
  follower: SyncFollower;
}

/**
 * Every subscription of the instance: admits it (MAX_SUBSCRIPTIONS), joins it to its company's shared
 * poller, turns poll outcomes into its events (sync-followers.ts), counts it per transport, and ends it
 * when its follower is done, when the client leaves, or on shutdown (`close()`, after which the
 * transports send `complete` and the process can exit).
 */
export class LiveTracker {
  private readonly streams = new Set<EventStream<LiveEvent>>();
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly options: LiveTrackerOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The subscriber's stream of events. Throws TOO_MANY_SUBSCRIPTIONS (nothing started) when the instance
   * is full; once closing, answers with a stream that is already over.
   */
  follow(request: FollowRequest): AsyncIterableIterator<LiveEvent> {
    const { key, codat, transport, follower } = request;
    const { pollers, hooks, maxSubscriptions } = this.options;
    if (this.closed) {
      const over = new EventStream<LiveEvent>(() => undefined);
      over.end();
      return over;
    }
    if (this.streams.size >= maxSubscriptions) {
      hooks.subscriptionRefused('instance');
      throw codedError(
        'TOO_MANY_SUBSCRIPTIONS',
        `This instance serves at most ${maxSubscriptions} subscriptions at once; try again later.`,
        {
          limit: maxSubscriptions,
          scope: 'instance',
        },
      );
    }
    let leave: () => void = () => undefined;
    const stream = new EventStream<LiveEvent>(() => {
      leave();
      this.streams.delete(stream);
      hooks.subscriptionEnded(transport);
    });
    this.streams.add(stream);
    hooks.subscriptionStarted(transport);

    const send = (step: FollowStep): void => {
      for (const event of step.events) {
        stream.push(event);
        hooks.eventSent(transport, event.kind);
      }
      if (step.done) stream.end();
    };
    // Outcomes are handled one after the other: a by-id read (a superseded sync) finishes before the next.
    let queue = Promise.resolve();
    leave = pollers.subscribe(key, codat, {
      eager: () => follower.eager,
      onOutcome: (outcome) => {
        queue = queue
          .then(async () => {
            if (stream.isEnded) return;
            const step = follower.onPoll(outcome, this.now());
            send(step);
            if (step.lookupSyncId === undefined || stream.isEnded) return;
            const looked = await lookUp(codat, key.companyId, step.lookupSyncId);
            if (!stream.isEnded) send(follower.onLookup(looked, this.now()));
          })
          .catch(() => stream.end());
      },
    });
    return stream;
  }

  /** The pollers behind the subscriptions (a mutation wakes its company's: wake-on-mutation.ts). */
  get pollers(): PollerRegistry {
    return this.options.pollers;
  }

  /** Subscriptions being served now. */
  active(): number {
    return this.streams.size;
  }

  /** Ends every subscription (their transports send `complete`) and stops the pollers; later ones end at once. */
  close(): void {
    this.closed = true;
    for (const stream of [...this.streams]) stream.end();
    this.options.pollers.close();
  }
}

async function lookUp(
  codat: CodatApi,
  companyId: string,
  syncId: string,
): Promise<{ ok: true; sync: Codat.CompanySyncStatus } | { ok: false; error: unknown }> {
  try {
    return { ok: true, sync: await codat.getSyncById(companyId, syncId) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The live-tracking settings of Config (config.ts's LiveConfig) that the tracker and its pollers read. */
export interface LiveTrackingSettings {
  maxSubscriptions: number;
  pollActiveMs: number;
  pollIdleMs: number;
  pollJitter: number;
}

/**
 * The instance's tracker over its poller registry: the in-memory one (one poller per tenant and company
 * in this process), or what `fleet` puts in front of it (with REDIS_URL, one poller per tenant and
 * company across the fleet: src/shared-state/redis-poller-registry.ts).
 */
export function createLiveTracker(
  settings: LiveTrackingSettings,
  options: {
    circuitOpenMs: number;
    random: () => number;
    hooks: LiveTrackerHooks & PollerRegistryOptions['hooks'];
    /** Whether a tenant's Codat quota is under pressure: its pollers slow down (poll-schedule.ts). */
    quotaPressure?: PollerRegistryOptions['quotaPressure'];
    /** Wraps the in-memory registry in the fleet's. */
    fleet?: (local: PollerRegistry) => PollerRegistry;
    pollers?: PollerRegistry;
  },
): LiveTracker {
  const local =
    options.pollers ??
    new InMemoryPollerRegistry({
      pace: {
        activeMs: settings.pollActiveMs,
        idleMs: settings.pollIdleMs,
        jitter: settings.pollJitter,
        circuitOpenMs: options.circuitOpenMs,
      },
      random: options.random,
      quotaPressure: options.quotaPressure,
      outcomeLabel: (outcome) => (outcome.ok ? 'ok' : clientErrorView(outcome.error).code),
      hooks: options.hooks,
    });
  const pollers = options.fleet ? options.fleet(local) : local;
  return new LiveTracker({ pollers, maxSubscriptions: settings.maxSubscriptions, hooks: options.hooks });
}
