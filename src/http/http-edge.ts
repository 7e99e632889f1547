import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

import type { Logger } from '../observability/logger';
import { healthRoutes, type HealthSources, type ServerPhase } from './health.routes';
import { routePathOf, type CallerResolver, type HttpExchange, type HttpRoute, type RequestFacts, type UpgradeRoute } from './http-route';
import { graphqlErrorBody, sendJson, sendJsonOnSocket } from './json-response';
import { requestIdFrom } from './request-id';

export interface HttpEdgeOptions<TCaller> {
  /** The node:http server to serve on; created by the caller so Apollo's drain plugin can be given it too. */
  server: Server;
  /** The service logger; every request gets a child stamped with its request id. */
  logger: Logger;
  /** When given, /healthz, /readyz and /metrics are served first, open (see health.routes.ts). */
  health?: HealthSources;
  /** The route table, in order: the first route that matches serves the request. */
  routes: readonly HttpRoute<TCaller>[];
  /** Upgrade requests (WebSocket handshakes) by path; without any, node:http closes such connections itself. */
  upgrades?: readonly UpgradeRoute<TCaller>[];
  /** Resolves the caller once per request, for routes that are not open; without it `caller` stays undefined. */
  resolveCaller?: CallerResolver<TCaller>;
  /** Said in the JSON 404 for a path no route serves, e.g. where GraphQL is. */
  notFoundMessage: string;
  /**
   * `start` runs before the server listens (Apollo's start); `stop` runs once the phase is 'draining'
   * and must close the server: Apollo's stop does, through its drain plugin (SHUTDOWN_TIMEOUT_MS).
   */
  lifecycle: { start(): Promise<void>; stop(): Promise<void> };
}

export interface HttpEdge {
  server: Server;
  /** 'starting' until listen() resolves, 'ready' until stop() is called, then 'draining'; /readyz answers 503 unless ready. */
  phase(): ServerPhase;
  /** Runs `lifecycle.start`, then listens; resolves with the base URL (e.g. http://127.0.0.1:4000). */
  listen(port: number, host: string): Promise<string>;
  /** Not ready from now on; then `lifecycle.stop` (in-flight requests finish, the server closes). */
  stop(): Promise<void>;
  /**
   * Resolves once no request is being handled. The drain closes the sockets of requests that outlive
   * SHUTDOWN_TIMEOUT_MS, but their handlers go on (waiting on Codat, say) until what they wait on ends;
   * the composition root waits here after ending their Codat calls, so their lines are logged before it stops.
   */
  settled(): Promise<void>;
}

/**
 * The HTTP edge: one node:http server, routing by an ordered table, request ids, a caller resolved once
 * per request, health routes and the server's lifecycle. Everything behind a route (Apollo, static
 * files) is plugged in by the composition root; this folder knows nothing of our schema or Codat.
 */
