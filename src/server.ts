import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ApolloServer, HeaderMap, type ApolloServerOptions, type HTTPGraphQLRequest } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';

import type { CodatApi } from './codat/codat.api';
import { createContext, type Context } from './context';
import { formatError } from './errors';
import { createGraphQLObservabilityPlugin } from './apollo/graphql-observability.plugin';
import { createCostLimitPlugin } from './limits/cost-limit.plugin';
import { answerOperational, OPERATIONAL_PATHS, type ServerPhase } from './observability/health.routes';
import { createObservability, type Observability } from './observability/observability';
import { requestScope } from './observability/request-scope';
import { buildCommerceSchema } from './schema';

export interface ServerOptions {
  codat: CodatApi;
  /** Production turns off the landing page and introspection. */
  production?: boolean;
  /** Largest request body accepted, in bytes; larger ones get 413 before any parsing. */
  maxBodyBytes?: number;
  /** `MAX_OPERATION_COST`: Codat calls one operation may need; more is refused before execution (default 200). */
  maxOperationCost?: number;
  /** `MAX_QUERY_DEPTH`: deepest field nesting allowed, introspection excepted (default 10). */
  maxQueryDepth?: number;
  /** Where Apollo's own messages go (default: console). */
  logger?: ApolloServerOptions<Context>['logger'];
  /**
   * Logs, metrics and traces (src/observability). Pass the same one whose `codatHooks` the Codat client
   * got; default: a fresh one with logging off (for tests that do not look).
   */
  observability?: Observability;
  /** `SHUTDOWN_TIMEOUT_MS`: how long stop() lets in-flight requests run before closing their sockets. */
  shutdownTimeoutMs?: number;
}

export interface CommerceServer {
  httpServer: Server;
  apollo: ApolloServer<Context>;
  /** Starts Apollo and listens; resolves with the base URL (e.g. http://127.0.0.1:4000). */
  listen(port: number, host: string): Promise<string>;
  /** Stops accepting connections, lets in-flight requests finish, then stops Apollo. */
  stop(): Promise<void>;
  /** 'ready' between listen() and stop(); /readyz answers 503 otherwise. */
  phase(): ServerPhase;
  observability: Observability;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_MAX_OPERATION_COST = 200;
const DEFAULT_MAX_QUERY_DEPTH = 10;

/**
 * Builds the Apollo server and a plain node:http server around it (no listen), so tests can start it on
 * port 0 and the entry point can add signal handling. We integrate through
 * `executeHTTPGraphQLRequest` rather than `startStandaloneServer` to own routing, body limits and
 * request ids.
 */
export function createCommerceServer(options: ServerOptions): CommerceServer {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const httpServer = createServer();
  const observability = options.observability ?? createObservability({ logLevel: 'silent' });
  let phase: ServerPhase = 'starting';
  const apollo = new ApolloServer<Context>({
    schema: buildCommerceSchema(),
    formatError,
    logger: options.logger,
    includeStacktraceInErrorResponses: false,
    introspection: !options.production,
    csrfPrevention: true,
    // index.ts owns signal handling (drain, then stop the simulator, then exit).
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: options.shutdownTimeoutMs }),
      createGraphQLObservabilityPlugin(observability.graphqlRequests),
      createCostLimitPlugin({
        maxCost: options.maxOperationCost ?? DEFAULT_MAX_OPERATION_COST,
        maxDepth: options.maxQueryDepth ?? DEFAULT_MAX_QUERY_DEPTH,
      }),
      options.production ? ApolloServerPluginLandingPageDisabled() : ApolloServerPluginLandingPageLocalDefault({ embed: true }),
    ],
  });

  httpServer.on('request', (req, res) => {
    handle(req, res).catch(() => {
      // Only reachable on a bug in our own handler; answer without details.
      if (!res.headersSent)
        sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const requestId = requestIdFrom(req);
    res.setHeader('x-request-id', requestId);
    if (OPERATIONAL_PATHS.has(url.pathname)) {
      await answerOperational(url.pathname, res, phase, observability);
      return;
    }
    if (url.pathname !== '/graphql') {
      sendJson(res, 404, { error: 'Not found. GraphQL is served at /graphql.' });
      return;
    }
    const body = await readBody(req, maxBodyBytes);
    if (body === TOO_LARGE) {
      sendJson(res, 413, { errors: [{ message: `Request body larger than ${maxBodyBytes} bytes`, extensions: { code: 'BAD_REQUEST' } }] });
      req.resume();
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      headers,
      search: url.search,
      body: parseBody(headers, body),
    };
    // The scope lets the Codat client's hooks find this request's logger and span (see request-scope.ts).
    const logger = observability.logger.child({ requestId });
    const response = await requestScope.run({ requestId, logger }, () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest,
        context: async () => createContext(options.codat, requestId, { logger, onBatch: observability.onBatch }),
      }),
    );
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  return {
    httpServer,
    apollo,
    observability,
    phase: () => phase,
    async listen(port, host) {
      await apollo.start();
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          resolve();
        });
      });
      phase = 'ready';
      const address = httpServer.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `http://${shownHost}:${address.port}`;
    },
    async stop() {
      // Not ready from now on; the drain plugin closes the HTTP server and waits for in-flight requests
      // (at most shutdownTimeoutMs, then it closes their sockets).
      phase = 'draining';
      await apollo.stop();
      await observability.close();
    },
  };
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Honours a caller's `x-request-id` when it is a sane token, so traces join up across services. */
function requestIdFrom(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

const TOO_LARGE = Symbol('too-large');

async function readBody(req: IncomingMessage, limit: number): Promise<string | typeof TOO_LARGE> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return TOO_LARGE;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) return TOO_LARGE;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Apollo expects a parsed body for JSON requests and refuses other content types itself (with CSRF
 * prevention for the "simple" ones). An unparsable JSON body is handed on as the raw string so Apollo
 * answers its usual 400.
 */
function parseBody(headers: HeaderMap, body: string): unknown {
  const type = headers.get('content-type') ?? '';
  if (body === '') return undefined;
  if (/^application\/(graphql-response\+)?json/i.test(type)) {
    try {
      return JSON.parse(body) as unknown;
    } catch {
      return body;
    }
  }
  return body;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(value));
}
