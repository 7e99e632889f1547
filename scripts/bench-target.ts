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

import { createApp } from '../src/app';
import type { CodatApi } from '../src/codat/codat.api';
import type { CodatClient } from '../src/codat/codat.client';
import { CODAT_TRANSPORTS, type CodatTransport } from '../src/codat/codat.transport';
import type * as Codat from '../src/codat/codat.dto';
import { UpstreamError } from '../src/codat/codat.errors';
import { loadConfig } from '../src/config';
import { CodatSimulator } from '../src/simulator';

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
 * The floor's upstream: answers get-sync-status from the first answer the client got for each company
 * (the scenario's sanity request and warm-up fetch them), so under load the server does all of its own
 * work (parse, validate, resolvers, loaders, mapping, serialisation) and no upstream call.
 */
class FixedCodatApi implements CodatApi {
  private readonly statuses = new Map<string, Promise<Codat.SyncStatus>>();
  constructor(private readonly client: CodatClient) {}
  getSyncStatus(companyId: string): Promise<Codat.SyncStatus> {
    let status = this.statuses.get(companyId);
    if (!status) {
      status = this.client.getSyncStatus(companyId);
      this.statuses.set(companyId, status);
    }
    return status;
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
 * `cached` = the app exactly as `npm start` builds it (createApp), with STATUS_CACHE_TTL_MS = BENCH_CACHE_TTL_MS;
 * `floor` = no upstream under load (FixedCodatApi).
 */
async function runServer(): Promise<void> {
  const mode = required('BENCH_MODE');
  const transport = required('BENCH_TRANSPORT') as CodatTransport;
  if (!CODAT_TRANSPORTS.includes(transport)) throw new Error(`unknown transport ${transport}`);
  let attempts = 0;
  const config = {
    ...loadConfig({ STATUS_CACHE_TTL_MS: process.env.BENCH_CACHE_TTL_MS ?? '0' }),
    codatTransport: transport,
    // The simulator has no per-IP ceiling: ours (600 a minute by default) would cap the uncached scenarios.
    codatMaxRequestsPerMinute: 1_000_000,
    // As `npm start` wires it (metrics on), but with log lines off: they would measure the terminal.
    logLevel: 'silent' as const,
  };
  const app = await createApp(config, {
    upstream: { baseUrl: required('BENCH_UPSTREAM_URL'), apiKey: required('BENCH_API_KEY') },
    codatHooks: { onAttempt: () => (attempts += 1) },
    apolloLogger: { debug: () => {}, info: () => {}, warn: console.warn, error: console.error },
    ...(mode === 'bare' ? { codat: (client: CodatClient) => client } : {}),
    ...(mode === 'floor' ? { codat: (client: CodatClient) => new FixedCodatApi(client) } : {}),
  });
  const url = await app.listen(0, '127.0.0.1');
  const noCache = { hits: 0, misses: 0, coalesced: 0, invalidations: 0 };
  process.on('message', (message: Message) => {
    if (message.type === 'stats') send({ type: 'stats', attempts, cache: app.cache?.stats() ?? noCache });
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
