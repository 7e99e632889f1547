/**
 * Composes subgraphs into a supergraph with Apollo's own composition library, and serves it with Apollo
 * Gateway, all on loopback and without Apollo's cloud: the gateway is handed the supergraph SDL
 * directly (no managed federation, no introspection of subgraphs at runtime). The client's
 * `Authorization` header is forwarded to every subgraph, so each one authenticates the caller itself.
 */
import '../../src/apollo-env';

import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { startStandaloneServer } from '@apollo/server/standalone';
import { Kind, parse, print, visit } from 'graphql';

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

/**
 * Asks a running subgraph for its SDL, the way composition tools do (`_service { sdl }`); `headers` carry
 * a credential for a subgraph that asks one for it (AUTH_INTROSPECTION=authenticated).
 */
export async function fetchSubgraphSdl(url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
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

/** What the gateway keeps from the client's request for the subgraph calls it makes on its behalf. */
interface GatewayContext {
  authorization?: string;
}

/**
 * Passes the client's `Authorization` header on to the subgraph, unchanged: this subgraph checks the
 * token itself (src/auth/), so the gateway needs no key and makes no decision. Apollo Router does the
 * same with `headers: { all: { request: [{ propagate: { named: authorization } }] } }` (README,
 * "Authentication").
 */
class AuthorizationForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({
    request,
    context,
  }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0]): void {
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
  }
}

/** The link features Apollo Router enforces and Apollo Gateway cannot (Router-only authorization directives). */
const ROUTER_ONLY_SECURITY = ['https://specs.apollo.dev/authenticated/', 'https://specs.apollo.dev/requiresScopes/'];

/**
 * The supergraph as Apollo Gateway can load it. Composition links `@authenticated` and `@requiresScopes`
 * `for: SECURITY`, which tells a gateway that does not implement them to refuse the supergraph rather
 * than serve it unchecked; Apollo Gateway implements neither. Our subgraph checks every one of those
 * rules itself before any Codat call, so for this gateway the purpose is dropped: the directives stay in
 * the supergraph, unenforced by the gateway, enforced behind it. A router that implements them (Apollo
 * Router's authorization plugin) is given the composed supergraph unchanged.
 */
export function supergraphForApolloGateway(supergraphSdl: string): string {
  const document = visit(parse(supergraphSdl), {
    Directive(node) {
      if (node.name.value !== 'link') return undefined;
      const url = node.arguments?.find((a) => a.name.value === 'url')?.value;
      if (url?.kind !== Kind.STRING || !ROUTER_ONLY_SECURITY.some((prefix) => url.value.startsWith(prefix))) return undefined;
      return { ...node, arguments: (node.arguments ?? []).filter((a) => a.name.value !== 'for') };
    },
  });
  return print(document);
}

/**
 * One subgraph served by several instances: each request goes to the next one in turn, as a load
 * balancer in front of replicas would (`npm run cluster`).
 */
class RoundRobinDataSource implements GraphQLDataSource<GatewayContext> {
  private next = 0;
  private readonly sources: AuthorizationForwardingDataSource[];

  constructor(urls: readonly string[]) {
    this.sources = urls.map((url) => new AuthorizationForwardingDataSource({ url }));
  }

  process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<GraphQLDataSource<GatewayContext>['process']> {
    const source = this.sources[this.next++ % this.sources.length] as AuthorizationForwardingDataSource;
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
    supergraphSdl: supergraphForApolloGateway(supergraphSdl),
    logger: quietLogger,
    buildService: ({ name, url }) => {
      const urls = replicas[name];
      return urls && urls.length > 1 ? new RoundRobinDataSource(urls) : new AuthorizationForwardingDataSource({ url });
    },
  });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    logger: quietLogger,
    // Subgraph errors pass through with their codes; stack traces (the gateway's own) stay out.
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginLandingPageLocalDefault({ embed: true })],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port, host },
    context: async ({ req }) => (req.headers.authorization ? { authorization: req.headers.authorization } : {}),
  });
  return { url, stop: () => server.stop() };
}
