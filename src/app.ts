import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';

import type { ApolloServer, ApolloServerOptions } from '@apollo/server';
import type { DestinationStream } from 'pino';

import { createApolloServer, type ApolloSetupOptions } from './apollo/apollo-server';
import { createAuthenticator, type AuthFailure, type Authenticator } from './auth/authenticate';
import { ANONYMOUS_CALLER, DEFAULT_TENANT, OPEN_CALLER, type Caller } from './auth/caller';
import { MAX_TENANT_LABELS } from './auth/tenants';
import type { CodatApi } from './codat/codat.api';
import { createCachedCodatApi, type CachedCodatApi } from './codat/codat.cache';
import { createCodatHttpClient, type CodatClient } from './codat/codat.client';
import type { FleetSlots } from './codat/company-slots';
import { RequestWindow } from './codat/request-window';
import type { CodatClientHooks } from './codat/codat.events';
import type { CircuitStateName } from './codat/circuit-breaker';
import type { Freshness } from './codat/sync-state';
import type { Config } from './config';
import { createContext, type Context } from './context';
import { graphqlRoute, isLandingPageRequest } from './http/graphql.route';
import { withEventStream } from './http/graphql-sse.route';
import { graphqlWsRoute } from './http/graphql-ws.route';
import type { ServerPhase } from './http/health.routes';
import { createHttpEdge } from './http/http-edge';
import { headerValue } from './lib/headers';
import type { CallerResolver } from './http/http-route';
import { graphqlErrorBody, type JsonAnswer } from './http/json-response';
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
import type { QuotaView } from './observability/metrics';
import { createObservability, type Observability } from './observability/observability';
import type { Tracing } from './observability/tracing';
import { buildCommerceSchema } from './schema';
import { createSharedState, type SharedState, type TenantSharedState } from './shared-state/shared-state';
import type { CodatSimulator } from './simulator';
import { createIdempotentSyncs, type IdempotentSyncs } from './sync/sync.idempotency';

/**
 * The composition root: the one place that turns a `Config` into a running service. It builds, per
 * tenant, the Codat client and the cross-request cache; then observability, the caller's
 * authentication and the server, and wires them together; the entry point (index.ts), the tests'
 * harness, the benchmark and the demos all call `createApp`, so they run the same stack. Shared stores
 * that later capabilities add (Redis) are built here too.
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
  /**
   * Talk to this Codat instead of `config.codatBaseUrl` (tests and the benchmark start their own
   * simulator). For the one tenant without CODAT_TENANTS_FILE; with it, each tenant's own is used.
   */
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
  /** Resolves once no HTTP request is being handled, those whose sockets the drain closed included (src/http/http-edge.ts). */
  settled(): Promise<void>;
  /** 'ready' between listen() and stop(); /readyz answers 503 otherwise. */
  phase(): ServerPhase;
}

/**
 * One tenant's way to Codat: its own client (its key, its circuit breaker, its CODAT_MAX_CONCURRENCY
 * slots) and its own cross-request cache and coalescing, so that nothing one tenant caches, joins or
 * trips is seen by another. A request gets the stack of its caller's tenant.
 */
export interface CodatStack {
  /** The Codat client (HTTP to Codat); its quota and per-company slots are this tenant's. */
  client: CodatClient;
  /** The cross-request layer the server reads through: coalescing always, caching when STATUS_CACHE_TTL_MS > 0; undefined when `overrides.codat` replaced it. */
  cache: CachedCodatApi | undefined;
  /** What the resolvers use. */
  codat: CodatApi;
  /** What this tenant shares with the fleet (src/shared-state/): in Redis under `${REDIS_KEY_PREFIX}<tenant>:` with REDIS_URL, this instance's memory without. */
  shared: TenantSharedState;
  /** The idempotency records of this tenant's sync mutations, as its requests' contexts get them. */
  idempotency: IdempotentSyncs;
}

