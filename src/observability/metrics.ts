import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type CircuitState = 'closed' | 'open' | 'half-open';

export const CIRCUIT_STATES: readonly CircuitState[] = ['closed', 'half-open', 'open'];

/** Seconds; from a fast cached answer to a slow Codat call near the default 10 s timeout. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Keys per DataLoader batch; CODAT_MAX_CONCURRENCY and MAX_OPERATION_COST bound the useful range. */
const BATCH_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200];

export interface Metrics {
  registry: Registry;
  /** One GraphQL request for `graphql_requests_total`, counted like `countCacheEvent` (once per request). */
  countGraphQLRequest(operation: string, outcome: string): void;
  graphqlDuration: Histogram<'operation' | 'outcome'>;
  codatRequests: Counter<'operation' | 'status' | 'tenant'>;
  codatDuration: Histogram<'operation' | 'status' | 'tenant'>;
  codatRetries: Counter<'operation' | 'tenant'>;
  loaderBatchSize: Histogram<'loader'>;
  /** One cache event for `codat_cache_events_total` (a cache hit happens for every alias of every cached request): a `Tally`. */
  countCacheEvent(
    operation: string,
    event: 'hit' | 'miss' | 'coalesced' | 'fleet-coalesced' | 'stale' | 'invalidated',
    tenant?: string,
  ): void;
  /** Requests refused before GraphQL ran, by reason (missing, expired, unknown-key, …: a fixed set). */
  authFailures: Counter<'reason'>;
  /** Live tracking (src/live/): subscriptions, the shared pollers, their Codat reads and the events they cause. */
  subscriptionsActive: Gauge<'transport'>;
  subscriptionsRefused: Counter<'reason'>;
  pollersActive: Gauge;
  pollCalls: Counter<'outcome'>;
  liveEvents: Counter<'transport' | 'kind'>;
  /** Called when an answer from Codat carried its quota headers: `codat_quota_*` appear from then on. */
  quotaSeen(): void;
}

/** Codat's daily quota as a client last saw it (X-Rate-Limit-* headers). */
export interface QuotaView {
  limit?: number;
  remaining?: number;
}

/** Sources of the gauges read at scrape time (beside the circuit state). */
export interface MetricSources {
  /** Codat's daily quota, for the unlabelled gauges (the composition root picks the tenant nearest its end). */
  quota?: () => QuotaView;
  /** Whether Redis answers; given only when REDIS_URL is set, and `redis_up` exists only then. */
  redisUp?: () => boolean;
  /** Set when the Codat metrics carry a `tenant` label. */
  tenantLabels?: TenantLabels;
}

/**
 * With several Codat tenants (CODAT_TENANTS_FILE), and few enough of them for a label to stay bounded
 * (the composition root decides): the Codat metrics get a `tenant` label, and the circuit gauge one
 * series set per tenant.
 */
export interface TenantLabels {
  circuitStates(): ReadonlyMap<string, CircuitState>;
  /** Each tenant's quota (a tenant is a Codat account with its own): `codat_quota_*` by tenant. */
  quotas?(): ReadonlyMap<string, QuotaView>;
}

/**
 * Counts made on every request (a GraphQL request, each alias's cache hit), kept as plain numbers by a
 * key the caller builds from the label values, and handed to their prom-client counter when it is
 * scraped (its `collect`): prom-client's own `inc` validates and hashes the labels object on every call,
 * about half a microsecond, where this is one Map lookup. A scrape reads the same totals either way.
 */
class Tally<L extends string> {
  private readonly entries = new Map<string, { labels: Partial<Record<L, string>>; count: number }>();

  /** One more under `key`; `labels` makes the labels object, only for a key not seen before. */
  count(key: string, labels: () => Partial<Record<L, string>>): void {
    const entry = this.entries.get(key);
    if (entry) entry.count += 1;
    else this.entries.set(key, { labels: labels(), count: 1 });
  }

  /** Adds what was counted since the last scrape to `counter`. */
  handTo(counter: Counter<L>): void {
    for (const entry of this.entries.values()) {
      if (entry.count === 0) continue;
      counter.inc(entry.labels, entry.count);
      entry.count = 0;
    }
  }
}

/**
 * A registry per server instance (not prom-client's global one), so that tests starting several
 * servers in one process never clash. Labels hold only bounded values: operation names from a fixed
 * or capped set, HTTP statuses, outcome words. Never a company id or a path.
 */
