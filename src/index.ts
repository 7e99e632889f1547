import './apollo-env';

import { randomBytes } from 'node:crypto';

import { CachedCodatApi, InMemorySyncCache } from './codat/codat.cache';
import { CodatClient } from './codat/codat.client';
import { ConfigError, loadConfig, type Config } from './config';
import { createObservability } from './observability/observability';
import { createOtlpTracing } from './observability/tracing';
import { createCommerceServer } from './server';
import { CodatSimulator, SEEDED_COMPANIES } from './simulator';

/** Where Codat is for this process: the real API, or an in-process simulator on a loopback port. */
async function resolveUpstream(config: Config): Promise<{ baseUrl: string; apiKey: string; simulator?: CodatSimulator }> {
  if (config.codatApiKey) return { baseUrl: config.codatBaseUrl, apiKey: config.codatApiKey };
  // A throwaway key: the simulator checks Basic auth exactly like Codat, through the same client code.
  const apiKey = `simulator-${randomBytes(12).toString('hex')}`;
  const simulator = await CodatSimulator.start({ apiKey, host: '127.0.0.1', port: 0 });
  return { baseUrl: simulator.url, apiKey, simulator };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }

  const observability = createObservability({
    logLevel: config.logLevel,
    // Off and free when unset: the SDK is not even constructed.
    tracing: config.otelEndpoint ? createOtlpTracing() : undefined,
    // Read lazily: the client is built below, with these observability hooks.
    circuitState: () => client.circuitState(),
  });
  const upstream = await resolveUpstream(config);
  const client = new CodatClient({
    baseUrl: upstream.baseUrl,
    apiKey: upstream.apiKey,
    timeoutMs: config.codatTimeoutMs,
    maxConcurrency: config.codatMaxConcurrency,
    maxRetries: config.codatMaxRetries,
    deadlineMs: config.codatDeadlineMs,
    circuit: { failureThreshold: config.codatCircuitThreshold, halfOpenAfterMs: config.codatCircuitOpenMs },
    hooks: observability.codatHooks,
  });
  // Shared across requests: coalesces identical in-flight reads and caches them for STATUS_CACHE_TTL_MS.
  const codat = new CachedCodatApi(client, {
    statusTtlMs: config.statusCacheTtlMs,
    store: new InMemorySyncCache(config.cacheMaxEntries),
    hooks: observability.cacheHooks,
  });
  const server = createCommerceServer({
    codat,
    production: config.production,
    maxOperationCost: config.maxOperationCost,
    maxQueryDepth: config.maxQueryDepth,
    maxBodyBytes: config.maxBodyBytes,
    observability,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    logger: observability.logger.child({ component: 'apollo' }),
  });
  const url = await server.listen(config.port, config.host);
  const shown = url.replace('//0.0.0.0', '//localhost').replace('//[::]', '//localhost');

  // One write, so whoever watches the output sees the whole banner at once.
  const banner = [`codat-commerce-subgraph ready at ${shown}/graphql`];
  if (upstream.simulator) {
    banner.push(`No CODAT_API_KEY: using the embedded Codat simulator at ${upstream.simulator.url}. Companies to try:`);
    for (const company of SEEDED_COMPANIES) banner.push(`  ${company.id}  ${company.description}`);
    const first = SEEDED_COMPANIES[0];
    if (first) banner.push(`Try: { commerceSyncStatus(companyId: "${first.id}") { state syncStatus syncUtc } }`);
  } else {
    banner.push(`Upstream: ${config.codatBaseUrl}`);
  }
  console.log(banner.join('\n'));

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    observability.logger.info({ event: 'shutdown', signal, shutdownTimeoutMs: config.shutdownTimeoutMs }, 'finishing in-flight requests');
    // The drain closes lingering sockets after SHUTDOWN_TIMEOUT_MS; this is the backstop should anything
    // after it hang (a simulator close, a span export), so the orchestrator never has to SIGKILL us.
    setTimeout(() => {
      observability.logger.error({ event: 'shutdown.forced' }, 'shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 5_000).unref();
    void (async () => {
      await server.stop();
      await client.close();
      await upstream.simulator?.close();
      observability.logger.info({ event: 'shutdown.done' }, 'stopped');
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('Failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
