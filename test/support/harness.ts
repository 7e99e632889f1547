import { print, type DocumentNode } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

import { CachedCodatApi, type CachedCodatApiOptions } from '../../src/codat/codat.cache';
import { CodatClient, type CodatClientHooks, type CodatClientOptions } from '../../src/codat/codat.client';
import { loadConfig } from '../../src/config';
import { createObservability, type Observability, type ObservabilityOptions } from '../../src/observability/observability';
import { createCommerceServer, type CommerceServer, type ServerOptions } from '../../src/server';
import { CodatSimulator, type SimulatorOptions } from '../../src/simulator';

export const TEST_API_KEY = 'test-key-0f3a9c1d2e';

/** Apollo's info lines ("Enabling inline tracing…") are noise in test output; warnings and errors still show. */
const quietLogger = { debug: () => {}, info: () => {}, warn: console.warn, error: console.error };

export interface GraphQLResponse<T> {
  status: number;
  headers: Headers;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> & { code?: string } }[];
}

export interface Harness {
  simulator: CodatSimulator;
  codat: CodatClient;
  server: CommerceServer;
  /** The cross-request layer between the server and the client (coalescing always, caching when asked). */
  cache: CachedCodatApi;
  /** The server's logs/metrics/traces; its `codatHooks` observe the client. */
  observability: Observability;
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  /** e.g. http://127.0.0.1:41234/graphql */
  graphqlUrl: string;
  /** Sends a typed operation as JSON over HTTP, the way a browser or gateway would. */
  execute<TData, TVars>(
    document: TypedDocumentNode<TData, TVars>,
    variables?: TVars,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<TData>>;
  /** Sends a raw query string (for generated or deliberately odd operations). */
  executeRaw<TData = Record<string, unknown>>(
    query: string | DocumentNode,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<TData>>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  simulator?: Partial<SimulatorOptions>;
  client?: Partial<CodatClientOptions>;
  server?: Partial<ServerOptions>;
  /**
   * The cross-request cache. Default `statusTtlMs: 0`: nothing is cached (coalescing stays on), so every
   * query a test sends reaches the simulator.
   */
  cache?: Partial<CachedCodatApiOptions>;
  /** Default: logging off, no tracing. */
  observability?: ObservabilityOptions;
}

/**
 * Starts the real Codat simulator and the real server, both on 127.0.0.1 port 0, joined through the
 * real axios client. Nothing is mocked: tests assert on what the simulator received over HTTP.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const simulator = await CodatSimulator.start({ apiKey: TEST_API_KEY, host: '127.0.0.1', port: 0, ...options.simulator });
  const observability = createObservability({ logLevel: 'silent', circuitState: () => codat.circuitState(), ...options.observability });
  const codat = new CodatClient({
    baseUrl: simulator.url,
    apiKey: TEST_API_KEY,
    timeoutMs: 5_000,
    maxConcurrency: 10,
    // Real retries, with millisecond backoff so failure tests stay fast.
    backoff: { baseDelayMs: 10, maxDelayMs: 50 },
    // Suites share one harness across many failure cases; a breaker tripped by one case would turn the
    // next case's answer into UPSTREAM_UNAVAILABLE. Circuit tests set their own threshold.
    circuit: { failureThreshold: 1_000 },
    ...options.client,
    hooks: combineHooks(observability.codatHooks, options.client?.hooks),
  });
  const cache = new CachedCodatApi(codat, { statusTtlMs: 0, hooks: observability.cacheHooks, ...options.cache });
  // The server's settings are the configuration's defaults (src/config.ts), as a start with no variables set.
  const server = createCommerceServer({ ...loadConfig({}), codat: cache, logger: quietLogger, observability, ...options.server });
  const base = await server.listen(0, '127.0.0.1');
  const graphqlUrl = `${base}/graphql`;

  async function executeRaw<TData>(
    query: string | DocumentNode,
    variables?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<GraphQLResponse<TData>> {
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: typeof query === 'string' ? query : print(query), variables }),
    });
    const body = (await response.json()) as Omit<GraphQLResponse<TData>, 'status' | 'headers'>;
    return { status: response.status, headers: response.headers, ...body };
  }

  return {
    simulator,
    codat,
    server,
    cache,
    observability,
    baseUrl: base,
    graphqlUrl,
    execute: (document, variables, headers) => executeRaw(document, variables as Record<string, unknown> | undefined, headers),
    executeRaw,
    async close() {
      await server.stop();
      await codat.close();
      await simulator.close();
    },
  };
}

/** A test's own hooks run after the observability ones, so tests can watch attempts too. */
function combineHooks(first: CodatClientHooks, second: CodatClientHooks | undefined): CodatClientHooks {
  if (!second) return first;
  return {
    ...second,
    onAttempt(event) {
      first.onAttempt?.(event);
      second.onAttempt?.(event);
    },
  };
}
