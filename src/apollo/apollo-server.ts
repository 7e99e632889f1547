import type { Server } from 'node:http';

import { ApolloServer, type ApolloServerOptions } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { GraphQLSchema } from 'graphql';

import type { Config } from '../config';
import type { Context } from '../context';
import { formatError } from '../errors';
import { createCostLimitPlugin } from '../limits/cost-limit.plugin';
import { nameDateTimeLiteralsRule } from '../scalars/date-time.scalar';
import type { GraphQLRequestReporter } from '../observability/graphql-requests';
import { createCallerAccessPlugin, type CallerAccessOptions } from './caller-access.plugin';
import { createGraphQLObservabilityPlugin } from './graphql-observability.plugin';
import { inlineTraceWhenAsked } from './inline-trace.plugin';
import { oneRequestListener } from './one-listener.plugin';
import { createStaleReadsPlugin } from './stale-reads.plugin';
import { createSubscriptionCallbackPlugins } from './subscription-callback.plugin';

export interface ApolloSetupOptions extends Pick<Config, 'production' | 'maxOperationCost' | 'maxQueryDepth' | 'shutdownTimeoutMs'> {
  /** The subgraph schema (schema.ts), built once and shared with whatever else executes it. */
  schema: GraphQLSchema;
  /** The node:http server Apollo's drain plugin closes on stop, letting in-flight requests finish first. */
  httpServer: Server;
  /** Where Apollo's own messages go. */
  logger: NonNullable<ApolloServerOptions<Context>['logger']>;
  /** Observability's GraphQL request report (one metric sample, log line and span per request). */
  graphqlRequests: GraphQLRequestReporter;
  /** `SUBSCRIPTION_CALLBACK_URLS` (config.ts, live): where the router callback protocol may call back. */
  callbackUrlPrefixes: readonly string[];
  /** With authentication on: private cache hints, and what callers without a credential may do (caller-access.plugin.ts). */
  callerAccess?: CallerAccessOptions;
}

/**
 * Apollo Server as this subgraph runs it, whatever carries the HTTP (src/http/ serves it):
 * - errors leave through `formatError` (src/errors.ts: typed codes, everything else masked), never
 *   with a stack trace;
 * - CSRF prevention on; introspection and the landing page outside production only;
 * - plugins, in order: the drain on stop (SHUTDOWN_TIMEOUT_MS); one request listener for stale reads
 *   reported beside their data, the request report, the cost and depth limits (src/limits/) and the
 *   subscription checks; with authentication on, the callers' access (private cache hints, the gate for
 *   callers without a credential); subscriptions over Apollo Router's HTTP callback protocol
 *   (subscription-callback.plugin.ts); federated tracing for the requests that ask for it
 *   (inline-trace.plugin.ts); the landing page.
 */
export function createApolloServer(options: ApolloSetupOptions): ApolloServer<Context> {
  const subscriptions = createSubscriptionCallbackPlugins<Context>({
    callbackUrlPrefixes: options.callbackUrlPrefixes,
    logger: options.logger,
  });
  return new ApolloServer<Context>({
    schema: options.schema,
    formatError,
    logger: options.logger,
    includeStacktraceInErrorResponses: false,
    introspection: !options.production,
    csrfPrevention: true,
    // Names each DateTime literal's argument in its error (src/scalars/date-time.scalar.ts).
    validationRules: [nameDateTimeLiteralsRule],
    // index.ts owns signal handling (drain, then stop the simulator, then exit).
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: options.httpServer, stopGracePeriodMillis: options.shutdownTimeoutMs }),
      // One listener, in this order (one-listener.plugin.ts): the stale-read entries before the report that
      // counts them; the limits' refusal before the subscription checks', when both refuse.
      oneRequestListener<Context>([
        createStaleReadsPlugin(),
        createGraphQLObservabilityPlugin(options.graphqlRequests),
        createCostLimitPlugin({ maxCost: options.maxOperationCost, maxDepth: options.maxQueryDepth }),
        subscriptions.gate,
      ]),
      ...(options.callerAccess ? [createCallerAccessPlugin(options.callerAccess)] : []),
      subscriptions.callback,
      inlineTraceWhenAsked(options.logger),
      options.production ? ApolloServerPluginLandingPageDisabled() : ApolloServerPluginLandingPageLocalDefault({ embed: true }),
    ],
  });
}
