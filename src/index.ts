import './apollo-env';

import { createApp, type App } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { logCrashes } from './observability/crash-handler';
import type { SEEDED_COMPANIES } from './simulator';

/** `npm start`: read the configuration, build the app (app.ts), listen, log the start line, handle signals and crashes. */
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
  const { logger } = app.observability;
  logCrashes(logger);
  const url = await app.listen();
  // The simulator's module is loaded only when it runs (app.ts).
  logStart(app, config, url, app.simulator ? (await import('./simulator')).SEEDED_COMPANIES : []);

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
      // The last lines leave the asynchronous log destination before the process does.
      await app.observability.closeLogs();
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/**
 * The start line: a log line like any other (JSON by default, so whatever parses stdout, and whatever
 * collects stdout and stderr together as a container runtime does, reads one format), saying where
 * GraphQL is and what it talks to; on the simulator, the companies to try. Written at info even when
 * LOG_LEVEL is warn or above (only `silent` hides it): it is one line per process, and the only one
 * that says which port `PORT=0` got. LOG_FORMAT=pretty shows it as text.
 */
function logStart(app: App, config: Config, url: string, companies: typeof SEEDED_COMPANIES): void {
  const shown = `${url.replace('//0.0.0.0', '//localhost').replace('//[::]', '//localhost')}/graphql`;
  const line = app.simulator
    ? {
        upstream: `embedded Codat simulator at ${app.simulator.url} (no CODAT_API_KEY)`,
        companies: Object.fromEntries(companies.map((company) => [company.id, company.description])),
        try: `{ commerceSyncStatus(companyId: "${companies[0]?.id ?? ''}") { state syncStatus syncUtc } }`,
      }
    : config.codatTenants
      ? { upstream: `${config.codatTenants.size} Codat tenant(s): ${[...config.codatTenants.keys()].join(', ')}` }
      : { upstream: config.codatBaseUrl };
  const callers =
    config.auth.mode !== 'none'
      ? `AUTH_MODE=${config.auth.mode}, introspection ${config.auth.introspection}`
      : app.simulator
        ? undefined
        : 'AUTH_MODE=none, every caller may read and start syncs for every company';
  const logger = config.logLevel === 'silent' ? app.observability.logger : app.observability.logger.child({}, { level: 'info' });
  logger.info({ event: 'start', url: shown, ...(callers ? { callers } : {}), ...line }, `codat-commerce-subgraph ready at ${shown}`);
}

main().catch((error: unknown) => {
  console.error('Failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