export interface App extends CodatStack {
  config: Config;
  /** Every tenant's stack, by tenant name; `client`, `cache` and `codat` above are the first one's (`default` without CODAT_TENANTS_FILE). */
  tenants: ReadonlyMap<string, CodatStack>;
  observability: Observability;
  /** Live tracking: every subscription and the shared pollers behind them (src/live/). */
  live: LiveTracker;
  server: CommerceServer;
  /** The embedded Codat simulator, when neither CODAT_API_KEY nor an upstream override was given. */
  simulator: CodatSimulator | undefined;
  /** What the fleet shares, every tenant's (src/shared-state/); `shared` above is the first tenant's. */
  fleet: SharedState;
  /** Listens on `port`/`host` (default: the config's) and resolves with the base URL, e.g. http://127.0.0.1:4000. */
  listen(port?: number, host?: string): Promise<string>;
  /**
   * Drains the server (SHUTDOWN_TIMEOUT_MS), ends the Codat calls still going and waits for their
   * requests, then closes the shared stores, the embedded simulator and the span exporter.
   */
  stop(): Promise<void>;
}

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const simulator = overrides.upstream || config.codatApiKey || config.codatTenants ? undefined : await startEmbeddedSimulator();
  // The web page lists the embedded simulator's seeded companies (loaded with it, only then).
  const seededCompanies = simulator ? (await import('./simulator')).SEEDED_COMPANIES : undefined;
  const upstreams: ReadonlyMap<string, Upstream> =
    config.codatTenants ??
    new Map([
      [
        DEFAULT_TENANT,
        overrides.upstream ??
          (simulator
            ? { baseUrl: simulator.url, apiKey: simulator.apiKey, seededCompanies }
            : { baseUrl: config.codatBaseUrl, apiKey: config.codatApiKey ?? '' }),
      ],
    ]);
  // Tenants by name in logs always (with a tenants file); as a metric label only while the set is small.
  const named = config.codatTenants !== undefined;
  const stacks = new Map<string, CodatStack>();
  const circuits = (): Map<string, CircuitStateName> => new Map([...stacks].map(([name, stack]) => [name, stack.client.circuitState()]));
  const quotas = (): Map<string, QuotaView> => new Map([...stacks].map(([name, stack]) => [name, stack.client.quota()]));

  const observability = createObservability({
    logLevel: config.logLevel,
    logFormat: config.logFormat,
    logDestination: overrides.logDestination,
    // Off and free when unset: the SDK is not even loaded (its modules weigh about 20 MB of memory).
    tracing: overrides.tracing ?? (config.otelEndpoint ? (await import('./observability/tracing')).createOtlpTracing() : undefined),
    // Read lazily: the clients are built below, with these observability hooks.
    circuitState: () => worstCircuit(circuits().values()),
    quota: () => scarcestQuota(quotas().values()),
    tenantLabels: named && upstreams.size <= MAX_TENANT_LABELS ? { circuitStates: circuits, quotas } : undefined,
    redisUp: config.redisUrl ? () => shared.redisUp() ?? false : undefined,
  });
  const freshness = freshnessOf(config);
  // What the instances of a fleet share (Redis with REDIS_URL, else this instance's memory): src/shared-state/.
  const shared = await createSharedState(config, observability.logger);
  const live = createLiveTracker(config.live, {
    circuitOpenMs: config.codatCircuitOpenMs,
    random: overrides.random ?? Math.random,
    hooks: observability.liveHooks,
    // Read lazily, per poll: a tenant's pollers slow down while its quota is short (codat/codat.quota.ts).
    quotaPressure: (tenant) => (stacks.get(tenant)?.client.quota().pressure ?? 'normal') !== 'normal',
    // With REDIS_URL, one poller per tenant and company across the fleet (src/shared-state/redis-poller-registry.ts).
    fleet: (local) => shared.pollers(local),
  });
  // Codat's per-minute ceiling is per client IP: every tenant's client of this instance counts against one window.
  const requestWindow = new RequestWindow(config.codatMaxRequestsPerMinute, 60_000);
  for (const [tenant, upstream] of upstreams) {
    // This tenant's shared structures: in Redis under `${REDIS_KEY_PREFIX}<tenant>:`, its quota and
    // per-company slots its own (a tenant is a Codat account).
    const tenantShared = shared.forTenant(tenant);
    const client = createCodatClient(config, upstream, {
      random: overrides.random,
      hooks: combineHooks(named ? observability.codatHooksFor(tenant) : observability.codatHooks, overrides.codatHooks),
      fleetSlots: tenantShared.fleetSlots,
      requestWindow,
    });
    // Shared across this tenant's requests: coalesces identical in-flight reads, caches them for
    // STATUS_CACHE_TTL_MS, and keeps them STALE_IF_ERROR_MS for when Codat refuses or fails.
    const cache = overrides.codat
      ? undefined
      : createCachedCodatApi(client, {
          freshness,
          staleIfErrorMs: config.staleIfErrorMs,
          store: tenantShared.syncCache,
          flights: tenantShared.flights,
          hooks: named ? observability.cacheHooksFor(tenant) : observability.cacheHooks,
        });
    const idempotency = createIdempotentSyncs(tenantShared.idempotency, {
      ttlMs: config.idempotencyTtlMs,
      // No POST runs longer than CODAT_DEADLINE_MS: a record still pending well after it lost its instance.
      pendingMaxMs: config.codatDeadlineMs + 5_000,
      pollMs: 25,
    });
    // A sync mutation wakes its company's poller (this tenant's) once it has settled.
    const codat = wakePollersOnMutation(overrides.codat?.(client) ?? cache ?? client, live.pollers, tenant);
    stacks.set(tenant, { client, cache, codat, shared: tenantShared, idempotency });
  }
  const [primary] = stacks.values();
  if (!primary) throw new Error('no Codat tenant configured');

  const authenticator = createAuthenticator(config.auth, new Set(stacks.keys()));
  const server = createCommerceServer(
    config,
    { stacks, primary, authenticator },
    observability,
    overrides.apolloLogger ?? observability.logger.child({ component: 'apollo' }),
    live,
    // The web page's suggested merchants: the simulator's seeded companies, when it is one (none for real Codat).
    upstreams.get(DEFAULT_TENANT)?.seededCompanies,
  );

  let stopped: Promise<void> | undefined;
  return {
    config,
    ...primary,
    tenants: stacks,
    observability,
    live,
    server,
    simulator,
    fleet: shared,
    listen: (port = config.port, host = config.host) => server.listen(port, host),
    stop() {
      stopped ??= (async () => {
        await server.stop();
        // Closing the clients ends the Codat calls of requests that outlived the drain; those requests
        // then end too, each logging its line, before the stores they use go.
        await Promise.all([...stacks.values()].map((stack) => stack.client.close()));
        await server.settled();
        await shared.close();
        await simulator?.close();
        // Spans last, so the requests and calls that ended just now are exported too.
        await observability.close();
      })();
      return stopped;
    },
  };
}

