import { createServer, type Server } from 'node:http';

import type { ApolloServer } from '@apollo/server';

import { createApolloServer, type ApolloSetupOptions } from './apollo/apollo-server';
import type { CodatApi } from './codat/codat.api';
import type { Config } from './config';
import { createContext, type Context } from './context';
import type { ServerPhase } from './http/health.routes';
import { createHttpEdge } from './http/http-edge';
import { graphqlRoute } from './http/graphql.route';
import type { Observability } from './observability/observability';
import { buildCommerceSchema } from './schema';

/** Every option is required; the values come from `Config` (src/config.ts), where each default is defined once. */
export interface ServerOptions extends Pick<
  Config,
  'production' | 'maxBodyBytes' | 'maxOperationCost' | 'maxQueryDepth' | 'shutdownTimeoutMs'
> {
  codat: CodatApi;
  /** Where Apollo's own messages go. */
  logger: ApolloSetupOptions['logger'];
  /** Logs, metrics and traces (src/observability); the same one whose `codatHooks` the Codat client got. */
  observability: Observability;
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

/**
 * The subgraph's server: Apollo (src/apollo/apollo-server.ts) served by the HTTP edge (src/http/), with
 * one context per request over the given Codat API. Nothing listens until listen(), so tests start it on
 * port 0 and the entry point adds signal handling.
 */
export function createCommerceServer(options: ServerOptions): CommerceServer {
  const { observability } = options;
  const httpServer = createServer();
  const apollo = createApolloServer({
    ...options,
    schema: buildCommerceSchema(),
    httpServer,
    graphqlRequests: observability.graphqlRequests,
  });
  const edge = createHttpEdge({
    server: httpServer,
    logger: observability.logger,
    health: observability,
    routes: [
      graphqlRoute({
        apollo,
        path: '/graphql',
        maxBodyBytes: options.maxBodyBytes,
        context: async ({ requestId, logger }) => createContext(options.codat, requestId, { logger, onBatch: observability.onBatch }),
      }),
    ],
    notFoundMessage: 'Not found. GraphQL is served at /graphql.',
    lifecycle: {
      start: () => apollo.start(),
      // Apollo's drain plugin closes the HTTP server and waits for in-flight requests (at most
      // SHUTDOWN_TIMEOUT_MS, then it closes their sockets); spans are flushed last.
      async stop() {
        await apollo.stop();
        await observability.close();
      },
    },
  });
  return { httpServer, apollo, observability, phase: edge.phase, listen: edge.listen, stop: edge.stop };
}
