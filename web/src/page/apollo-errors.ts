// Apollo Client's errors as the subgraph's own GraphQL errors, so error-words.ts reads one shape:
// field errors arrive as CombinedGraphQLErrors; a refused request (401 UNAUTHENTICATED, 400
// QUERY_TOO_COMPLEX) as a ServerError whose body holds the same `errors` list; no answer at all as a
// network error.
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';

import type { SubgraphError } from './error-words';

export function subgraphErrors(error: unknown): SubgraphError[] {
  if (!error) return [];
  if (CombinedGraphQLErrors.is(error)) {
    return error.errors.map((e) => ({
      message: e.message,
      ...(e.path && { path: e.path }),
      ...(e.extensions && { extensions: e.extensions }),
    }));
  }
  if (ServerError.is(error)) {
    const listed = errorsInBody(error.bodyText);
    if (listed.length > 0) return listed;
    return [{ message: `The subgraph answered HTTP ${error.statusCode}.`, extensions: { code: `HTTP_${error.statusCode}` } }];
  }
  return [{ message: 'The subgraph cannot be reached. Check that it is running, then reload.', extensions: { code: 'NETWORK' } }];
}

function errorsInBody(bodyText: string): SubgraphError[] {
  try {
    const body = JSON.parse(bodyText) as { errors?: unknown };
    if (!Array.isArray(body.errors)) return [];
    return body.errors.flatMap((e: unknown): SubgraphError[] => {
      if (typeof e !== 'object' || e === null) return [];
      const { message, extensions } = e as { message?: unknown; extensions?: unknown };
      return typeof message === 'string'
        ? [{ message, ...(typeof extensions === 'object' && extensions !== null && { extensions: extensions as Record<string, unknown> }) }]
        : [];
    });
  } catch {
    return [];
  }
}
