/**
 * `npm run bench`: how fast the subgraph answers and how much of Codat's quota it spends.
 *
 * Layout: the Codat simulator and each server under test run in their own child processes (forked from
 * dist/scripts/bench-target.js); autocannon runs here. Separate processes are fairer on a small machine
 * than one shared event loop: the load generator's work does not show up as server latency, and the
 * upstream's work does not either (as with the real Codat, which runs elsewhere). With 2 cores the three
 * processes still compete for CPU, so compare rows of the same run rather than absolute numbers.
 *
 * Each scenario is a short warm-up then BENCH_DURATION_S seconds (default 6) of load; the whole run stays
 * under 2 minutes. "upstream/req" is what the simulator received divided by the 2xx responses autocannon
 * counted. Everything binds and connects to 127.0.0.1; Apollo telemetry is off in every process.
 * A benchmark, not a test: nothing here fails on a timing.
 */
import '../src/apollo-env';

import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';

import autocannon from 'autocannon';

import type { SyncCacheStats } from '../src/codat/codat.cache';
import { CODAT_TRANSPORTS, type CodatTransport } from '../src/codat/codat.transport';
import { loadConfig } from '../src/config';
import { SEEDED_COMPANY_IDS } from '../src/simulator';

/** The shipped defaults (config.ts), so the benchmark measures what `npm start` runs. */
const DEFAULTS = loadConfig({});
const DEFAULT_STATUS_CACHE_TTL_MS = DEFAULTS.statusCacheTtlMs;
const DEFAULT_CODAT_TRANSPORT = DEFAULTS.codatTransport;

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 6);
const WARMUP_S = 1;
const API_KEY = `bench-${randomBytes(8).toString('hex')}`;
const TARGET = resolve(__dirname, 'bench-target.js');
const OUT = resolve(__dirname, '..', '..', 'bench', 'results', 'latest.json');

interface Row {
  scenario: string;
  detail: string;
  connections: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  responses2xx: number;
  failures: number;
  upstreamCalls: number;
  upstreamPerRequest: number;
  /** The floor row this one is compared with (same query shape and concurrency). */
  floor?: string;
  ratioToFloor?: number;
  cache?: SyncCacheStats;
}

interface Child {
  process: ChildProcess;
  ready: Record<string, unknown> & { url: string };
  ask<T>(type: string): Promise<T>;
  stop(): Promise<void>;
}

