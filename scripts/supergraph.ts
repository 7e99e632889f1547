/**
 * `npm run supergraph`: a federated graph on this machine, to explore in Sandbox.
 *   - the embedded Codat simulator (loopback, random port);
 *   - this subgraph on it (COMMERCE_PORT, default 4001);
 *   - the example "companies" subgraph that owns Company { id name } (COMPANIES_PORT, default 4002);
 *   - Apollo Gateway over the two (GATEWAY_PORT, default 4000), given the supergraph that
 *     @apollo/composition composed from the subgraphs' own `_service { sdl }`.
 * Everything binds to HOST (default 127.0.0.1); nothing talks to Apollo's cloud. Ctrl-C stops it all.
 */
import '../src/apollo-env';

import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { SEEDED_COMPANIES } from '../src/simulator';
import { quietLogger } from './federation/companies-subgraph';
import { portFromEnv, startDemoGraph, stopOnSignals } from './federation/demo';

async function main(): Promise<void> {
  const host = process.env.HOST || '127.0.0.1';
  const ports = {
    gateway: portFromEnv('GATEWAY_PORT', 4000),
    commerce: portFromEnv('COMMERCE_PORT', 4001),
    companies: portFromEnv('COMPANIES_PORT', 4002),
  };

  // The subgraph exactly as `npm start` builds it (cache, limits, metrics), on the embedded simulator
  // (no CODAT_API_KEY); its access log stays quiet unless LOG_LEVEL asks, so the demo's console stays readable.
  const commerce = await createApp(loadConfig({ LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }), { apolloLogger: quietLogger });
  const commerceUrl = `${await commerce.listen(ports.commerce, host)}/graphql`;
  const { gateway, companies } = await startDemoGraph([commerceUrl], ports, host);

  const first = SEEDED_COMPANIES[0];
  console.log(
    [
      `Supergraph gateway ready at ${gateway.url}`,
      `  companies subgraph (example, owns Company.name): ${companies.url}`,
      `  commerce subgraph (this project, on the embedded Codat simulator): ${commerceUrl}`,
      'Open the gateway URL in a browser for Sandbox, or try:',
      `  curl -s ${gateway.url} -H 'content-type: application/json' \\`,
      `    -d '{"query":"{ companies { id name commerceSyncStatus { state syncUtc } } }"}'`,
      'Example query:',
      '  query Merchants {',
      '    companies { id name commerceSyncStatus { state syncStatusCode syncUtc errorMessage } latestCommerceSync { state syncUtc } }',
      first ? `    one: company(id: "${first.id}") { name commerceSyncs { state syncUtc } }` : '',
      '  }',
      'Ctrl-C stops everything.',
    ]
      .filter((line) => line !== '')
      .join('\n'),
  );

  stopOnSignals('the gateway, the subgraphs and the simulator', async () => {
    await gateway.stop();
    await Promise.all([companies.stop(), commerce.stop()]);
  });
}

main().catch((error: unknown) => {
  console.error('Failed to start the supergraph:', error instanceof Error ? error.message : error);
  process.exit(1);
});
