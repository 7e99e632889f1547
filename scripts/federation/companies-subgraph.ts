/**
 * A stand-in for another team's subgraph: it owns `Company` (id and name) and the list of companies, as
 * a CRM or merchant-directory service would. Used by the federation tests and by `npm run supergraph`;
 * it depends on nothing in src/, so it shows exactly what a neighbour subgraph has to declare.
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

export interface CompanyRecord {
  id: string;
  name: string;
}

export const COMPANIES_SUBGRAPH_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

"""How long a gateway or CDN may reuse an answer (Apollo Server's cache control)."""
directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION

"""Whether a cached answer may be shared between callers (PUBLIC) or kept per caller only (PRIVATE)."""
enum CacheControlScope {
  PUBLIC
  PRIVATE
}

"""A merchant, identified by its Codat company id."""
type Company @key(fields: "id") @cacheControl(maxAge: 60) {
  """Codat company id (a UUID): the entity key."""
  id: ID!
  """Trading name."""
  name: String!
}

type Query {
  """Every company in the directory, in directory order; at most \`first\` of them when given."""
  companies(first: Int): [Company!]!
  """One company by id, or null."""
  company(id: ID!): Company
}
`;

export interface CompaniesSubgraph {
  /** e.g. http://127.0.0.1:4002/ (the standalone server serves GraphQL on every path) */
  url: string;
  stop(): Promise<void>;
}

/** Starts the companies subgraph over `companies` on host:port (port 0 picks a free one). */
export async function startCompaniesSubgraph(
  companies: readonly CompanyRecord[],
  port = 0,
  host = '127.0.0.1',
): Promise<CompaniesSubgraph> {
  const byId = new Map(companies.map((c) => [c.id, c]));
  const schema = buildSubgraphSchema([
    {
      typeDefs: parse(COMPANIES_SUBGRAPH_SDL),
      resolvers: {
        Query: {
          companies: (_: unknown, { first }: { first?: number | null }) => (first == null ? companies : companies.slice(0, first)),
          company: (_: unknown, { id }: { id: string }) => byId.get(id) ?? null,
        },
        Company: {
          __resolveReference: (reference: { id: string }) => byId.get(reference.id) ?? null,
        },
      },
    },
  ]);
  const server = new ApolloServer({ schema, logger: quietLogger, stopOnTerminationSignals: false });
  const { url } = await startStandaloneServer(server, { listen: { port, host } });
  return { url, stop: () => server.stop() };
}

/** Apollo's info lines are noise here; warnings and errors still show. */
export const quietLogger = { debug: () => {}, info: () => {}, warn: console.warn, error: console.error };