export function createMetrics(circuitState: () => CircuitState, sources: MetricSources = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const graphqlRequestCounts = new Tally<'operation' | 'outcome'>();
  const cacheEventCounts = new Tally<'operation' | 'event' | 'tenant'>();
  const registers = [registry];
  const tenantLabels = sources.tenantLabels;
  const tenant = tenantLabels ? (['tenant'] as const) : [];
  const tenantOf = (name: string | undefined): { tenant?: string } => (name === undefined ? {} : { tenant: name });
  // The quota gauges are registered on the first answer that carried Codat's headers: before it the
  // figures are unknown, and a 0 would read as "quota spent". One series per tenant with tenant labels.
  const quota = sources.quota;
  const quotas = (): ReadonlyMap<string | undefined, QuotaView> =>
    tenantLabels?.quotas ? tenantLabels.quotas() : new Map(quota ? [[undefined, quota()]] : []);
  const quotaGauges = quota
    ? [
        new Gauge({
          name: 'codat_quota_remaining',
          help: "Codat's daily request quota left (X-Rate-Limit-Remaining of the latest answer; the full limit once the window has reset).",
          labelNames: [...tenant],
          registers: [],
          collect() {
            for (const [name, view] of quotas()) {
              const value = view.remaining ?? view.limit;
              if (value !== undefined) this.set(tenantOf(name), value);
            }
          },
        }),
        new Gauge({
          name: 'codat_quota_limit',
          help: "Codat's daily request quota (X-Rate-Limit-Limit of the latest answer).",
          labelNames: [...tenant],
          registers: [],
          collect() {
            for (const [name, view] of quotas()) {
              if (view.limit !== undefined) this.set(tenantOf(name), view.limit);
            }
          },
        }),
      ]
    : [];
  let quotaRegistered = false;
  const redisUp = sources.redisUp;
  if (redisUp) {
    new Gauge({
      name: 'redis_up',
      help: 'Whether this instance reaches Redis (REDIS_URL): 1 shared structures are in Redis, 0 each instance uses its own in memory.',
      registers,
      collect() {
        this.set(redisUp() ? 1 : 0);
      },
    });
  }
  new Gauge({
    name: 'codat_circuit_state',
    help: 'State of the circuit breaker in front of Codat: 1 for the current state, 0 for the others.',
    labelNames: ['state', ...tenant],
    registers,
    collect() {
      const states = tenantLabels?.circuitStates() ?? new Map([[undefined, circuitState()]]);
      for (const [name, current] of states) {
        for (const state of CIRCUIT_STATES) this.set({ state, ...(name === undefined ? {} : { tenant: name }) }, state === current ? 1 : 0);
      }
    },
  });
  // The two counters fed by a Tally: registered, not handed out, so that every count goes through
  // countGraphQLRequest / countCacheEvent.
  new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL requests by operation name and outcome (ok, or the first error code).',
    labelNames: ['operation', 'outcome'],
    registers,
    collect() {
      graphqlRequestCounts.handTo(this);
    },
  });
  new Counter({
    name: 'codat_cache_events_total',
    help: 'Cross-request reuse of Codat reads by Codat operation: hit (answered from the cache), miss (one upstream call started), coalesced (joined an identical call in flight), fleet-coalesced (got the answer of an identical call another instance made), stale (answered from an older cached copy because Codat refused or failed), invalidated (a mutation dropped a company).',
    labelNames: ['operation', 'event', ...tenant],
    registers,
    collect() {
      cacheEventCounts.handTo(this);
    },
  });
  return {
    registry,
    countGraphQLRequest(operation, outcome) {
      graphqlRequestCounts.count(`${operation}|${outcome}`, () => ({ operation, outcome }));
    },
    graphqlDuration: new Histogram({
      name: 'graphql_request_duration_seconds',
      help: 'GraphQL request duration from request start to response, by operation name and outcome.',
      labelNames: ['operation', 'outcome'],
      buckets: DURATION_BUCKETS,
      registers,
    }),
    codatRequests: new Counter({
      name: 'codat_requests_total',
      help: 'HTTP exchanges with Codat (every attempt, retries included) by Codat operation and status (HTTP status, or timeout/network, or circuit-open/rate-limited for calls we held back).',
      labelNames: ['operation', 'status', ...tenant],
      registers,
    }),
    codatDuration: new Histogram({
      name: 'codat_request_duration_seconds',
      help: 'Duration of one HTTP exchange with Codat, by Codat operation and status.',
      labelNames: ['operation', 'status', ...tenant],
      buckets: DURATION_BUCKETS,
      registers,
    }),
    codatRetries: new Counter({
      name: 'codat_retries_total',
      help: 'Attempts to Codat after the first one for the same call, by Codat operation.',
      labelNames: ['operation', ...tenant],
      registers,
    }),
    loaderBatchSize: new Histogram({
      name: 'dataloader_batch_size',
      help: 'Keys per DataLoader batch (distinct companies fetched together), by loader.',
      labelNames: ['loader'],
      buckets: BATCH_BUCKETS,
      registers,
    }),
    authFailures: new Counter({
      name: 'auth_failures_total',
      help: 'Requests refused before GraphQL ran because the caller could not be authenticated (401) or named a tenant not served (403), by reason.',
      labelNames: ['reason'],
      registers,
    }),
    subscriptionsActive: new Gauge({
      name: 'graphql_subscriptions_active',
      help: 'Subscriptions being served now, by transport (graphql-ws, sse, callback).',
      labelNames: ['transport'],
      registers,
    }),
    subscriptionsRefused: new Counter({
      name: 'graphql_subscriptions_refused_total',
      help: 'Subscriptions refused for a limit: connection (MAX_SUBSCRIPTIONS_PER_CONNECTION) or instance (MAX_SUBSCRIPTIONS).',
      labelNames: ['reason'],
      registers,
    }),
    pollersActive: new Gauge({
      name: 'live_pollers_active',
      help: 'Companies being polled now for their subscribers (one poller per tenant and company, however many subscribers).',
      registers,
    }),
    pollCalls: new Counter({
      name: 'live_poll_calls_total',
      help: "The pollers' status reads (through the cache, so not all reach Codat), by outcome: ok, or the error code subscribers saw.",
      labelNames: ['outcome'],
      registers,
    }),
    liveEvents: new Counter({
      name: 'live_events_sent_total',
      help: 'Subscription events handed to a transport, by transport and kind (data, or error: an event carrying a typed error).',
      labelNames: ['transport', 'kind'],
      registers,
    }),
    quotaSeen() {
      if (quotaRegistered) return;
      quotaRegistered = true;
      for (const gauge of quotaGauges) registry.registerMetric(gauge);
    },
    countCacheEvent(operation, event, tenantName) {
      if (tenantName === undefined) cacheEventCounts.count(`${operation}|${event}`, () => ({ operation, event }));
      else cacheEventCounts.count(`${operation}|${event}|${tenantName}`, () => ({ operation, event, tenant: tenantName }));
    },
  };
}
