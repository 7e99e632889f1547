import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginSubscriptionCallback } from '@apollo/server/plugin/subscriptionCallback';
import { GraphQLError } from 'graphql';

import type { SharedRequestPlugin } from './one-listener.plugin';

export interface SubscriptionCallbackOptions {
  /** `SUBSCRIPTION_CALLBACK_URLS`: prefixes a callback URL must start with; empty accepts any. */
  callbackUrlPrefixes: readonly string[];
  /** Apollo's plugin logs its exchanges with the router (debug) and their failures (error). */
  logger: NonNullable<Parameters<typeof ApolloServerPluginSubscriptionCallback>[0]>['logger'];
}

/**
 * Subscriptions over HTTP, as Apollo Router subscribes to subgraphs in callback mode: the router POSTs the
 * subscription with `extensions.subscription = { callbackUrl, subscriptionId, verifier, heartbeatIntervalMs }`,
 * we answer `{ data: null }` after a `check` to the callback URL, then POST `next` events, heartbeat
 * `check`s and a final `complete` to it, and stop when it answers 404. Apollo's own plugin
 * (`ApolloServerPluginSubscriptionCallback`) does that; around it this adds:
 * - a request refused before execution (the cost or depth limit, a validation error, a callback URL
 *   outside SUBSCRIPTION_CALLBACK_URLS) is answered to the router with its errors and never subscribed:
 *   Apollo's plugin would otherwise check and subscribe from `willSendResponse`, which runs for refused
 *   requests too;
 * - a subscription over plain HTTP without the callback extension is refused with BAD_REQUEST, naming the
 *   transports that serve it (graphql-ws, text/event-stream, the callback protocol).
 */
export function createSubscriptionCallbackPlugins<TContext extends BaseContext>(
  options: SubscriptionCallbackOptions,
): { gate: SharedRequestPlugin<TContext>; callback: ApolloServerPlugin<TContext> } {
  // Apollo's plugin says `error` for a subscribe the resolver refused (bad input, a limit): a client's
  // problem, so a warning here; the router being unreachable is one too.
  const base = options.logger;
  const logger = base && {
    debug: (message: string) => base.debug(message),
    info: (message: string) => base.info(message),
    warn: (message: string) => base.warn(message),
    error: (message: string) => base.warn(message),
  };
  const callback = ApolloServerPluginSubscriptionCallback({ logger }) as ApolloServerPlugin<TContext>;
  const allowed = (url: unknown): boolean =>
    typeof url === 'string' &&
    (options.callbackUrlPrefixes.length === 0 || options.callbackUrlPrefixes.some((prefix) => url.startsWith(prefix)));
  const extensionOf = (request: { extensions?: Record<string, unknown> }) =>
    request.extensions?.subscription as { callbackUrl?: unknown; callback_url?: unknown } | undefined;
  return {
    // The refusals, checked with the other operation checks (one-listener.plugin.ts), after the limits.
    gate: {
      requestDidStart({ request }) {
        const extension = extensionOf(request);
        if (!extension) {
          // A document without the word holds no subscription, and needs no check. A persisted query's
          // text is not known yet: checked once it is.
          if (request.query !== undefined && !request.query.includes('subscription')) return undefined;
          return {
            didResolveOperation({ operation }) {
              if (operation?.operation === 'subscription') throw badRequest(NOT_OVER_PLAIN_HTTP);
            },
          };
        }
        return {
          didResolveOperation({ operation }) {
            if (operation?.operation !== 'subscription')
              throw badRequest('The subscription callback extension is for subscription operations only.');
            if (!allowed(extension.callbackUrl ?? extension.callback_url)) {
              throw badRequest('The callback URL is not one this subgraph calls back (SUBSCRIPTION_CALLBACK_URLS).');
            }
          },
        };
      },
    },
    // Apollo's protocol, for the requests that carry the extension.
    callback: {
      async serverWillStart(service) {
        return callback.serverWillStart?.(service);
      },
      async requestDidStart(requestContext) {
        if (!extensionOf(requestContext.request)) return undefined;
        const hooks = await callback.requestDidStart?.(requestContext);
        if (!hooks) return;
        return {
          ...hooks,
          async willSendResponse(ctx) {
            const body = ctx.response.body;
            const refused = body.kind === 'single' ? (body.singleResult.errors?.length ?? 0) > 0 : false;
            if (refused) return;
            await hooks.willSendResponse?.(ctx);
          },
        };
      },
    },
  };
}

const NOT_OVER_PLAIN_HTTP =
  'Subscriptions are served over WebSocket at /graphql (graphql-transport-ws), as Server-Sent Events (Accept: text/event-stream), or through the router callback protocol; not as a plain HTTP request.';

function badRequest(message: string): GraphQLError {
  // `http` is read and removed by Apollo: it sets the response status.
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
}