/** What the server needs to serve a caller: the tenants' stacks and who the caller is. */
interface Callers {
  stacks: ReadonlyMap<string, CodatStack>;
  /** The stack of a caller without data access (the anonymous one), whose context must still be whole. */
  primary: CodatStack;
  authenticator: Authenticator;
}

/**
 * Apollo as this subgraph runs it (src/apollo/apollo-server.ts) behind the HTTP edge (src/http/): health
 * routes, then GraphQL at /graphql with one context per request over the caller's tenant's stack: as
 * JSON through Apollo (the router's subscription callback protocol included), as Server-Sent Events for
 * subscriptions, and over WebSocket (graphql-ws) through the edge's upgrade table; then the web UI when
 * WEB_UI is on (src/http/web-ui.routes.ts, open routes: the page authenticates its GraphQL requests). The
 * caller is resolved by the edge (`resolveCaller`) when authentication is on, and from `connection_init`
 * for a WebSocket.
 */
function createCommerceServer(
  config: Config,
  callers: Callers,
  observability: Observability,
  apolloLogger: ApolloSetupOptions['logger'],
  live: LiveTracker,
  suggestedMerchants: Upstream['seededCompanies'],
): CommerceServer {
  const freshness = freshnessOf(config);
  const { authenticator } = callers;
  const authOn = authenticator.mode !== 'none';
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
    callerAccess: authOn
      ? { introspectionOpen: authenticator.introspectionOpen, refusal: authenticator.missingCredential ?? { message: 'No credential' } }
      : undefined,
  });
  // With AUTH_MODE=none the edge resolves no caller: everyone is OPEN_CALLER.
  const httpCaller = (caller: Caller | undefined): Caller => {
    const who = caller ?? (authOn ? undefined : OPEN_CALLER);
    if (!who) throw new Error('authentication is on but the edge resolved no caller');
    return who;
  };
  // One context for every transport, over the stack of the caller's tenant (its idempotency records included).
  const contextFor = (
    who: Caller,
    transport: LiveTransport,
    requestId: string,
    logger: Logger | (() => Logger),
    idempotencyKey?: string,
  ): Context => {
    const stack = callers.stacks.get(who.tenant) ?? (who.kind === 'anonymous' ? callers.primary : undefined);
    if (!stack) throw new Error(`no Codat stack for tenant ${who.tenant}`);
    return createContext(stack.codat, requestId, {
      caller: who,
      freshness,
      logger,
      onBatch: observability.onBatch,
      live: { tracker: live, transport, syncAppearMs: config.live.syncAppearMs },
      idempotency: stack.idempotency,
      idempotencyKey,
    });
  };
  // The same schema, limits, error rule and context for the transports Apollo does not run (src/live/live-transports.ts).
  const serving: SubscriptionServing<Context> = {
    schema,
    limits: { maxCost: config.maxOperationCost, maxDepth: config.maxQueryDepth },
    maxSubscriptionsPerConnection: config.live.maxSubscriptionsPerConnection,
    connectionInitTimeoutMs: config.live.connectionInitTimeoutMs,
    callerFromConnection: (credentials) => subscriptionCaller(authenticator, credentials, observability),
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
  const graphql = graphqlRoute<Context, Caller>({
    apollo,
    path: '/graphql',
    maxBodyBytes: config.maxBodyBytes,
    // A subscription that comes as an HTTP request is the router's callback protocol.
    // The request's logger is the edge's, made only if something logs for the request (src/http/http-edge.ts).
    context: async (exchange) =>
      contextFor(
        httpCaller(exchange.caller),
        'callback',
        exchange.requestId,
        () => exchange.logger,
        headerValue(exchange.request.headers['idempotency-key']),
      ),
  });
  const edge = createHttpEdge<Caller>({
    server: httpServer,
    logger: observability.logger,
    health: observability,
    resolveCaller: authOn ? callerResolver(authenticator, observability) : undefined,
    routes: [
      withEventStream(graphql, {
        maxBodyBytes: config.maxBodyBytes,
        handler: graphqlSseHandlerOptions(serving),
        factsOf: ({ requestId, logger, caller }) => ({ requestId, logger, caller: httpCaller(caller) }),
      }),
      // After GraphQL: the sync health page at /, the explorer at /explorer (src/http/web-ui.routes.ts).
      ...(config.webUi ? webUiRoutes({ root: config.webUiDir, graphqlPath: '/graphql', suggestedMerchants }) : []),
    ],
    upgrades: [websocket.route],
    notFoundMessage: 'Not found. GraphQL is served at /graphql.',
    lifecycle: {
      start: () => apollo.start(),
      // Subscriptions end first, so every transport sends its `complete` (WebSocket and SSE clients, the
      // router's callback URL); then the WebSockets close (Apollo's drain does not see upgraded sockets);
      // then Apollo's drain plugin closes the HTTP server and waits for in-flight requests (at most
      // SHUTDOWN_TIMEOUT_MS, then it closes their sockets). The app's stop does the rest.
      async stop() {
        live.close();
        await websocket.close(config.shutdownTimeoutMs);
        await apollo.stop();
      },
    },
  });
  return { httpServer, apollo, phase: edge.phase, listen: edge.listen, stop: edge.stop, settled: edge.settled };
}

