import 'reflect-metadata';

import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { type GraphQLFieldResolver, type GraphQLSchema, parse } from 'graphql';
import { buildSchemaSync, createResolversMap, getMetadataStorage } from 'type-graphql';

import { carryUpstreamCalls } from './limits/upstream-calls';
import { DateTimeScalar } from './scalars/date-time.scalar';
import { CacheControlDirective } from './sync/sync.cache-hints';
import { resolveCompanyReference } from './company/company.reference';
import { CompanyResolver } from './company/company.resolver';
import { Company } from './company/company.type';
import { LiveResolver } from './live/live.resolver';
import { SyncResolver } from './sync/sync.resolver';

/**
 * The Federation 2 link. Only directives we use are imported; the version is the newest that
 * @apollo/subgraph 2.15 and @apollo/composition 2.14 both support. `@authenticated` and
 * `@requiresScopes` (Federation 2.5 on) mark the sync fields (src/auth/auth.directives.ts).
 */
export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@authenticated", "@requiresScopes"])';

/**
 * type-graphql insists on a PubSub as soon as a resolver has a @Subscription, even when every one brings
 * its own `subscribe` (ours do: src/live/live.resolver.ts, fed by the shared pollers). Nothing publishes
 * through topics here, so this one refuses to be used.
 */
const NO_PUB_SUB = {
  publish(): never {
    throw new Error('No topic-based subscriptions: every @Subscription brings its own subscribe (src/live/)');
  },
  subscribe(): never {
    throw new Error('No topic-based subscriptions: every @Subscription brings its own subscribe (src/live/)');
  },
};

/**
 * Builds the subgraph schema in three steps:
 * 1. type-graphql builds an executable schema from the decorated classes;
 * 2. it is printed with its directives (type-graphql's own printer drops `@key`) behind the `@link`;
 * 3. `buildSubgraphSchema` adds `_service`, `_entities` and `_Any`, with type-graphql's resolvers plus
 *    `Company.__resolveReference`.
 *
 * Every object type says `simpleResolvers: true`: without it type-graphql wraps each plain field in a
 * resolver of its own (for middlewares and auth checks, which we do not use), called for every field of
 * every answer; with it graphql-js reads the property itself. Only the resolver methods keep wrappers.
 */
export function buildCommerceSchema(): GraphQLSchema {
  const schema = buildSchemaSync({
    resolvers: [SyncResolver, CompanyResolver, LiveResolver],
    pubSub: NO_PUB_SUB,
    // Company is reached only through `_entities`, which type-graphql does not see: list it explicitly.
    orphanedTypes: [Company],
    directives: [CacheControlDirective],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    // Input rules are explicit functions (sync.inputs.ts) shared by root fields and entity references.
    validate: false,
  });
  const typeDefs = parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`);
  const generated = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  // Apollo's resolver-map type has no slot for `__resolveReference` (it is called with the reference,
  // the context and info, not as a field resolver), hence the cast.
  const resolvers = {
    ...generated,
    Query: {
      ...(generated.Query as object),
      ...Object.fromEntries(DIRECT_QUERIES.map((name) => [name, directResolver(SyncResolver, name)])),
    },
    Company: { ...(generated.Company as object), __resolveReference: resolveCompanyReference },
  } as GraphQLResolverMap<unknown>;
  // The cost limit reads which fields call Codat from field extensions, which SDL does not carry.
  return carryUpstreamCalls(schema, buildSubgraphSchema([{ typeDefs, resolvers }]));
}

/**
 * The root read fields, answered by calling their resolver method directly rather than through
 * type-graphql's per-call handler. For these fields that handler only builds the arguments as a class
 * instance, awaits an argument validation that is switched off (`validate: false` above: an async
 * function per argument, then a `Promise.all`) and runs an empty middleware chain; a dashboard pays it
 * once per alias (README, "Performance", has what it cost).
 */
const DIRECT_QUERIES = ['commerceSyncStatus', 'commerceSyncs'] as const;

/**
 * The field's resolver method, called with the field's arguments, context and info, on an instance of
 * its own (our resolver classes hold no state); the method's name is the field's. Only for a query that
 * type-graphql's handler would call in exactly that way: type-graphql's metadata (its public
 * `getMetadataStorage`) must show no middleware and no `@Authorized` roles on the method or its class,
 * no validation of its arguments, and the parameters `@Args`, `@Ctx()` and `@Info()` in that order.
 * Anything else refuses to build the schema, so that a middleware or validation added later is never
 * skipped quietly.
 */
export function directResolver(target: new () => object, methodName: string): GraphQLFieldResolver<unknown, unknown> {
  const storage = getMetadataStorage();
  // Metadata may sit on a class the resolver extends.
  const ours = (owner: unknown): boolean => owner === target || (typeof owner === 'function' && target.prototype instanceof owner);
  const params = storage.params.filter((param) => ours(param.target) && param.methodName === methodName).sort((a, b) => a.index - b.index);
  const plain =
    storage.queries.some((query) => ours(query.target) && query.methodName === methodName) &&
    !storage.middlewares.some((entry) => ours(entry.target) && entry.fieldName === methodName) &&
    !storage.resolverMiddlewares.some((entry) => ours(entry.target)) &&
    !storage.authorizedFields.some((entry) => ours(entry.target) && entry.fieldName === methodName) &&
    !storage.authorizedResolver.some((entry) => ours(entry.target)) &&
    params.map((param) => param.kind).join(',') === 'args,context,info' &&
    params.every((param) =>
      param.kind === 'args'
        ? param.validateSettings === undefined && param.validateFn === undefined
        : param.kind !== 'context' || param.propertyName === undefined,
    );
  if (!plain) {
    throw new Error(
      `${target.name}.${methodName} cannot be called directly: type-graphql's handler would do more than pass (args, context, info) (middleware, roles, validation or other parameters)`,
    );
  }
  const instance = new target() as Record<string, (...args: unknown[]) => unknown>;
  const method = instance[methodName];
  if (typeof method !== 'function') throw new Error(`${target.name}.${methodName} is not a method`);
  return (_root, args, context, info) => method.call(instance, args, context, info);
}