export function createHttpEdge<TCaller = unknown>(options: HttpEdgeOptions<TCaller>): HttpEdge {
  const { server } = options;
  let phase: ServerPhase = 'starting';
  const routes = [...(options.health ? healthRoutes(options.health, () => phase) : []), ...options.routes];
  const upgrades = options.upgrades ?? [];

  // No caller to resolve (an open route, or authentication off): answered without a promise, since a
  // cached GraphQL answer is otherwise a chain of a few dozen of them (src/apollo/one-listener.plugin.ts).
  const NO_CALLER = { caller: undefined };
  function callerFor(facts: RequestFacts, open: boolean | undefined) {
    if (open || !options.resolveCaller) return NO_CALLER;
    return options.resolveCaller(facts);
  }

  async function serve(exchange: EdgeExchange<TCaller>): Promise<void> {
    const route = routes.find((r) => r.matches(exchange.path));
    if (!route) {
      sendJson(exchange.response, { status: 404, body: { error: options.notFoundMessage } });
      return;
    }
    const pending = callerFor(exchange, route.open);
    const resolved = pending === NO_CALLER ? NO_CALLER : await pending;
    if ('refuse' in resolved) {
      sendJson(exchange.response, resolved.refuse);
      exchange.request.resume();
      return;
    }
    exchange.caller = resolved.caller;
    await route.handle(exchange);
  }

  // Requests whose handler has not ended yet, and who waits for there to be none (settled()).
  let handling = 0;
  const onSettled: (() => void)[] = [];
  const handled = (): void => {
    handling -= 1;
    if (handling === 0) for (const resolve of onSettled.splice(0)) resolve();
  };

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const exchange = new EdgeExchange<TCaller>(request, options.logger, response);
    response.setHeader('x-request-id', exchange.requestId);
    handling += 1;
    serve(exchange).then(handled, (error: unknown) => {
      // Only reachable on a bug in a route; the client gets no details, our log gets name and message.
      logFailure(exchange.logger, 'http.route_failed', error);
      if (!response.headersSent) {
        sendJson(response, { status: 500, body: graphqlErrorBody('Internal server error', 'INTERNAL_SERVER_ERROR') });
      } else response.end();
      handled();
    });
  });

  if (upgrades.length > 0) {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const facts = new EdgeRequest(request, options.logger);
      const echo = { 'x-request-id': facts.requestId };
      const upgrade = async (): Promise<void> => {
        const route = upgrades.find((r) => r.matches(facts.path));
        if (!route) {
          sendJsonOnSocket(socket, { status: 404, body: { error: options.notFoundMessage } }, echo);
          return;
        }
        const resolved = await callerFor(facts, route.open);
        if ('refuse' in resolved) {
          sendJsonOnSocket(socket, resolved.refuse, echo);
          return;
        }
        // A handshake is rare next to requests: its exchange takes the logger as it is.
        const { request: upgraded, url, path, requestId, logger } = facts;
        await route.handle({ request: upgraded, url, path, requestId, logger, socket, head, caller: resolved.caller });
      };
      upgrade().catch((error: unknown) => {
        logFailure(facts.logger, 'http.upgrade_failed', error);
        socket.destroy();
      });
    });
  }

  return {
    server,
    phase: () => phase,
    async listen(port, host) {
      await options.lifecycle.start();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      phase = 'ready';
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `http://${shownHost}:${address.port}`;
    },
    async stop() {
      phase = 'draining';
      await options.lifecycle.stop();
    },
    settled: () => (handling === 0 ? Promise.resolve() : new Promise((resolve) => onSettled.push(resolve))),
  };
}

/**
 * A request's facts, its URL and logger made when first asked for: a cached answer needs neither. Its
 * route is found from the path alone (routePathOf), and it logs nothing but its access line, which names
 * the request id itself (src/observability/graphql-requests.ts); a pino child costs a request several
 * µs, parsing the URL about 2.5 (README, "Performance").
 */
class EdgeRequest implements RequestFacts {
  readonly path: string;
  readonly requestId: string;
  private parsedUrl: URL | undefined;
  private requestLogger: Logger | undefined;

  constructor(
    readonly request: IncomingMessage,
    private readonly serviceLogger: Logger,
  ) {
    this.path = routePathOf(request.url ?? '/');
    this.requestId = requestIdFrom(request);
  }

  get url(): URL {
    return (this.parsedUrl ??= new URL(this.request.url ?? '/', 'http://localhost'));
  }

  /** The service logger with this request's id on every line. */
  get logger(): Logger {
    return (this.requestLogger ??= this.serviceLogger.child({ requestId: this.requestId }));
  }
}

/** One HTTP request as routes get it: its caller is set once resolved, before the route runs. */
class EdgeExchange<TCaller> extends EdgeRequest implements HttpExchange<TCaller> {
  caller: TCaller | undefined = undefined;

  constructor(
    request: IncomingMessage,
    serviceLogger: Logger,
    readonly response: ServerResponse,
  ) {
    super(request, serviceLogger);
  }
}

/** Name and message only: an error object may hold headers or anything else (redaction backs this up). */
function logFailure(logger: Logger, event: string, error: unknown): void {
  const cause = error instanceof Error ? error : new Error(String(error));
  logger.error({ event, errorName: cause.name, errorMessage: cause.message }, 'request failed in the HTTP edge');
}
