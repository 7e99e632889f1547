/**
 * The benchmark's floor (scripts/bench.ts): bare `@apollo/server` 5, alone in its own process. No
 * type-graphql, no federation, no plugins of ours, nothing from src/ loaded (so its memory is the
 * framework's): plain SDL and resolvers that answer the fields the benchmark asks for, in the same shape
 * and types as the subgraph's, from constants.
 *
 * Served by `startStandaloneServer`, Apollo's own node:http integration (in Apollo Server 5: node:http
 * with `cors` and `body-parser`, no Express), not by our edge (src/http/): the floor must be what anyone
 * gets from the framework, independent of our code, so nothing we change can move it. Its per-request
 * work (CORS headers, a JSON body parser, the header map) is of the same kind as our edge's (request id,
 * body limit, JSON.parse, the header map).
 *
 * Talks to the parent over the fork IPC channel: `{ type: 'ready', url }` once listening (it serves GraphQL
 * at any path).
 * Binds 127.0.0.1 only; Apollo telemetry is off (apollo-env).
 */
import '../src/apollo-env';

import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const typeDefs = `#graphql
  scalar DateTime
  enum SyncState { IN_PROGRESS SUCCEEDED FAILED UNKNOWN }
  type CommerceSyncStatus {
    companyId: ID!
    commerceSyncId: ID
    syncId: ID
    syncStatusCode: Int!
    syncStatus: String
    state: SyncState!
    errorMessage: String
    syncExceptionMessage: String
    syncUtc: DateTime
    dataPushed: Boolean!
  }
  type Query {
    commerceSyncStatus(companyId: ID!): CommerceSyncStatus
  }
`;

/** What the simulator's seeded "succeeded" companies answer, as the subgraph maps it. */
const STATUS = {
  commerceSyncId: '1f0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
  syncId: '2a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d',
  syncStatusCode: 2000,
  syncStatus: 'Complete',
  state: 'SUCCEEDED',
  errorMessage: null,
  syncExceptionMessage: null,
  syncUtc: '2025-06-20T02:00:00.000Z',
  dataPushed: true,
};

const resolvers = {
  Query: {
    commerceSyncStatus: (_root: unknown, args: { companyId: string }) => ({ ...STATUS, companyId: args.companyId }),
  },
};

async function main(): Promise<void> {
  const server = new ApolloServer({ typeDefs, resolvers });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  process.on('SIGTERM', () => {
    // A clean exit, so that `--cpu-prof` (BENCH_SERVER_NODE_ARGS) writes its profile.
    void server.stop().finally(() => process.exit(0));
  });
  process.send?.({ type: 'ready', url });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
// The parent going away (even killed) ends this process too.
process.on('disconnect', () => process.exit(0));
