import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';

import type { ApolloServer, ApolloServerOptions } from '@apollo/server';
import type { DestinationStream } from 'pino';

import { createApolloServer, type ApolloSetupOptions } from './apollo/apollo-server';
import { DEFAULT_TENANT, OPEN_CALLER, type Caller } from './auth/caller';
import type { CodatApi } from './codat/codat.api';
import { createCachedCodatApi, InMemorySyncCache, type CachedCodatApi } from './codat/codat.cache';
import { createCodatHttpClient, type CodatClient } from './codat/codat.client';
import type { CodatClientHooks } from './codat/codat.events';
import type { Freshness } from './codat/sync-state';
import type { Config } from './config';
import { createContext, type Context } from './context';
import { graphqlRoute } from './http/graphql.route';
import { withEventStream } from './http/graphql-sse.route';
import { graphqlWsRoute } from './http/graphql-ws.route';
import type { ServerPhase } from './http/health.routes';
import { createHttpEdge } from './http/http-edge';
import { webUiRoutes } from './http/web-ui.routes';
import { createLiveTracker, type LiveTracker, type LiveTransport } from './live/live-tracker';
import {
  graphqlSseHandlerOptions,
  graphqlWsServerOptions,
  type ConnectionCredentials,
  type SubscriptionServing,
} from './live/live-transports';
import { wakePollersOnMutation } from './live/wake-on-mutation';
import type { Logger } from './observability/logger';
import { createObservability, type Observability } from './observability/observability';
import { createOtlpTracing, type Tracing } from './observability/tracing';
import { buildCommerceSchema } from './schema';
import { CodatSimulator, SEEDED_COMPANIES } from './simulator';

/**
 * The composition root: the one place that turns a `Config` into a running service. It builds the
 * Codat client, the cross-request cache, observability and the server, and wires them together; the
 * entry point (index.ts), the tests' harness, the benchmark and the demos all call `createApp`, so they
 * run the same stack. Shared stores that later capabilities add (tenants, Redis) are built here too.
 */

/** Where Codat is: its real API, a simulator a test started, or the embedded one. */
export interface Upstream {
  baseUrl: string;
  apiKey: string;
  /** When this upstream is a Codat simulator: its seeded companies, which the web page lists first. */
  seededCompanies?: readonly { id: string; name: string }[];
}

/** What callers other than `npm start` may change without touching `Config`. */
export interface AppOverrides {
  /** Talk to this Codat instead of `config.codatBaseUrl` (tests and the benchmark start their own simulator). */
  upstream?: Upstream;
  /**
   * Serve through this instead of the cross-request cache: given the configured client, return what the
   * resolvers should use (the benchmark measures the client alone, or a fixed upstream over it).
   */
  codat?: (client: CodatClient) => CodatApi;
  /** Extra observers of the Codat client, called after observability's own (tests count attempts). */
  codatHooks?: CodatClientHooks;
  /** Where log lines go; default stdout. */
  logDestination?: DestinationStream;
  /** Tracing to use instead of the OTLP exporter that `OTEL_EXPORTER_OTLP_ENDPOINT` turns on. */
  tracing?: Tracing;
  /** Apollo's own messages (default: the service's logger). */
  apolloLogger?: ApolloServerOptions<Context>['logger'];
  /** Source of retry jitter, [0, 1); default Math.random. */
  random?: () => number;
}

/** The HTTP server with Apollo behind it: the part of the app that takes requests. */
export interface CommerceServer {
  httpServer: Server;
  apollo: ApolloServer<Context>;
  /** Starts Apollo and listens; resolves with the base URL (e.g. http://127.0.0.1:4000). */
  listen(port: number, host: string): Promise<string>;
  /** Stops accepting connections, lets in-flight requests finish (SHUTDOWN_TIMEOUT_MS), then stops Apollo. */
  stop(): Promise<void>;
  /** 'ready' between listen() and stop(); /readyz answers 503 otherwise. */
  phase(): ServerPhase;
}

