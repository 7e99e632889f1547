import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';

/** The header with which a gateway or router asks a subgraph for its trace (`ftv1`). */
const TRACE_HEADER = 'apollo-federation-include-trace';

/**
 * Apollo's inline tracing for subgraphs (the `ftv1` extension a gateway or router asks for, for its usage
 * reports), installed by us rather than left to Apollo: Apollo's plugin builds a trace tree for every
 * request and only then looks at the header, so most requests, which never ask, paid for one. Here the
 * header is looked at first, and only a request that asks reaches the plugin.
 *
 * Installing it also tells Apollo not to add its own (it looks for the plugin's internal id, which the
 * spread keeps), and it is on because this schema is a subgraph.
 */
export function inlineTraceWhenAsked<TContext extends BaseContext>(
  plugin: ApolloServerPlugin<TContext> = ApolloServerPluginInlineTrace() as ApolloServerPlugin<TContext>,
): ApolloServerPlugin<TContext> {
  const requestDidStart = plugin.requestDidStart?.bind(plugin);
  return {
    ...plugin,
    async requestDidStart(context) {
      if (context.request.http?.headers.get(TRACE_HEADER) !== 'ftv1') return undefined;
      return requestDidStart?.(context);
    },
  };
}
