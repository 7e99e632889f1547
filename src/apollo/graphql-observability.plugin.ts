import type { GraphQLFormattedError } from 'graphql';

import type { Context } from '../context';
import { isClientCode, isMasked } from '../errors';
import type { GraphQLRequestReporter } from '../observability/graphql-requests';
import type { SharedRequestPlugin } from './one-listener.plugin';

/**
 * The codes the client saw, read from the response as sent (after `formatError`). A code outside the
 * list cannot come out of formatError; counting it as INTERNAL_SERVER_ERROR keeps the `outcome` label
 * bounded all the same.
 */
function clientCodes(errors: readonly GraphQLFormattedError[] | undefined): string[] {
  return (errors ?? []).map((e) => {
    const code = e.extensions?.code;
    return isClientCode(code) ? code : 'INTERNAL_SERVER_ERROR';
  });
}

/**
 * Turns Apollo's request hooks into observability's GraphQL request report (src/observability/graphql-requests.ts:
 * one metric sample, one log line and a span per request). It lives beside the Apollo setup, not in
 * src/observability/, because it must know which errors src/errors.ts masks and which codes a client sees.
 */
export function createGraphQLObservabilityPlugin(report: GraphQLRequestReporter): SharedRequestPlugin<Context> {
  return {
    requestDidStart({ contextValue }) {
      const request = report({ requestId: contextValue.requestId, origin: contextValue.origin });
      return {
        didResolveOperation(ctx) {
          request.resolved({ type: ctx.operation?.operation ?? 'query', name: ctx.operationName ?? undefined });
        },
        didEncounterErrors(ctx) {
          // Masked errors reach the client as INTERNAL_SERVER_ERROR; their cause belongs in our log.
          for (const error of ctx.errors) {
            if (!isMasked(error)) continue;
            const cause = error.originalError ?? error;
            request.unexpectedError({ name: cause.name, message: cause.message }, error.path);
          }
        },
        willSendResponse(ctx) {
          const body = ctx.response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
          request.finished({
            operationName: ctx.operationName ?? ctx.request.operationName ?? undefined,
            operationType: ctx.operation?.operation,
            errorCodes: clientCodes(errors),
          });
        },
      };
    },
  };
}
