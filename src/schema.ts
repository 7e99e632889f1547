import 'reflect-metadata';

import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { type GraphQLSchema, parse } from 'graphql';
import { buildSchemaSync, createResolversMap } from 'type-graphql';

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
    Company: { ...(generated.Company as object), __resolveReference: resolveCompanyReference },
  } as GraphQLResolverMap<unknown>;
  // The cost limit reads which fields call Codat from field extensions, which SDL does not carry.
  return carryUpstreamCalls(schema, buildSubgraphSchema([{ typeDefs, resolvers }]));
}