export interface App {
  config: Config;
  /** The Codat client (HTTP to Codat). */
  client: CodatClient;
  /** The cross-request layer the server reads through: coalescing always, caching when STATUS_CACHE_TTL_MS > 0; undefined when `overrides.codat` replaced it. */
  cache: CachedCodatApi | undefined;
  /** What the resolvers use. */
  codat: CodatApi;
  observability: Observability;
  /** Live tracking: every subscription and the shared pollers behind them (src/live/). */
  live: LiveTracker;
  server: CommerceServer;
  /** The embedded Codat simulator, when neither CODAT_API_KEY nor an upstream override was given. */
  simulator: CodatSimulator | undefined;
  /** Listens on `port`/`host` (default: the config's) and resolves with the base URL, e.g. http://127.0.0.1:4000. */
  listen(port?: number, host?: string): Promise<string>;
  /** Drains the server (SHUTDOWN_TIMEOUT_MS), then closes the Codat connections and the embedded simulator. */
  stop(): Promise<void>;
}

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const simulator = overrides.upstream || config.codatApiKey ? undefined : await startEmbeddedSimulator();
  const upstream: Upstream =
    overrides.upstream ??
    (simulator
      ? { baseUrl: simulator.url, apiKey: simulator.apiKey, seededCompanies: SEEDED_COMPANIES }
      : { baseUrl: config.codatBaseUrl, apiKey: config.codatApiKey ?? '' });

  const observability = createObservability({
    logLevel: config.logLevel,
    logDestination: overrides.logDestination,
    // Off and free when unset: the SDK is not even constructed.
    tracing: overrides.tracing ?? (config.otelEndpoint ? createOtlpTracing() : undefined),
    // Read lazily: the client is built below, with these observability hooks.
    circuitState: () => client.circuitState(),
  });
  const client = createCodatClient(config, upstream, {
    random: overrides.random,
    hooks: combineHooks(observability.codatHooks, overrides.codatHooks),
  });
  // Shared across requests: coalesces identical in-flight reads and caches them for STATUS_CACHE_TTL_MS.
  const cache = overrides.codat
    ? undefined
    : createCachedCodatApi(client, {
        freshness: freshnessOf(config),
        store: new InMemorySyncCache(config.cacheMaxEntries),
        hooks: observability.cacheHooks,
      });
  const live = createLiveTracker(config.live, {
    circuitOpenMs: config.codatCircuitOpenMs,
    random: overrides.random ?? Math.random,
    hooks: observability.liveHooks,
  });
  // A sync mutation wakes its company's poller once it has settled (one tenant today: the configured Codat).
  const codat = wakePollersOnMutation(overrides.codat?.(client) ?? cache ?? client, live.pollers, DEFAULT_TENANT);

  const server = createCommerceServer(
    config,
    codat,
    observability,
    overrides.apolloLogger ?? observability.logger.child({ component: 'apollo' }),
    live,
    upstream,
  );

  let stopped: Promise<void> | undefined;
  return {
    config,
    client,
    cache,
    codat,
    observability,
    live,
    server,
    simulator,
    listen: (port = config.port, host = config.host) => server.listen(port, host),
    stop() {
      stopped ??= (async () => {
        await server.stop();
        await client.close();
        await simulator?.close();
      })();
      return stopped;
    },
  };
}

/**
 * Apollo as this subgraph runs it (src/apollo/apollo-server.ts) behind the HTTP edge (src/http/): health
 * routes, then GraphQL at /graphql with one context per request over `codat`: as JSON through Apollo
 * (the router's subscription callback protocol included), as Server-Sent Events for subscriptions, and
 * over WebSocket (graphql-ws) through the edge's upgrade table; then the web UI when WEB_UI is on
 * (src/http/web-ui.routes.ts). Later capabilities plug in here: a caller resolver (`resolveCaller`).
 */
