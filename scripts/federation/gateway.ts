/**
 * Composes subgraphs into a supergraph with Apollo's own composition library, and serves it with Apollo
 * Gateway, all on loopback and without Apollo's cloud: the gateway is handed the supergraph SDL
 * directly (no managed federation, no introspection of subgraphs at runtime).
 */
import '../../src/apollo-env';

import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { startStandaloneServer } from '@apollo/server/standalone';
import { parse } from 'graphql';

import { quietLogger } from './companies-subgraph';

export interface SubgraphDefinition {
  name: string;
  url: string;
  sdl: string;
}

export class CompositionError extends Error {
  constructor(readonly messages: string[]) {
    super(`Composition failed:\n${messages.join('\n')}`);
    this.name = 'CompositionError';
  }
}

/** Composes the subgraphs; throws CompositionError listing every error (hints are not errors). */
export function composeSupergraph(subgraphs: readonly SubgraphDefinition[]): { supergraphSdl: string; hints: string[] } {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (result.errors) throw new CompositionError(result.errors.map((e) => e.message));
  return { supergraphSdl: result.supergraphSdl, hints: result.hints.map((h) => h.toString()) };
}

/** Asks a running subgraph for its SDL, the way composition tools do (`_service { sdl }`). */
export async function fetchSubgraphSdl(url: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const body = (await response.json()) as { data?: { _service?: { sdl?: string } } };
  const sdl = body.data?._service?.sdl;
  if (!sdl) throw new Error(`${url} did not answer _service { sdl } (HTTP ${response.status})`);
  return sdl;
}

export interface Gateway {
  /** e.g. http://127.0.0.1:4000/ */
  url: string;
  stop(): Promise<void>;
}

/**
 * One subgraph served by several instances: each request goes to the next one in turn, as a load
 * balancer in front of replicas would (`npm run cluster`).
 */
class RoundRobinDataSource implements GraphQLDataSource {
  private next = 0;
  private readonly sources: RemoteGraphQLDataSource[];

  constructor(urls: readonly string[]) {
    this.sources = urls.map((url) => new RemoteGraphQLDataSource({ url }));
  }

  process(options: GraphQLDataSourceProcessOptions): ReturnType<GraphQLDataSource['process']> {
    const source = this.sources[this.next++ % this.sources.length] as RemoteGraphQLDataSource;
    return source.process(options);
  }
}

/**
 * Serves a composed supergraph with Apollo Gateway on host:port (port 0 picks a free one). `replicas`
 * names subgraphs served by several instances (their URLs, taken in turn) instead of the one URL in the supergraph.
 */
export async function startGateway(
  supergraphSdl: string,
  port = 0,
  host = '127.0.0.1',
  replicas: Readonly<Record<string, readonly string[]>> = {},
): Promise<Gateway> {
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger: quietLogger,
    buildService: ({ name, url }) => {
      const urls = replicas[name];
      return urls && urls.length > 1 ? new RoundRobinDataSource(urls) : new RemoteGraphQLDataSource({ url });
    },
  });
  const server = new ApolloServer({
    gateway,
    logger: quietLogger,
    // Subgraph errors pass through with their codes; stack traces (the gateway's own) stay out.
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginLandingPageLocalDefault({ embed: true })],
  });
  const { url } = await startStandaloneServer(server, { listen: { port, host } });
  return { url, stop: () => server.stop() };
}
