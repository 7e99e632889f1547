/**
 * A process the benchmark (scripts/bench.ts) drives: either the Codat simulator or the subgraph server,
 * each alone in its own process so that the load generator, the server and "Codat" do not share one
 * event loop. Talks to the parent over the fork IPC channel:
 *   → { type: 'ready', url, ... } once listening
 *   ← { type: 'count' }  (simulator) → { type: 'count', requests } and the log is emptied
 *   ← { type: 'stats' }  (server)    → { type: 'stats', attempts, cache }
 * Binds 127.0.0.1 only; Apollo telemetry is off (apollo-env).
 */
import '../src/apollo-env';

import type { CodatApi } from '../src/codat/codat.api';
import { CachedCodatApi } from '../src/codat/codat.cache';
import { CodatClient } from '../src/codat/codat.client';
import { CODAT_TRANSPORTS, type CodatTransport } from '../src/codat/codat.transport';
import { loadConfig } from '../src/config';
import { createObservability } from '../src/observability/observability';
import { createCommerceServer } from '../src/server';
import type * as Codat from '../src/codat/codat.dto';
import { UpstreamError } from '../src/codat/codat.errors';
import { CodatSimulator, SEEDED_COMPANY_IDS } from '../src/simulator';

type Message = { type: 'count' } | { type: 'stats' };

function send(message: unknown): void {
  process.send?.(message);
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function runSimulator(): Promise<void> {
  const simulator = await CodatSimulator.start({ apiKey: required('BENCH_API_KEY'), host: '127.0.0.1', port: 0 });
  const companies = Array.from({ length: 50 }, () => simulator.addCompany({ state: 'succeeded' }));
  process.on('message', (message: Message) => {
    if (message.type !== 'count') return;
    const requests = simulator.requests().length;
    simulator.clearLog();
    send({ type: 'count', requests });
  });
  send({ type: 'ready', url: simulator.url, companies });
}

/**
 * The floor's upstream: answers get-sync-status from statuses fetched once at start, so the server does
 * all of its own work (parse, validate, resolvers, loaders, mapping, serialisation) and no upstream call.
 */
class FixedCodatApi implements CodatApi {
  constructor(private readonly statuses: ReadonlyMap<string, Codat.SyncStatus>) {}
  getSyncStatus(companyId: string): Promise<Codat.SyncStatus> {
    const status = this.statuses.get(companyId);
    return status ? Promise.resolve(status) : Promise.reject(this.unsupported('get-sync-status'));
  }
  listSyncs(): Promise<Codat.CompanySyncStatus[]> {
    return Promise.reject(this.unsupported('list-syncs'));
  }
  getLatestSync(): Promise<Codat.CompanySyncStatus> {
    return Promise.reject(this.unsupported('get-latest-sync'));
  }
  getLastSuccessfulSync(): Promise<Codat.CompanySyncStatus> {
    return Promise.reject(this.unsupported('get-last-successful-sync'));
  }
  getSyncById(): Promise<Codat.CompanySyncStatus> {
    return Promise.reject(this.unsupported('get-sync-by-id'));
  }
  requestSync(): Promise<Codat.SyncSummary> {
    return Promise.reject(this.unsupported('request-sync'));
  }
  requestSyncForDateRange(): Promise<Codat.SyncSummary> {
    return Promise.reject(this.unsupported('request-sync-for-date-range'));
  }
  private unsupported(operation: string): UpstreamError {
    return new UpstreamError({ kind: 'http', status: 404, operation, method: 'GET', path: '(bench floor)' });
  }
}

/**
 * BENCH_MODE: `bare` = the client alone, every read goes upstream (no coalescing, no cache);
 * `cached` = CachedCodatApi with BENCH_CACHE_TTL_MS over the client, as `src/index.ts` wires it;
 * `floor` = no upstream at all (FixedCodatApi).
 */
async function runServer(): Promise<void> {
  const mode = required('BENCH_MODE');
  const transport = required('BENCH_TRANSPORT') as CodatTransport;
  if (!CODAT_TRANSPORTS.includes(transport)) throw new Error(`unknown transport ${transport}`);
  let attempts = 0;
  // As src/index.ts wires it (metrics on), but with log lines off: they would measure the terminal.
  const observability = createObservability({ logLevel: 'silent', circuitState: () => client.circuitState() });
  const client = new CodatClient({
    baseUrl: required('BENCH_UPSTREAM_URL'),
    apiKey: required('BENCH_API_KEY'),
    timeoutMs: 10_000,
    maxConcurrency: 10,
    transport,
    hooks: {
      ...observability.codatHooks,
      onAttempt: (event) => {
        attempts += 1;
        observability.codatHooks.onAttempt?.(event);
      },
    },
  });
  const cache = new CachedCodatApi(client, {
    statusTtlMs: Number(process.env.BENCH_CACHE_TTL_MS ?? 0),
    hooks: observability.cacheHooks,
  });
  let codat: CodatApi = mode === 'cached' ? cache : client;
  if (mode === 'floor') {
    const ids = [...Object.values(SEEDED_COMPANY_IDS), ...(JSON.parse(required('BENCH_COMPANIES')) as string[])];
    const statuses = await Promise.all(ids.map(async (id) => [id, await client.getSyncStatus(id)] as const));
    codat = new FixedCodatApi(new Map(statuses));
    attempts = 0;
  }
  const quiet = { debug: () => {}, info: () => {}, warn: console.warn, error: console.error };
  const server = createCommerceServer({ ...loadConfig({}), codat, logger: quiet, observability });
  const url = await server.listen(0, '127.0.0.1');
  process.on('message', (message: Message) => {
    if (message.type === 'stats') send({ type: 'stats', attempts, cache: cache.stats() });
  });
  send({ type: 'ready', url });
}

const role = process.argv[2];
(role === 'simulator' ? runSimulator() : role === 'server' ? runServer() : Promise.reject(new Error(`unknown role ${role}`))).catch(
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
// The parent going away (even killed) ends this process too.
process.on('disconnect', () => process.exit(0));
