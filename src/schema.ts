import 'reflect-metadata';

import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { type GraphQLSchema, parse } from 'graphql';
import { buildSchemaSync, createResolversMap } from 'type-graphql';

import { carryUpstreamCalls } from './cost/upstream-calls';
import { DateTimeScalar } from './scalars/date-time.scalar';
import { SyncResolver } from './sync/sync.resolver';

/**
 * The Federation 2 link. Only directives we use are imported; the version is the newest that
 * @apollo/subgraph 2.14 and @apollo/composition 2.14 both support.
 */
export const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])';

/**
 * Builds the subgraph schema in three steps (DESIGN.md section 8):
 * 1. type-graphql builds an executable schema from the decorated classes;
 * 2. it is printed with its directives (type-graphql's own printer drops `@key`) behind the `@link`;
 * 3. `buildSubgraphSchema` adds `_service`, `_entities` and `_Any`, with type-graphql's resolvers.
 */
export function buildCommerceSchema(): GraphQLSchema {
  const schema = buildSchemaSync({
    resolvers: [SyncResolver],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    // Input rules are explicit functions (sync.inputs.ts) shared by root fields and entity references.
    validate: false,
  });
  const typeDefs = parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`);
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  // The cost limit reads which fields call Codat from field extensions, which SDL does not carry.
  return carryUpstreamCalls(schema, buildSubgraphSchema([{ typeDefs, resolvers }]));
}