/**
 * The edge's caller resolver with authentication on: the request's headers through the authenticator
 * (src/auth/authenticate.ts). No credential is let through as the anonymous caller only where that can
 * make sense: AUTH_INTROSPECTION=open, or the landing page (HTML, no operation); caller-access.plugin.ts
 * refuses whatever else it tries. Every other failure is answered here, before Apollo or Codat.
 */
function callerResolver(authenticator: Authenticator, observability: Observability): CallerResolver<Caller> {
  // `facts.logger` only where a line is written: the edge makes the request's logger when first asked.
  return async (facts) => {
    const { request, url } = facts;
    const result = await authenticator.authenticateHeaders(request.headers);
    if ('caller' in result) return { caller: result.caller };
    const { failure } = result;
    if (failure.reason === 'missing' && (authenticator.introspectionOpen || isLandingPageRequest(request, url))) {
      return { caller: ANONYMOUS_CALLER };
    }
    observability.onAuthFailure(failure.reason);
    facts.logger.info({ event: 'auth.refused', reason: failure.reason, status: failure.status }, 'caller refused');
    return { refuse: refusalAnswer(failure) };
  };
}

/**
 * The one place a WebSocket's credentials become a Caller (SSE and the callback protocol are HTTP
 * requests: their caller comes from their headers, as for queries). `credentials` were read from
 * `connection_init` (`Authorization` or `token`, `x-api-key`), else from the handshake's headers
 * (src/live/live-transports.ts, connectionCredentials), and go through the same authenticator as HTTP
 * requests. A refused one answers undefined, which closes the connection 4403 Forbidden; a missing
 * credential is refused too (a WebSocket has no introspection-only use).
 */
