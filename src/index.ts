import './apollo-env';
import './server-process';

import { createApp, type App } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { logCrashes } from './observability/crash-handler';
import { bannerLines, describeStart, startLinks, type StartBanner } from './start-banner';

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
  const listenUrl = await app.listen();
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

  const banner = describeStart({
    listenUrl,
    links: startLinks(config),
    // The simulator's module is loaded only when it runs (app.ts).
    simulator: app.simulator && { url: app.simulator.url, companies: (await import('./simulator')).SEEDED_COMPANIES },
    codatBaseUrl: config.codatBaseUrl,
    auth: config.auth,
    ...(config.codatTenants && { tenants: [...config.codatTenants.keys()] }),
  });
  // Last, once signals are handled: whoever waits for the start line may stop us at once.
  logStart(app, config, banner);
}

/**
 * The start banner (its content: src/start-banner.ts) as one log line, not plain text among the JSON
 * lines: whatever parses stdout, and whatever collects stdout and stderr together as a container runtime
 * does, then reads one format. `msg` is the banner's text (its lines joined by newlines), which
 * LOG_FORMAT=pretty prints as it reads; `event: "start"`, `url` (GraphQL), `upstream` and `callers` are
 * fields for a program. Written at info even when LOG_LEVEL is warn or above (only `silent` hides it):
 * it is one line per process, and the only one that says which port `PORT=0` got.
 */
function logStart(app: App, config: Config, banner: StartBanner): void {
  const url = banner.links.find((link) => link.label === 'GraphQL')?.url ?? `${banner.baseUrl}/graphql`;
  const upstream = banner.upstream.kind === 'tenants' ? banner.upstream.names.join(', ') : banner.upstream.url;
  const logger = config.logLevel === 'silent' ? app.observability.logger : app.observability.logger.child({}, { level: 'info' });
  logger.info({ event: 'start', url, upstream, ...(banner.callers && { callers: banner.callers }) }, bannerLines(banner).join('\n'));
}

main().catch((error: unknown) => {
  console.error('Failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