function createCommerceServer(
  config: Config,
  codat: CodatApi,
  observability: Observability,
  apolloLogger: ApolloSetupOptions['logger'],
  live: LiveTracker,
  upstream: Upstream,
): CommerceServer {
  const freshness = freshnessOf(config);
  const httpServer = createServer();
  const schema = buildCommerceSchema();
  const apollo = createApolloServer({
    schema,
    httpServer,
    production: config.production,
    maxOperationCost: config.maxOperationCost,
    maxQueryDepth: config.maxQueryDepth,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    logger: apolloLogger,
    graphqlRequests: observability.graphqlRequests,
    callbackUrlPrefixes: config.live.callbackUrlPrefixes,
  });
  const contextFor = (caller: Caller, transport: LiveTransport, requestId: string, logger: Logger): Context =>
    createContext(codat, requestId, {
      caller,
      freshness,
      logger,
      onBatch: observability.onBatch,
      live: { tracker: live, transport, syncAppearMs: config.live.syncAppearMs },
    });
  // The same schema, limits, error rule and context for the transports Apollo does not run (src/live/live-transports.ts).
  const serving: SubscriptionServing<Context> = {
    schema,
    limits: { maxCost: config.maxOperationCost, maxDepth: config.maxQueryDepth },
    maxSubscriptionsPerConnection: config.live.maxSubscriptionsPerConnection,
    connectionInitTimeoutMs: config.live.connectionInitTimeoutMs,
    callerFromConnection: subscriptionCaller,
    context: async ({ caller, transport, requestId, logger }) => contextFor(caller, transport, requestId, logger),
    onRefused: (reason) => observability.liveHooks.subscriptionRefused(reason),
  };
  const websocket = graphqlWsRoute({
    path: '/graphql',
    maxPayloadBytes: config.maxBodyBytes,
    pingIntervalMs: config.live.pingIntervalMs,
    server: graphqlWsServerOptions(serving),
    logger: observability.logger,
  });
  const graphql = graphqlRoute({
    apollo,
    path: '/graphql',
    maxBodyBytes: config.maxBodyBytes,
    // A subscription that comes as an HTTP request is the router's callback protocol.
    context: async ({ requestId, logger }) => contextFor(OPEN_CALLER, 'callback', requestId, logger),
  });
  const edge = createHttpEdge({
    server: httpServer,
    logger: observability.logger,
    health: observability,
    routes: [
      withEventStream(graphql, {
        maxBodyBytes: config.maxBodyBytes,
        handler: graphqlSseHandlerOptions(serving),
        factsOf: ({ requestId, logger }) => ({ requestId, logger, caller: OPEN_CALLER }),
      }),
      // After GraphQL: the sync health page at /, the explorer at /explorer (src/http/web-ui.routes.ts).
      ...(config.webUi
        ? webUiRoutes({ root: config.webUiDir, graphqlPath: '/graphql', suggestedMerchants: upstream.seededCompanies })
        : []),
    ],
    upgrades: [websocket.route],
    notFoundMessage: 'Not found. GraphQL is served at /graphql.',
    lifecycle: {
      start: () => apollo.start(),
      // Subscriptions end first, so every transport sends its `complete` (WebSocket and SSE clients, the
      // router's callback URL); then the WebSockets close (Apollo's drain does not see upgraded sockets);
      // then Apollo's drain plugin closes the HTTP server and waits for in-flight requests (at most
      // SHUTDOWN_TIMEOUT_MS, then it closes their sockets); spans are flushed last.
      async stop() {
        live.close();
        await websocket.close(config.shutdownTimeoutMs);
        await apollo.stop();
        await observability.close();
      },
    },
  });
  return { httpServer, apollo, phase: edge.phase, listen: edge.listen, stop: edge.stop };
}

/**
 * The one place a WebSocket's credentials become a Caller (SSE and the callback protocol are HTTP
 * requests: their caller comes from their headers, as for queries). `credentials` were read from
 * `connection_init` (`Authorization` or `token`, `x-api-key`), else from the handshake's headers
 * (src/live/live-transports.ts, connectionCredentials). AUTH_MODE=none: everyone is OPEN_CALLER. Caller
 * authentication verifies them here and answers undefined for a bad one, which closes the connection
 * 4403 Forbidden.
 */
async function subscriptionCaller(_credentials: ConnectionCredentials): Promise<Caller | undefined> {
  return OPEN_CALLER;
}

/** The Codat client for one upstream, configured from `config`: the only place a `CodatClient` is made. */
export function createCodatClient(
  config: Config,
  upstream: Upstream,
  options: { hooks?: CodatClientHooks; random?: () => number } = {},
): CodatClient {
  return createCodatHttpClient({
    baseUrl: upstream.baseUrl,
    apiKey: upstream.apiKey,
    timeoutMs: config.codatTimeoutMs,
    maxConcurrency: config.codatMaxConcurrency,
    maxRetries: config.codatMaxRetries,
    deadlineMs: config.codatDeadlineMs,
    backoff: config.codatBackoff,
    circuit: { failureThreshold: config.codatCircuitThreshold, halfOpenAfterMs: config.codatCircuitOpenMs },
    transport: config.codatTransport,
    random: options.random ?? Math.random,
    hooks: options.hooks ?? {},
  });
}

/** How long answers may be reused: one rule for the cross-request cache and the cache hints (codat/sync-state.ts). */
function freshnessOf(config: Config): Freshness {
  return {
    statusTtlMs: config.statusCacheTtlMs,
    inProgressTtlMs: config.inProgressCacheTtlMs,
    finishedSyncTtlMs: config.finishedSyncCacheTtlMs,
  };
}

/**
 * No CODAT_API_KEY: an in-process Codat simulator on a loopback port, with a throwaway key. The
 * simulator checks Basic auth exactly like Codat, so the client runs through the same code either way.
 */
async function startEmbeddedSimulator(): Promise<CodatSimulator> {
  return CodatSimulator.start({ apiKey: `simulator-${randomBytes(12).toString('hex')}`, host: '127.0.0.1', port: 0 });
}

/** Extra hooks run after the observability ones, so a test or the benchmark can watch attempts too. */
function combineHooks(first: CodatClientHooks, second: CodatClientHooks | undefined): CodatClientHooks {
  if (!second) return first;
  return {
    onAttempt(event) {
      first.onAttempt?.(event);
      second.onAttempt?.(event);
    },
    onRetry(event) {
      first.onRetry?.(event);
      second.onRetry?.(event);
    },
    onCircuitStateChange(state) {
      first.onCircuitStateChange?.(state);
      second.onCircuitStateChange?.(state);
    },
  };
}
