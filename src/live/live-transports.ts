import {
  getOperationAST,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import type { IncomingHttpHeaders } from 'node:http';

import type { HandlerOptions as SseHandlerOptions } from 'graphql-sse';
import type { ServerOptions as WsServerOptions } from 'graphql-ws';

import type { Caller } from '../auth/caller';
import { codedError, formatError } from '../errors';
import { operationLimitError, type CostLimitOptions } from '../limits/cost-limit.plugin';
import type { Logger } from '../observability/logger';
import type { LiveTransport } from './live-tracker';

/**
 * The GraphQL side of the subscription transports that Apollo Server does not run: graphql-ws over
 * WebSocket and graphql-sse over Server-Sent Events (src/http/ carries their bytes). What Apollo's
 * plugins do for HTTP requests, this does for them, with the same rules:
 * - the document is parsed and validated, then the cost and depth limits (src/limits/) are applied,
 *   before anything runs;
 * - every error leaves through `formatError` (src/errors.ts: typed codes, the rest masked);
 * - the context is built by the composition root, as for HTTP requests, with the caller and transport;
 * - graphql-ws: at most `maxSubscriptionsPerConnection` operations per connection, and the caller comes
 *   from `connection_init` or the handshake (see `connectionCredentials`).
 * Over SSE only subscriptions are served: queries and mutations go to POST /graphql as JSON, where
 * Apollo (and its request log and metrics) handles them.
 */
export interface SubscriptionServing<TContext> {
  schema: GraphQLSchema;
  /** MAX_OPERATION_COST and MAX_QUERY_DEPTH. */
  limits: CostLimitOptions;
  /** `MAX_SUBSCRIPTIONS_PER_CONNECTION`. */
  maxSubscriptionsPerConnection: number;
  /** `WS_CONNECTION_INIT_TIMEOUT_MS`. */
  connectionInitTimeoutMs: number;
  /**
   * The one place a WebSocket's credentials become a Caller (see `connectionCredentials`). Undefined
   * refuses the connection (closed 4403 Forbidden).
   */
  callerFromConnection(credentials: ConnectionCredentials): Promise<Caller | undefined>;
  /** The operation's context, built like an HTTP request's (src/app.ts). */
  context(session: { caller: Caller; transport: LiveTransport; requestId: string; logger: Logger }): Promise<TContext>;
  /** A subscribe refused by MAX_SUBSCRIPTIONS_PER_CONNECTION (metrics). */
  onRefused(reason: 'connection'): void;
}

/** What the edge hands graphql-ws as `ctx.extra` (src/http/graphql-ws.route.ts's WsConnectionExtra). */
interface ConnectionFacts {
  facts: { requestId: string; logger: Logger; request: { headers: IncomingHttpHeaders } };
}

/** A WebSocket's credentials, as an `Authorization` header value and an api key. */
export interface ConnectionCredentials {
  authorization?: string;
  apiKey?: string;
}

/**
 * A WebSocket's credentials. First graphql-ws's `connection_init` payload, as browser clients must send
 * them: `Authorization` (or `authorization`), a header value such as "Bearer <JWT>"; `token`, the bare
 * token (taken as a bearer token); `x-api-key`. Then the handshake's own `Authorization` and `x-api-key`
 * headers, which gateways forward (Apollo Router's and Hive's header propagation). Strings only.
 */
export function connectionCredentials(params: Record<string, unknown> | undefined, headers: IncomingHttpHeaders): ConnectionCredentials {
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  const token = text(params?.token);
  const authorization =
    text(params?.Authorization) ?? text(params?.authorization) ?? (token ? bearer(token) : undefined) ?? text(headers.authorization);
  const apiKey = text(params?.['x-api-key']) ?? text(headers['x-api-key']);
  return { ...(authorization ? { authorization } : {}), ...(apiKey ? { apiKey } : {}) };
}

/** A `token` is a bare token, or (forwarded from an Authorization header by a gateway) already "Bearer …". */
function bearer(token: string): string {
  return /^bearer\s/i.test(token) ? token : `Bearer ${token}`;
}

export function graphqlWsServerOptions<TContext>(
  serving: SubscriptionServing<TContext>,
): WsServerOptions<Record<string, unknown> | undefined, ConnectionFacts> {
  const callers = new WeakMap<object, Caller>();
  return {
    schema: serving.schema,
    connectionInitWaitTimeout: serving.connectionInitTimeoutMs,
    async onConnect(ctx) {
      const caller = await serving.callerFromConnection(connectionCredentials(ctx.connectionParams, ctx.extra.facts.request.headers));
      if (!caller) return false;
      callers.set(ctx, caller);
      return true;
    },
    async onSubscribe(ctx, _id, payload) {
      // This operation is already counted in ctx.subscriptions.
      if (Object.keys(ctx.subscriptions).length > serving.maxSubscriptionsPerConnection) {
        serving.onRefused('connection');
        const limit = serving.maxSubscriptionsPerConnection;
        return [
          codedError('TOO_MANY_SUBSCRIPTIONS', `A connection may hold at most ${limit} subscriptions at once; complete one first.`, {
            limit,
            scope: 'connection',
          }),
        ];
      }
      const prepared = prepare(serving, payload.query, payload.operationName, payload.variables ?? undefined);
      if (!('document' in prepared)) return prepared;
      const caller = callers.get(ctx);
      if (!caller) return [new GraphQLError('Connection not initialised')];
      const contextValue = await serving.context({
        caller,
        transport: 'graphql-ws',
        requestId: ctx.extra.facts.requestId,
        logger: ctx.extra.facts.logger,
      });
      return { ...prepared, contextValue: contextValue as ExecutionArgs['contextValue'] };
    },
    onNext: (_ctx, _id, _payload, _args, result) => formatResult(result),
    onError: (_ctx, _id, _payload, errors) => errors.map(format),
  };
}

/** The request context the SSE route puts on each request (src/http/graphql-sse.route.ts). */
export interface SseRequestFacts {
  requestId: string;
  logger: Logger;
  caller: Caller;
}

export function graphqlSseHandlerOptions<TContext>(serving: SubscriptionServing<TContext>): SseHandlerOptions<unknown, SseRequestFacts> {
  return {
    schema: serving.schema,
    // Distinct connections only (one operation per event stream): no reservation tokens to manage.
    authenticate: () => null,
    async onSubscribe(request, params) {
      const variables = params.variables ?? undefined;
      const prepared = prepare(serving, params.query, params.operationName ?? undefined, variables);
      // graphql-sse takes an object with `data` for a ready result (sent as one `next`, then `complete`).
      if (!('document' in prepared)) return { data: null, errors: prepared.map(format) } as unknown as ExecutionResult;
      const operation = getOperationAST(prepared.document, prepared.operationName);
      if (operation?.operation !== 'subscription') {
        const refusal = new GraphQLError('Only subscriptions are served as text/event-stream; send queries and mutations as JSON.', {
          extensions: { code: 'BAD_REQUEST' },
        });
        return { data: null, errors: [format(refusal)] } as unknown as ExecutionResult;
      }
      const { caller, requestId, logger } = request.context;
      const contextValue = await serving.context({ caller, transport: 'sse', requestId, logger });
      return { ...prepared, contextValue: contextValue as never };
    },
    onNext: (_ctx, _request, result) => formatResult(result as ExecutionResult) as ExecutionResult | undefined,
  };
}

/** Parsed, validated and within the limits: the execution arguments; else the errors that refuse it. */
function prepare<TContext>(
  serving: SubscriptionServing<TContext>,
  query: string,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
): Omit<ExecutionArgs, 'contextValue'> | GraphQLError[] {
  const { schema } = serving;
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return [error instanceof GraphQLError ? withCode(error, 'GRAPHQL_PARSE_FAILED') : new GraphQLError('Syntax error')];
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0) return invalid.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
  const operation = getOperationAST(document, operationName);
  if (!operation) return [new GraphQLError('Unable to identify the operation', { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })];
  const refusal = operationLimitError(serving.limits, schema, document, operation, variables);
  if (refusal) return [refusal];
  return { schema, document, operationName, variableValues: variables };
}

/** As Apollo labels them, so clients see the same codes on every transport. */
function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}

function format(error: GraphQLError): ReturnType<typeof formatError> {
  return formatError(error.toJSON(), error);
}

/** A result's errors through formatError; ones already formatted (a refusal made above) pass as they are. */
function formatResult(result: ExecutionResult): FormattedExecutionResult | undefined {
  if (!result.errors) return undefined;
  const errors = result.errors.map((error: unknown) =>
    error instanceof GraphQLError ? format(error) : (error as ReturnType<typeof formatError>),
  );
  return { ...result, errors } as FormattedExecutionResult;
}
