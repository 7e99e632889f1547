import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

import type { Context } from '../context';
import { codedError } from '../errors';

/** The fields that describe the schema rather than read data: introspection, and Federation's SDL. */
const SCHEMA_FIELDS = new Set(['__schema', '__type', '__typename', '_service']);

export interface CallerAccessOptions {
  /** AUTH_INTROSPECTION=open: an anonymous caller may run operations that only read the schema. */
  introspectionOpen: boolean;
  /** What a request without a credential is told (src/auth/authenticate.ts's `missing` failure). */
  refusal: { message: string; challenge?: string };
}

/**
 * What authentication on (AUTH_MODE jwt or api-key) changes once Apollo has the operation:
 * - answers depend on who asks, so their cache hints become PRIVATE: a gateway, router or CDN may keep
 *   one for the caller that got it, never serve it to another (whose companies may differ);
 * - callers who sent no credential get in only where that can make sense (src/app.ts lets them through
 *   for AUTH_INTROSPECTION=open or the landing page). Once the operation is known and before anything
 *   runs, anything but a schema read (and every schema read when introspection is not open) is answered
 *   like the edge answers a missing credential: HTTP 401, one UNAUTHENTICATED error,
 *   `WWW-Authenticate: Bearer`. Nothing reaches a resolver, so nothing reaches Codat.
 */
export function createCallerAccessPlugin(options: CallerAccessOptions): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      if (contextValue.caller.kind !== 'anonymous') {
        return {
          // After execution: Apollo's cache control plugin computes the hints only while nothing else has
          // restricted the request's policy when execution starts.
          async executionDidStart({ overallCachePolicy }) {
            return {
              async executionDidEnd() {
                overallCachePolicy.restrict({ scope: 'PRIVATE' });
              },
            };
          },
        };
      }
      return {
        async didResolveOperation({ operation, document }) {
          if (options.introspectionOpen && operation && readsSchemaOnly(operation, document)) return;
          const headers = new HeaderMap([['cache-control', 'no-store']]);
          if (options.refusal.challenge) headers.set('www-authenticate', options.refusal.challenge);
          // `http` is read and removed by Apollo: the status and headers of the response, never shown to the client.
          throw codedError('UNAUTHENTICATED', options.refusal.message, { http: { status: 401, headers } });
        },
      };
    },
  };
}

/** Whether every root field the operation selects (through fragments too) is one of SCHEMA_FIELDS. */
export function readsSchemaOnly(operation: OperationDefinitionNode, document: DocumentNode): boolean {
  if (operation.operation !== 'query') return false;
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])),
  );
  const seen = new Set<string>();
  const only = (set: SelectionSetNode): boolean =>
    set.selections.every((selection) => {
      if (selection.kind === Kind.FIELD) return SCHEMA_FIELDS.has(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return only(selection.selectionSet);
      const name = selection.name.value;
      if (seen.has(name)) return true;
      seen.add(name);
      const fragment = fragments.get(name);
      return fragment !== undefined && only(fragment);
    });
  return only(operation.selectionSet);
}
