import type { IncomingMessage } from 'node:http';

import { CloseCode, handleProtocols, makeServer, type Context as WsContext, type ServerOptions } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';

import type { Logger } from '../observability/logger';
import { atPaths, type RequestFacts, type UpgradeRoute } from './http-route';
import { sendJsonOnSocket } from './json-response';

/** What graphql-ws's hooks see as `ctx.extra` for one connection: the upgrade request as the edge saw it. */
export interface WsConnectionExtra {
  facts: RequestFacts;
  socket: WebSocket;
}

export type WsServerOptions = ServerOptions<Record<string, unknown> | undefined, WsConnectionExtra>;

export interface GraphQLWsRouteOptions {
  /** Where the WebSocket is served, e.g. '/graphql' (the same path as HTTP GraphQL, as clients and gateways expect). */
  path: string;
  /** `MAX_BODY_BYTES`: the largest message a client may send. */
  maxPayloadBytes: number;
  /** `WS_PING_INTERVAL_MS`: a WebSocket ping this often; a socket that has not answered the previous one is dropped. 0: no pings. */
  pingIntervalMs: number;
  /** graphql-ws's server options (schema, context, hooks), built by the composition root: this file knows no schema. */
  server: WsServerOptions;
  logger: Logger;
}

export interface GraphQLWsRoute {
  route: UpgradeRoute;
  /**
   * Graceful close: refuses new connections, waits (at most `waitMs`) until every connection's operations
   * have completed (the subscriptions' sources end first: the caller ends them), then closes every socket
   * with 1001 Going Away. Apollo's drain plugin does not see upgraded sockets; this is their drain.
   */
  close(waitMs: number): Promise<void>;
}

/**
 * GraphQL over WebSocket (the `graphql-transport-ws` protocol, graphql-ws's server) on the edge's upgrade
 * table. The glue between `ws` and graphql-ws's `makeServer` is written out (graphql-ws's own
 * `use/ws` is "a basic starter") so that the connection carries the edge's request facts (request id,
 * logger), failures go to our logger, and shutdown can wait for `complete` to reach every client.
 * The handshake is open at the edge: browsers cannot set headers on a WebSocket, so the caller is
 * resolved from `connection_init` by `server.onConnect`.
 */
export function graphqlWsRoute(options: GraphQLWsRouteOptions): GraphQLWsRoute {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes, handleProtocols });
  const connections = new Map<WebSocket, WsContext<Record<string, unknown> | undefined, WsConnectionExtra> | undefined>();
  let closing = false;
  const server = makeServer<Record<string, unknown> | undefined, WsConnectionExtra>({
    ...options.server,
    async onConnect(ctx) {
      connections.set(ctx.extra.socket, ctx);
      return options.server.onConnect ? options.server.onConnect(ctx) : true;
    },
  });

  function serve(socket: WebSocket, facts: RequestFacts): void {
    connections.set(socket, undefined);
    const logger = facts.logger;
    socket.once('error', (error) => {
      logger.warn({ event: 'ws.socket_error', errorName: error.name, errorMessage: error.message }, 'websocket error');
      socket.close(CloseCode.InternalServerError, 'Internal server error');
    });
    const stopPings = startPings(socket, options.pingIntervalMs);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data: Buffer) => {
            handle(data.toString()).catch((error: unknown) => {
              const cause = error instanceof Error ? error : new Error(String(error));
              logger.error({ event: 'ws.message_failed', errorName: cause.name, errorMessage: cause.message }, 'websocket message failed');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      { facts, socket },
    );
    socket.once('close', (code, reason) => {
      stopPings();
      connections.delete(socket);
      void closed(code, reason.toString());
    });
  }

  return {
    route: {
      name: 'graphql-ws',
      matches: atPaths(options.path),
      open: true,
      async handle(exchange) {
        if (closing) {
          sendJsonOnSocket(exchange.socket, { status: 503, body: { error: 'Shutting down' } }, { 'x-request-id': exchange.requestId });
          return;
        }
        const { request, socket, head } = exchange;
        wss.handleUpgrade(request as IncomingMessage, socket, head, (ws) => serve(ws, exchange));
      },
    },
    async close(waitMs) {
      closing = true;
      const deadline = Date.now() + waitMs;
      const busy = (): boolean => [...connections.values()].some((ctx) => ctx !== undefined && Object.keys(ctx.subscriptions).length > 0);
      while (busy() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      const sockets = [...connections.keys()];
      await Promise.all(
        sockets.map(
          (socket) =>
            new Promise<void>((resolve) => {
              if (socket.readyState === socket.CLOSED) return resolve();
              const force = setTimeout(() => socket.terminate(), 1_000);
              socket.once('close', () => {
                clearTimeout(force);
                resolve();
              });
              socket.close(1001, 'Going away');
            }),
        ),
      );
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** ws-level pings (not graphql-ws's own ping message, which clients may not answer): drops sockets that stopped answering. */
function startPings(socket: WebSocket, intervalMs: number): () => void {
  if (!(intervalMs > 0)) return () => undefined;
  let answered = true;
  socket.on('pong', () => (answered = true));
  const timer = setInterval(() => {
    if (socket.readyState !== socket.OPEN) return;
    if (!answered) {
      socket.terminate();
      return;
    }
    answered = false;
    socket.ping();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
