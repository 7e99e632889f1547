import { isObjectType, type GraphQLField, type GraphQLSchema } from 'graphql';
import { Extensions } from 'type-graphql';

/**
 * The one place that says which GraphQL fields call Codat, and how many calls each may make.
 *
 * Mark every upstream-backed field (a root query, a mutation, an entity field such as
 * `Company.commerceSyncStatus`) with `@UpstreamCalls(1)` next to its `@Query`, `@Mutation` or
 * `@FieldResolver`. The cost limit (src/limits/cost-limit.plugin.ts) reads the mark from the served
 * schema, so a new field is counted as soon as it carries it; an unmarked field costs nothing.
 * The mark is a type-graphql field extension: it does not appear in schema.graphql.
 *
 * A marked field outside Mutation and Subscription is a read, and the cost walk counts it once per object
 * and arguments however often it is selected (operation-cost.ts): it must read through a per-request
 * loader keyed by those arguments (src/sync/sync.loader.ts), as every read here does, so that the repeats
 * really share one call. A mark is the most calls one selection can make (2 for a field that may also
 * need the company's status, src/sync/sync.reads.ts).
 */
export const UPSTREAM_CALLS_EXTENSION = 'upstreamCalls';

/** Marks a field as making up to `calls` Codat calls each time it is selected. */
export function UpstreamCalls(calls = 1): ReturnType<typeof Extensions> {
  return Extensions({ [UPSTREAM_CALLS_EXTENSION]: calls });
}

/** The Codat calls one selection of this field may make (0 when unmarked). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function upstreamCallsOf(field: GraphQLField<unknown, unknown, any>): number {
  const value = field.extensions[UPSTREAM_CALLS_EXTENSION];
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * Field extensions do not survive printing to SDL, and the subgraph schema is rebuilt from SDL
 * (schema.ts). This copies the upstream-call marks from the type-graphql schema onto the served one,
 * field by field, so the cost limit finds them there.
 */
export function carryUpstreamCalls(from: GraphQLSchema, to: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(from.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const target = to.getType(type.name);
    if (!isObjectType(target)) continue;
    const targetFields = target.getFields();
    for (const field of Object.values(type.getFields())) {
      const calls = upstreamCallsOf(field);
      const targetField = targetFields[field.name];
      if (calls > 0 && targetField) targetField.extensions = { ...targetField.extensions, [UPSTREAM_CALLS_EXTENSION]: calls };
    }
  }
  return to;
}