async function subscriptionCaller(
  authenticator: Authenticator,
  credentials: ConnectionCredentials,
  observability: Observability,
): Promise<Caller | undefined> {
  const result = await authenticator.authenticateHeaders({ authorization: credentials.authorization, 'x-api-key': credentials.apiKey });
  if ('caller' in result) return result.caller;
  observability.onAuthFailure(result.failure.reason);
  return undefined;
}

/** What the edge sends for a refused caller: one error shaped like Apollo's, its status, the challenge. */
function refusalAnswer(failure: AuthFailure): JsonAnswer {
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  if (failure.challenge) headers['www-authenticate'] = failure.challenge;
  return { status: failure.status, body: graphqlErrorBody(failure.message, failure.code), headers };
}

/** The most alarming of the tenants' circuits, for /readyz and the untenanted gauge: open, then half-open. */
function worstCircuit(states: Iterable<CircuitStateName>): CircuitStateName {
  let worst: CircuitStateName = 'closed';
  for (const state of states) {
    if (state === 'open') return 'open';
    if (state === 'half-open') worst = 'half-open';
  }
  return worst;
}

/** The quota nearest its end among the tenants', for the untenanted gauges (one tenant: its own). */
function scarcestQuota(views: Iterable<QuotaView>): QuotaView {
  let scarcest: QuotaView = {};
  for (const view of views) {
    const left = view.remaining ?? view.limit;
    const least = scarcest.remaining ?? scarcest.limit;
    if (left !== undefined && (least === undefined || left < least)) scarcest = view;
  }
  return scarcest;
}

/** The Codat client for one upstream, configured from `config`: the only place a `CodatClient` is made. */
export function createCodatClient(
  config: Config,
  upstream: Upstream,
  options: { hooks?: CodatClientHooks; random?: () => number; fleetSlots?: FleetSlots; requestWindow?: RequestWindow } = {},
): CodatClient {
  return createCodatHttpClient({
    baseUrl: upstream.baseUrl,
    apiKey: upstream.apiKey,
    timeoutMs: config.codatTimeoutMs,
    maxConcurrency: config.codatMaxConcurrency,
    maxConcurrencyPerCompany: config.codatMaxConcurrencyPerCompany,
    maxRequestsPerMinute: config.codatMaxRequestsPerMinute,
    quotaReserve: config.codatQuotaReserve,
    fleetSlots: options.fleetSlots,
    requestWindow: options.requestWindow,
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
  // Loaded only here: with a CODAT_API_KEY the simulator's code is never in memory.
  const { CodatSimulator } = await import('./simulator');
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
