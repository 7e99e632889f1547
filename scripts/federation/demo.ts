/**
 * What the local federation demos share (`npm run supergraph`, scripts/supergraph.ts, and `npm run
 * cluster`, scripts/cluster.ts): ports from the environment, the example companies subgraph with the
 * simulator's seeded companies composed with our subgraph behind Apollo Gateway, and stopping everything
 * on Ctrl-C or SIGTERM.
 */
import { SEEDED_COMPANIES } from '../../src/simulator';
import { startCompaniesSubgraph, type CompaniesSubgraph } from './companies-subgraph';
import { composeSupergraph, fetchSubgraphSdl, startGateway, type Gateway } from './gateway';

/** A port from the environment variable `name`, or `fallback`; 0 picks a free one. */
export function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number (0-65535), got "${raw}"`);
  return value;
}

export interface DemoGraph {
  gateway: Gateway;
  companies: CompaniesSubgraph;
}

/**
 * The companies subgraph (on `ports.companies`) and Apollo Gateway (on `ports.gateway`) over it and our
 * subgraph at `commerceUrls`: composed from the first instance's `_service { sdl }`, every instance taken
 * in turn when there are several.
 */
export async function startDemoGraph(
  commerceUrls: readonly string[],
  ports: { gateway: number; companies: number },
  host: string,
): Promise<DemoGraph> {
  const [firstCommerce] = commerceUrls;
  if (!firstCommerce) throw new Error('no commerce subgraph URL');
  const companies = await startCompaniesSubgraph(
    SEEDED_COMPANIES.map(({ id, name }) => ({ id, name })),
    ports.companies,
    host,
  );
  const { supergraphSdl } = composeSupergraph([
    { name: 'companies', url: companies.url, sdl: await fetchSubgraphSdl(companies.url) },
    { name: 'commerce', url: firstCommerce, sdl: await fetchSubgraphSdl(firstCommerce) },
  ]);
  const gateway = await startGateway(supergraphSdl, ports.gateway, host, { commerce: commerceUrls });
  return { gateway, companies };
}

/** On SIGTERM or SIGINT (Ctrl-C), once: says so with `what`, runs `stop`, and exits 0. */
export function stopOnSignals(what: string, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: stopping ${what}`);
    void stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
