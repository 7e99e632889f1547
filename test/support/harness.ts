import { print, type DocumentNode } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

import { createApp, type App, type AppOverrides, type CommerceServer } from '../../src/app';
import type { CachedCodatApi } from '../../src/codat/codat.cache';
import type { CodatClient } from '../../src/codat/codat.client';
import { loadConfig, type Config } from '../../src/config';
import type { Observability } from '../../src/observability/observability';
import { CodatSimulator, SEEDED_COMPANIES, type SimulatorOptions } from '../../src/simulator';
import { useRunning } from './lifecycle';
import { startSimulator, TEST_API_KEY } from './simulator';

export { startSimulator, TEST_API_KEY, useSimulator } from './simulator';

/** Apollo's info lines (our federated-traces notice, src/apollo/apollo-server.ts) are noise in test output; warnings and errors still show. */
const quietLogger = { debug: () => {}, info: () => {}, warn: console.warn, error: console.error };

export interface GraphQLResponse<T> {
  status: number;
  headers: Headers;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> & { code?: string } }[];
}

export interface Harness {
  simulator: CodatSimulator;
  /** The whole app, as createApp built it. */
  app: App;
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
  /** Options of the harness's own simulator; or a running simulator to share (several instances on one "Codat"), which close() leaves running. */
  simulator?: Partial<SimulatorOptions> | CodatSimulator;
  /** Settings on top of `testConfig()`'s. */
  config?: Partial<Config>;
  /** createApp's overrides; the upstream defaults to the harness's own simulator. */
  app?: AppOverrides;
}

/**
 * The configuration tests start from: the service's defaults (an empty environment) with what makes
 * tests fast and independent: millisecond backoff, logs off, a circuit breaker that one failure case
 * cannot trip for the next (circuit tests set their own threshold), and no cross-request cache, so that
 * every query a test sends reaches the simulator (coalescing stays on), nor stale copies kept for when
 * Codat fails, so that a fault a test sets reaches GraphQL as its error (stale-if-error tests turn
 * STALE_IF_ERROR_MS on themselves).
 */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({}),
    host: '127.0.0.1',
    port: 0,
    codatTimeoutMs: 5_000,
    codatBackoff: { baseDelayMs: 10, factor: 1.5, maxDelayMs: 50 },
    codatCircuitThreshold: 1_000,
    statusCacheTtlMs: 0,
    staleIfErrorMs: 0,
    logLevel: 'silent',
    ...overrides,
  };
}

/**
 * Starts the real Codat simulator and the real app (createApp, as `npm start` builds it), both on
 * 127.0.0.1 port 0, joined through the real axios client. Nothing is mocked: tests assert on what the
 * simulator received over HTTP.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const shared = options.simulator instanceof CodatSimulator ? options.simulator : undefined;
  const simulator = shared ?? (await startSimulator(options.simulator as Partial<SimulatorOptions> | undefined));
  const app = await createApp(testConfig(options.config), {
    // The simulator is seeded like the embedded one, so the web page lists the same merchants.
    upstream: { baseUrl: simulator.url, apiKey: TEST_API_KEY, seededCompanies: SEEDED_COMPANIES },
    apolloLogger: quietLogger,
    ...options.app,
  });
  if (!app.cache) throw new Error('the harness reads through the cross-request cache, as npm start does');
  const base = await app.listen();
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
    app,
    codat: app.client,
    server: app.server,
    cache: app.cache,
    observability: app.observability,
    baseUrl: base,
    graphqlUrl,
    execute: (document, variables, headers) => executeRaw(document, variables as Record<string, unknown> | undefined, headers),
    executeRaw,
    async close() {
      await app.stop();
      if (!shared) await simulator.close();
    },
  };
}

/**
 * One harness for the tests of the enclosing `describe` (or file): started in `beforeAll`, closed in
 * `afterAll`, and the simulator's behaviours and request log cleared before each test, so every test
 * starts from the seeded companies and an empty log. The handle reads through to the running harness:
 * use it inside hooks and tests (where `describe`'s body runs, nothing has started yet).
 *
 *   const h = useHarness({ config: { codatMaxRetries: 0 } });
 *   it('…', async () => { await h.execute(…); expect(h.simulator.requests()).toHaveLength(1); });
 *
 * Options known only once another beforeAll has run (a key set server's URL) are passed as a function.
 *
 * A test that needs a differently configured app for itself alone starts its own with `startHarness`
 * and closes it in `finally`.
 */
export function useHarness(options: HarnessOptions | (() => HarnessOptions) = {}): Harness {
  return useRunning('useHarness', {
    // A function is read when the harness starts, for options known only then (an issuer's URL).
    start: () => startHarness(typeof options === 'function' ? options() : options),
    stop: (harness) => harness.close(),
    reset({ simulator }) {
      simulator.clearBehaviours();
      simulator.clearLog();
    },
  });
}
