import type { DestinationStream, LevelWithSilent } from 'pino';

import { createCodatHooks, type CodatHooks } from './codat-hooks';
import { createGraphQLRequestReporter, type GraphQLRequestReporter } from './graphql-requests';
import { createLiveHooks, type LiveHooks } from './live-hooks';
import { createLogDestination, type LogDestination, type LogFormat } from './log-destination';
import { createLogger, type Logger } from './logger';
import { createMetrics, type CircuitState, type MetricSources, type Metrics, type TenantLabels } from './metrics';
import type { Tracing } from './tracing';

export interface ObservabilityOptions {
  /** `LOG_LEVEL`; default 'info'. */
  logLevel?: LevelWithSilent;
  /** Where log lines go; default stdout, asynchronously (log-destination.ts). */
  logDestination?: DestinationStream;
  /** `LOG_FORMAT` of the default destination; default 'json'. */
  logFormat?: LogFormat;
  /** Tracing, when on (see `createOtlpTracing`); undefined means no spans and no SDK. */
  tracing?: Tracing;
  /**
   * The circuit breaker's state, for /readyz and `codat_circuit_state`. The Codat client owns the
   * breaker; without one the circuit is always 'closed'.
   */
  circuitState?: () => CircuitState;
  /** Codat's daily quota as the client last saw it, for `codat_quota_remaining` and `codat_quota_limit`. */
  quota?: MetricSources['quota'];
  /** Whether Redis answers, when REDIS_URL is set: `redis_up` and /readyz. */
  redisUp?: () => boolean;
  /**
   * Set when the Codat metrics carry a `tenant` label (several tenants, few enough for a bounded label:
   * the composition root decides); gives each tenant's circuit state and quota.
   */
  tenantLabels?: TenantLabels;
}

/** What the Codat cache reports, by Codat operation (structurally `SyncCacheHooks` in src/codat/codat.cache.ts). */
export interface CacheHooks {
  onHit(operation: string): void;
  onMiss(operation: string): void;
  onCoalesced(operation: string): void;
  onFleetCoalesced(operation: string): void;
  onStale(operation: string): void;
  onInvalidate(operation: string): void;
}

/**
 * Logs, metrics and traces for one server instance. A leaf: it imports nothing from the rest of src/.
 * Others report to it through the hooks below, whose plain parameter types the Codat client, the cache,
 * the loaders and the Apollo plugin satisfy structurally; the composition root hands them over.
 */
export interface Observability {
  logger: Logger;
  metrics: Metrics;
  tracing: Tracing | undefined;
  circuitState(): CircuitState;
  /** Whether Redis answers; undefined without REDIS_URL. */
  redisUp(): boolean | undefined;
  /** Pass as `CodatClientOptions.hooks`: a metric sample, a log line and a span per HTTP exchange. */
  codatHooks: CodatHooks;
  /** Pass as `CachedCodatApiOptions.hooks`: cache hits, misses, coalesced calls, invalidations. */
  cacheHooks: CacheHooks;
  /** The same hooks for one tenant's Codat stack: `tenant` on its log lines, and a label when tenantLabels is set. */
  codatHooksFor(tenant: string): CodatHooks;
  cacheHooksFor(tenant: string): CacheHooks;
  /** A request refused before GraphQL ran (`auth_failures_total`); `reason` is one of a fixed set. */
  onAuthFailure(reason: string): void;
  /** Loader batch observer, given to each request's loaders (`dataloader_batch_size`). */
  onBatch(loader: string, size: number): void;
  /** Called once per GraphQL request by src/apollo/graphql-observability.plugin.ts. */
  graphqlRequests: GraphQLRequestReporter;
  /** Pass to live tracking (src/live/): subscriptions, pollers, poll calls, events. */
  liveHooks: LiveHooks;
  /** Flushes spans; safe to call twice. */
  close(): Promise<void>;
  /**
   * Writes every log line still buffered and waits until the OS has it: the last step of a shutdown,
   * before `process.exit` (later lines are written synchronously). Safe to call twice.
   */
  closeLogs(): Promise<void>;
}

export function createObservability(options: ObservabilityOptions = {}): Observability {
  // A destination given by the caller (tests collect lines) is theirs to flush.
  const own: LogDestination | undefined = options.logDestination
    ? undefined
    : createLogDestination({ format: options.logFormat ?? 'json' });
  const logger = createLogger({ level: options.logLevel, destination: options.logDestination ?? own });
  const circuitState = options.circuitState ?? (() => 'closed' as const);
  const metrics = createMetrics(circuitState, { quota: options.quota, redisUp: options.redisUp, tenantLabels: options.tenantLabels });
  const tracing = options.tracing;
  const parts = { logger, metrics, tracing };
  const labelled = options.tenantLabels !== undefined;
  const cacheHooks = (label: { tenant?: string }): CacheHooks => ({
    onHit: (operation) => metrics.countCacheEvent(operation, 'hit', label.tenant),
    onMiss: (operation) => metrics.countCacheEvent(operation, 'miss', label.tenant),
    onCoalesced: (operation) => metrics.countCacheEvent(operation, 'coalesced', label.tenant),
    onFleetCoalesced: (operation) => metrics.countCacheEvent(operation, 'fleet-coalesced', label.tenant),
    onStale: (operation) => metrics.countCacheEvent(operation, 'stale', label.tenant),
    onInvalidate: (operation) => metrics.countCacheEvent(operation, 'invalidated', label.tenant),
  });
  let closed: Promise<void> | undefined;
  return {
    ...parts,
    circuitState,
    redisUp: () => options.redisUp?.(),
    codatHooks: createCodatHooks(parts),
    cacheHooks: cacheHooks({}),
    codatHooksFor: (tenant) => createCodatHooks(parts, { name: tenant, label: labelled }),
    cacheHooksFor: (tenant) => cacheHooks(labelled ? { tenant } : {}),
    onAuthFailure: (reason) => metrics.authFailures.inc({ reason }),
    onBatch: (loader, size) => metrics.loaderBatchSize.observe({ loader }, size),
    graphqlRequests: createGraphQLRequestReporter(parts),
    liveHooks: createLiveHooks(parts),
    close: () => (closed ??= tracing ? tracing.shutdown() : Promise.resolve()),
    closeLogs: () => own?.close() ?? Promise.resolve(),
  };
}
