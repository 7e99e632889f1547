import type { ApolloServerPlugin } from '@apollo/server';
import type { DestinationStream, LevelWithSilent } from 'pino';

import type { SyncCacheHooks } from '../codat/codat.cache';
import type { CodatClientHooks } from '../codat/codat.client';
import type { Context } from '../context';
import type { BatchObserver } from '../sync/sync.loader';
import { createCodatHooks } from './codat-hooks';
import { createObservabilityPlugin } from './graphql-observability.plugin';
import { createLogger, type Logger } from './logger';
import { createMetrics, type CircuitState, type Metrics } from './metrics';
import type { Tracing } from './tracing';

export interface ObservabilityOptions {
  /** `LOG_LEVEL`; default 'info'. */
  logLevel?: LevelWithSilent;
  /** Where log lines go; default stdout. */
  logDestination?: DestinationStream;
  /** Tracing, when on (see `tracingFromEnv`); undefined means no spans and no SDK. */
  tracing?: Tracing;
  /**
   * The circuit breaker's state, for /readyz and `codat_circuit_state`. The Codat client owns the
   * breaker; without one the circuit is always 'closed'.
   */
  circuitState?: () => CircuitState;
}

/** Logs, metrics and traces for one server instance, shared by the HTTP server and the Codat client. */
export interface Observability {
  logger: Logger;
  metrics: Metrics;
  tracing: Tracing | undefined;
  circuitState(): CircuitState;
  /** Pass as `CodatClientOptions.hooks`. */
  codatHooks: CodatClientHooks;
  /** Pass as `CachedCodatApiOptions.hooks`: cache hits, misses, coalesced calls, invalidations. */
  cacheHooks: SyncCacheHooks;
  /** The Apollo plugin for GraphQL request metrics, logs and spans. */
  plugin: ApolloServerPlugin<Context>;
  /** Loader batch observer, given to each request's loaders. */
  onBatch: BatchObserver;
  /** Flushes spans; safe to call twice. */
  close(): Promise<void>;
}

export function createObservability(options: ObservabilityOptions = {}): Observability {
  const logger = createLogger({ level: options.logLevel, destination: options.logDestination });
  const circuitState = options.circuitState ?? (() => 'closed' as const);
  const metrics = createMetrics(circuitState);
  const tracing = options.tracing;
  const parts = { logger, metrics, tracing };
  let closed: Promise<void> | undefined;
  return {
    ...parts,
    circuitState,
    codatHooks: createCodatHooks(parts),
    cacheHooks: {
      onHit: (operation) => metrics.cacheEvents.inc({ operation, event: 'hit' }),
      onMiss: (operation) => metrics.cacheEvents.inc({ operation, event: 'miss' }),
      onCoalesced: (operation) => metrics.cacheEvents.inc({ operation, event: 'coalesced' }),
      onInvalidate: (operation) => metrics.cacheEvents.inc({ operation, event: 'invalidated' }),
    },
    plugin: createObservabilityPlugin(parts),
    onBatch: (loader, size) => metrics.loaderBatchSize.observe({ loader }, size),
    close: () => (closed ??= tracing ? tracing.shutdown() : Promise.resolve()),
  };
}
