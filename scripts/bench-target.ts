/**
 * A process the benchmarks (scripts/bench.ts, scripts/bench-client.ts) drive: either the Codat simulator
 * or the subgraph over a fixed upstream, each alone in its own process so that the load generator, the
 * server and "Codat" do not share one event loop. (The server as shipped is dist/src/index.js itself, and
 * the bare floor is scripts/bench-bare-apollo.ts.) Talks to the parent over the fork IPC channel:
 *   → { type: 'ready', url, ... } once listening (the server's url is its GraphQL endpoint)
 *   ← { type: 'count' }  (simulator) → { type: 'count', requests } and the log is emptied
 * Binds 127.0.0.1 only; Apollo telemetry is off (apollo-env).
 */
import '../src/apollo-env';
// The shipped server's process settings (src/server-process.ts), so that the subgraph's row here compares
// like for like; the simulator role does not mind them.
import '../src/server-process';

import { createApp } from '../src/app';
import type { CodatApi } from '../src/codat/codat.api';
import type { CodatClient } from '../src/codat/codat.client';
import type * as Codat from '../src/codat/codat.dto';
import { UpstreamError } from '../src/codat/codat.errors';
import { loadConfig } from '../src/config';
import { CodatSimulator } from '../src/simulator';

type Message = { type: 'count' };

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
  // BENCH_UPSTREAM_DELAY_MS: every answer that late, as a Codat far away would be (the dashboard scenario).
  const delayMs = Number(process.env.BENCH_UPSTREAM_DELAY_MS ?? 0);
  if (delayMs > 0) simulator.setBehaviour('*', { kind: 'slow', delayMs });
  process.on('message', (message: Message) => {
    if (message.type !== 'count') return;
    const requests = simulator.requests().length;
    simulator.clearLog();
    send({ type: 'count', requests });
  });
  send({ type: 'ready', url: simulator.url, companies });
}

/**
 * The fixed upstream: answers get-sync-status from the first answer the client got for each company
 * (the scenario's sanity request and warm-up fetch them), so under load the server does all of its own
 * work (parse, validate, resolvers, loaders, mapping, serialisation) and no upstream call.
 */
class FixedCodatApi implements CodatApi {
  private readonly statuses = new Map<string, Promise<Codat.SyncStatus>>();
  constructor(private readonly client: CodatClient) {}
  /** Its answers come from memory: there is nothing to report as anyone's call. */
  onBehalfOf(): CodatApi {
    return this;
  }
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
 * "Ours over a fixed upstream": the app as createApp builds it, with FixedCodatApi in place of the Codat
 * client and cache, and log lines off (LOG_LEVEL=silent): what our GraphQL layer costs with no I/O at all.
 */
async function runServer(): Promise<void> {
  const config = { ...loadConfig({ STATUS_CACHE_TTL_MS: '0' }), logLevel: 'silent' as const };
  const app = await createApp(config, {
    upstream: { baseUrl: required('BENCH_UPSTREAM_URL'), apiKey: required('BENCH_API_KEY') },
    apolloLogger: { debug: () => {}, info: () => {}, warn: console.warn, error: console.error },
    codat: (client: CodatClient) => new FixedCodatApi(client),
  });
  const url = await app.listen(0, '127.0.0.1');
  // A clean exit, so that `--cpu-prof` (BENCH_SERVER_NODE_ARGS) writes its profile.
  process.on('SIGTERM', () => void app.stop().finally(() => process.exit(0)));
  send({ type: 'ready', url: `${url}/graphql` });
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