async function start(role: 'simulator' | 'server', env: Record<string, string>): Promise<Child> {
  const child = fork(TARGET, [role], {
    env: { ...process.env, ...env, APOLLO_TELEMETRY_DISABLED: '1', BENCH_API_KEY: API_KEY, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<Child['ready']>((resolveReady, reject) => {
    child.once('message', (message) => resolveReady(message as Child['ready']));
    child.once('exit', (code) => reject(new Error(`${role} exited with ${code} before it was ready`)));
  });
  return {
    process: child,
    ready,
    ask: <T>(type: string) =>
      new Promise<T>((answer) => {
        child.once('message', (message) => answer(message as T));
        child.send({ type });
      }),
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

function graphql(query: string, variables: Record<string, unknown> = {}): string {
  return JSON.stringify({ query, variables });
}

const STATUS_QUERY = 'query Status($id: ID!) { commerceSyncStatus(companyId: $id) { companyId state syncStatusCode syncUtc dataPushed } }';

/** One request before the load, to be sure the scenario answers what we think (no GraphQL errors). */
async function sanity(url: string, body: string, headers: Record<string, string>, method = 'POST'): Promise<void> {
  const res = await fetch(url, { method, headers, body: method === 'POST' ? body : undefined });
  const text = await res.text();
  if (res.status !== 200 || text.includes('"errors"'))
    throw new Error(`sanity check failed for ${url}: ${res.status} ${text.slice(0, 300)}`);
}

async function load(
  options: { url: string; connections: number; method?: 'GET' | 'POST'; headers: Record<string, string>; bodies?: string[] },
  duration: number,
): Promise<autocannon.Result> {
  return autocannon({
    url: options.url,
    connections: options.connections,
    duration,
    method: options.method ?? 'POST',
    headers: options.headers,
    requests: (options.bodies ?? [undefined]).map((body) => (body === undefined ? {} : { body })),
  });
}

async function scenario(
  name: string,
  detail: string,
  simulator: Child,
  server: Child | undefined,
  options: Parameters<typeof load>[0],
): Promise<Row> {
  await sanity(options.url, options.bodies?.[0] ?? '', options.headers, options.method);
  await load(options, WARMUP_S);
  await simulator.ask('count'); // forget what the warm-up cost
  const before = server ? (await server.ask<{ cache: SyncCacheStats }>('stats')).cache : undefined;
  const result = await load(options, DURATION_S);
  const { requests: upstreamCalls } = await simulator.ask<{ requests: number }>('count');
  const after = server ? (await server.ask<{ cache: SyncCacheStats }>('stats')).cache : undefined;
  const ok = result['2xx'];
  const row: Row = {
    scenario: name,
    detail,
    connections: options.connections,
    requestsPerSecond: Math.round(ok / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    responses2xx: ok,
    failures: result.non2xx + result.errors,
    upstreamCalls,
    upstreamPerRequest: ok ? upstreamCalls / ok : 0,
  };
  if (before && after) {
    row.cache = {
      hits: after.hits - before.hits,
      misses: after.misses - before.misses,
      coalesced: after.coalesced - before.coalesced,
      fleetCoalesced: after.fleetCoalesced - before.fleetCoalesced,
      stale: after.stale - before.stale,
      invalidations: after.invalidations - before.invalidations,
    };
  }
  process.stderr.write(`  ${name}: ${row.requestsPerSecond} req/s\n`);
  return row;
}

function aliasQuery(ids: readonly string[]): string {
  return `{ ${ids.map((id, i) => `c${i}: commerceSyncStatus(companyId: "${id}") { companyId state syncUtc }`).join(' ')} }`;
}

async function once(url: string, body: string): Promise<void> {
  await sanity(url, body, { 'content-type': 'application/json' });
}

async function main(): Promise<void> {
  const started = Date.now();
  const json = { 'content-type': 'application/json' };
  const rows: Row[] = [];
  const checks: { name: string; value: number; expected: number }[] = [];
  const simulator = await start('simulator', {});
  const companies = simulator.ready.companies as string[];
  const upstream = simulator.ready.url;
  const one = SEEDED_COMPANY_IDS.succeeded;
  const few = [SEEDED_COMPANY_IDS.succeeded, SEEDED_COMPANY_IDS.failed, SEEDED_COMPANY_IDS.inProgress, SEEDED_COMPANY_IDS.neverSynced];
  const servers: Child[] = [];
  const serve = async (mode: 'bare' | 'cached' | 'floor', transport: CodatTransport, ttl = 0): Promise<Child> => {
    const child = await start('server', {
      BENCH_MODE: mode,
      BENCH_UPSTREAM_URL: upstream,
      BENCH_TRANSPORT: transport,
      BENCH_CACHE_TTL_MS: String(ttl),
      BENCH_COMPANIES: JSON.stringify(companies),
    });
    servers.push(child);
    return child;
  };
  const status = (ids: readonly string[]): string[] => ids.map((id) => graphql(STATUS_QUERY, { id }));
  const alias = graphql(aliasQuery(companies));
  try {
    process.stderr.write(`bench: ${DURATION_S}s per scenario (+${WARMUP_S}s warm-up), ${cpus().length} CPUs\n`);
    rows.push(
      await scenario('upstream direct', 'GET simulator get-sync-status', simulator, undefined, {
        url: `${upstream}/meta/companies/${one}/sync/commerce/status`,
        method: 'GET',
        connections: 10,
        headers: { authorization: `Basic ${Buffer.from(API_KEY).toString('base64')}`, accept: 'application/json' },
      }),
    );

    // Floors: the same server and queries, with an upstream that answers from memory.
    const floor = await serve('floor', DEFAULT_CODAT_TRANSPORT);
    const floorUrl = `${floor.ready.url}/graphql`;
    rows.push(
      await scenario('apollo only', '{ __typename }', simulator, undefined, {
        url: floorUrl,
        connections: 10,
        headers: json,
        bodies: [graphql('{ __typename }')],
      }),
    );
    rows.push(
      await scenario('floor', 'status query, no upstream', simulator, undefined, {
        url: floorUrl,
        connections: 10,
        headers: json,
        bodies: status([one]),
      }),
    );
    rows.push(
      await scenario('floor 50 conns', `status query, ${few.length} companies, no upstream`, simulator, undefined, {
        url: floorUrl,
        connections: 50,
        headers: json,
        bodies: status(few),
      }),
    );
    rows.push(
      await scenario('floor 50 aliases', '50-alias query, no upstream', simulator, undefined, {
        url: floorUrl,
        connections: 4,
        headers: json,
        bodies: [alias],
      }),
    );
    await floor.stop();

    // Every request upstream: the client alone, once per transport.
    for (const transport of CODAT_TRANSPORTS) {
      const server = await serve('bare', transport);
      const url = `${server.ready.url}/graphql`;
      rows.push(
        await scenario(`uncached (${transport})`, 'status query, 1 company', simulator, undefined, {
          url,
          connections: 10,
          headers: json,
          bodies: status([one]),
        }),
      );
      if (transport === DEFAULT_CODAT_TRANSPORT) {
        rows.push(
          await scenario('50 aliases uncached', '50-alias query, every read upstream', simulator, undefined, {
            url,
            connections: 4,
            headers: json,
            bodies: [alias],
          }),
        );
      }
      await server.stop();
    }

    const cached = await serve('cached', DEFAULT_CODAT_TRANSPORT, DEFAULT_STATUS_CACHE_TTL_MS);
    const url = `${cached.ready.url}/graphql`;
    rows.push(
      await scenario('cached polling', `TTL ${DEFAULT_STATUS_CACHE_TTL_MS} ms, ${few.length} companies`, simulator, cached, {
        url,
        connections: 50,
        headers: json,
        bodies: status(few),
      }),
    );
    // The 50-alias query, exactly: cold then warm, one request each.
    await simulator.ask('count');
    await once(url, alias);
    checks.push({
      name: '50 aliases, cold: upstream calls',
      value: (await simulator.ask<{ requests: number }>('count')).requests,
      expected: 50,
    });
    await once(url, alias);
    checks.push({
      name: '50 aliases, warm: upstream calls',
      value: (await simulator.ask<{ requests: number }>('count')).requests,
      expected: 0,
    });
    rows.push(
      await scenario('50 aliases cached', `TTL ${DEFAULT_STATUS_CACHE_TTL_MS} ms, 50 companies`, simulator, cached, {
        url,
        connections: 4,
        headers: json,
        bodies: [alias],
      }),
    );
  } finally {
    for (const server of servers) await server.stop();
    await simulator.stop();
  }

  // Each row is compared with the floor that runs the same query at the same concurrency.
  const floorFor: Record<string, string> = {
    'cached polling': 'floor 50 conns',
    '50 aliases uncached': 'floor 50 aliases',
    '50 aliases cached': 'floor 50 aliases',
    'floor 50 aliases': 'floor 50 aliases',
    'floor 50 conns': 'floor 50 conns',
  };
  for (const row of rows) {
    row.floor = floorFor[row.scenario] ?? 'floor';
    const reference = rows.find((r) => r.scenario === row.floor)?.requestsPerSecond ?? 0;
    row.ratioToFloor = reference ? row.requestsPerSecond / reference : 0;
  }
  const find = (name: string): Row | undefined => rows.find((r) => r.scenario === name);
  const uncached = find(`uncached (${DEFAULT_CODAT_TRANSPORT})`);
  const polling = find('cached polling');
  const targets = [
    {
      target: `uncached (${DEFAULT_CODAT_TRANSPORT}) >= 0.6x floor`,
      met: (uncached?.ratioToFloor ?? 0) >= 0.6,
      value: uncached?.ratioToFloor,
    },
    { target: 'cached polling >= 0.9x floor 50 conns', met: (polling?.ratioToFloor ?? 0) >= 0.9, value: polling?.ratioToFloor },
    { target: 'cached polling upstream/req <= 0.01', met: (polling?.upstreamPerRequest ?? 1) <= 0.01, value: polling?.upstreamPerRequest },
    ...checks.map((c) => ({ target: `${c.name} = ${c.expected}`, met: c.value === c.expected, value: c.value })),
  ];

  const table = [
    ['scenario', 'detail', 'conns', 'req/s', 'x floor', 'floor', 'p50 ms', 'p99 ms', 'upstream/req', 'fail', 'hits/miss/coal'],
    ...rows.map((r) => [
      r.scenario,
      r.detail,
      String(r.connections),
      String(r.requestsPerSecond),
      (r.ratioToFloor ?? 0).toFixed(2),
      r.floor ?? '',
      String(r.p50Ms),
      String(r.p99Ms),
      r.upstreamPerRequest.toFixed(r.upstreamPerRequest < 0.1 ? 4 : 2),
      String(r.failures),
      r.cache ? `${r.cache.hits}/${r.cache.misses}/${r.cache.coalesced}` : '',
    ]),
  ];
  const widths = table[0]?.map((_, i) => Math.max(...table.map((line) => line[i]?.length ?? 0))) ?? [];
  const lines = table.map((line) =>
    line.map((cell, i) => (i >= 2 && i !== 5 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join('  '),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  console.log(lines.join('\n'));
  console.log('');
  for (const t of targets)
    console.log(`${t.met ? 'MET    ' : 'NOT MET'}  ${t.target} (${typeof t.value === 'number' ? +t.value.toFixed(4) : '?'})`);

  mkdirSync(resolve(OUT, '..'), { recursive: true });
  const report = {
    finishedAt: new Date().toISOString(),
    totalSeconds: Math.round((Date.now() - started) / 1000),
    node: process.version,
    cpus: cpus().length,
    durationPerScenarioS: DURATION_S,
    defaultTransport: DEFAULT_CODAT_TRANSPORT,
    statusCacheTtlMs: DEFAULT_STATUS_CACHE_TTL_MS,
    rows,
    targets,
  };
  writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwritten to ${OUT} (${report.totalSeconds} s in all)`);
}

main().catch((error: unknown) => {
  console.error('bench failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
