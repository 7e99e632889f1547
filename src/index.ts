import './apollo-env';

import { createApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { SEEDED_COMPANIES } from './simulator';
import { bannerLines, describeStart, startLinks } from './start-banner';

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
  const listenUrl = await app.listen();
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

  const banner = describeStart({
    listenUrl,
    links: startLinks(config),
    simulator: app.simulator && { url: app.simulator.url, companies: SEEDED_COMPANIES },
    codatBaseUrl: config.codatBaseUrl,
    auth: config.auth,
    ...(config.codatTenants && { tenants: [...config.codatTenants.keys()] }),
  });
  // Last, once signals are handled: whoever waits for the banner may stop us at once. One write, so they
  // see the whole banner at once.
  console.log(bannerLines(banner).join('\n'));
}

main().catch((error: unknown) => {
  console.error('Failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
