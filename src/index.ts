import './apollo-env';

import { createApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { SEEDED_COMPANIES } from './simulator';

/** `npm start`: read the configuration, build the app (app.ts), listen, print the banner, handle signals. */
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

  const app = await createApp(config);
  const url = await app.listen();
  const shown = url.replace('//0.0.0.0', '//localhost').replace('//[::]', '//localhost');

  // One write, so whoever watches the output sees the whole banner at once.
  const banner = [`codat-commerce-subgraph ready at ${shown}/graphql`];
  if (config.webUi) banner.push(`Sync health page: ${shown}/`, `Explorer (GraphiQL, works offline): ${shown}/explorer`);
  if (config.auth.mode !== 'none') banner.push(`Callers: AUTH_MODE=${config.auth.mode}, introspection ${config.auth.introspection}.`);
  else if (!app.simulator) banner.push('Callers: AUTH_MODE=none, every caller may read and start syncs for every company.');
  if (app.simulator) {
    banner.push(`No CODAT_API_KEY: using the embedded Codat simulator at ${app.simulator.url}. Companies to try:`);
    for (const company of SEEDED_COMPANIES) banner.push(`  ${company.id}  ${company.description}`);
    const first = SEEDED_COMPANIES[0];
    if (first) banner.push(`Try: { commerceSyncStatus(companyId: "${first.id}") { state syncStatus syncUtc } }`);
  } else {
    const tenants = config.codatTenants;
    banner.push(
      tenants ? `Upstream: ${tenants.size} Codat tenant(s): ${[...tenants.keys()].join(', ')}` : `Upstream: ${config.codatBaseUrl}`,
    );
  }
  console.log(banner.join('\n'));

  const { logger } = app.observability;
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'shutdown', signal, shutdownTimeoutMs: config.shutdownTimeoutMs }, 'finishing in-flight requests');
    // The drain closes lingering sockets after SHUTDOWN_TIMEOUT_MS; this is the backstop should anything
    // after it hang (a simulator close, a span export), so the orchestrator never has to SIGKILL us.
    setTimeout(() => {
      logger.error({ event: 'shutdown.forced' }, 'shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 5_000).unref();
    void (async () => {
      await app.stop();
      logger.info({ event: 'shutdown.done' }, 'stopped');
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
