import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';

/** The header with which a gateway or router asks a subgraph for its trace (`ftv1`). */
const TRACE_HEADER = 'apollo-federation-include-trace';

/** Our one line about federated traces, in place of Apollo's "Enabling inline tracing… To disable, use …". */
export const FEDERATED_TRACES_NOTICE =
  'Federated traces on: a router or gateway that sends "apollo-federation-include-trace: ftv1" gets per-field timings (errors masked); others get none and pay nothing';

interface NoticeLogger {
  info(message: string): void;
}

/**
 * Apollo's inline tracing for subgraphs (the `ftv1` extension Apollo Router and Gateway ask for, per
 * request, when they report field usage and timings to GraphOS; a subgraph without it leaves holes in
 * those traces), installed by us rather than left to Apollo's auto-detection:
 * - Apollo's plugin builds a trace tree for every request and only then looks at the header, so every
 *   request paid for one; here the header is looked at first, and only a request that asks reaches it;
 * - errors in the trace are masked (`<masked>`, no details): the router forwards traces off-site;
 * - one line of our own at start (FEDERATED_TRACES_NOTICE), where Apollo's reads like something to act on.
 *
 * Installing it also tells Apollo not to add its own (it looks for the plugin's internal id, which the
 * spread keeps).
 */
export function inlineTraceWhenAsked<TContext extends BaseContext>(
  logger: NoticeLogger,
  plugin: ApolloServerPlugin<TContext> = ApolloServerPluginInlineTrace({ includeErrors: { masked: true } }) as ApolloServerPlugin<TContext>,
): ApolloServerPlugin<TContext> {
  const requestDidStart = plugin.requestDidStart?.bind(plugin);
  const serverWillStart = plugin.serverWillStart?.bind(plugin);
  return {
    ...plugin,
    async serverWillStart(service) {
      logger.info(FEDERATED_TRACES_NOTICE);
      return serverWillStart?.(service);
    },
    async requestDidStart(context) {
      if (context.request.http?.headers.get(TRACE_HEADER) !== 'ftv1') return undefined;
      return requestDidStart?.(context);
    },
  };
}
