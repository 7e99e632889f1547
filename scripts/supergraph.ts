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
import { quietLogger, startCompaniesSubgraph } from './federation/companies-subgraph';
import { composeSupergraph, fetchSubgraphSdl, startGateway } from './federation/gateway';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number (0-65535), got "${raw}"`);
  return value;
}

async function main(): Promise<void> {
  const host = process.env.HOST || '127.0.0.1';
  const ports = { gateway: port('GATEWAY_PORT', 4000), commerce: port('COMMERCE_PORT', 4001), companies: port('COMPANIES_PORT', 4002) };

  // The subgraph exactly as `npm start` builds it (cache, limits, metrics), on the embedded simulator
  // (no CODAT_API_KEY); its access log stays quiet unless LOG_LEVEL asks, so the demo's console stays readable.
  const commerce = await createApp(loadConfig({ LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }), { apolloLogger: quietLogger });
  const commerceUrl = `${await commerce.listen(ports.commerce, host)}/graphql`;
  const companies = await startCompaniesSubgraph(
    SEEDED_COMPANIES.map(({ id, name }) => ({ id, name })),
    ports.companies,
    host,
  );

  const { supergraphSdl } = composeSupergraph([
    { name: 'companies', url: companies.url, sdl: await fetchSubgraphSdl(companies.url) },
    { name: 'commerce', url: commerceUrl, sdl: await fetchSubgraphSdl(commerceUrl) },
  ]);
  const gateway = await startGateway(supergraphSdl, ports.gateway, host);

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

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: stopping the gateway, the subgraphs and the simulator`);
    void (async () => {
      await gateway.stop();
      await Promise.all([companies.stop(), commerce.stop()]);
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('Failed to start the supergraph:', error instanceof Error ? error.message : error);
  process.exit(1);
});
