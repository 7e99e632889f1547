/**
 * `npm run bench`: how fast the subgraph answers next to the framework it is built on, what each request
 * costs the machine, and how much of Codat's quota it spends.
 *
 * Processes: the Codat simulator (dist/scripts/bench-target.js), and each server under test alone in its
 * own process; autocannon runs here. Separate processes are fairer on a small machine than one shared
 * event loop: the load generator's work does not show up as server latency, nor does "Codat"'s (the real
 * one runs elsewhere). Where it can, the bench pins the servers under test to one CPU and itself (with
 * the simulator and redis-server) to the others (bench-cpus.ts says why); compare rows of the same run,
 * never absolute numbers across runs or machines; every run prints the load average and the pinning.
 *
 * The servers (SERVERS below):
 * - `bare`: the floor, bare @apollo/server 5 answering the same shape from constants
 *   (scripts/bench-bare-apollo.ts, which says why it is served by `startStandaloneServer`);
 * - `shipped`: the server as shipped, `node dist/src/index.js`, configured only through its environment
 *   (CODAT_API_KEY and CODAT_BASE_URL pointing at the simulator, NODE_ENV=production), with its default
 *   logging (info: one access line per request, one line per Codat call) written to a pipe that this
 *   process reads, as a log shipper would; variants with STATUS_CACHE_TTL_MS=0 and LOG_LEVEL=warn;
 * - `fixed`: our app (createApp) over an upstream that answers from memory, logs off: the cost of our
 *   GraphQL layer alone (bench-target.ts).
 *
 * Each scenario (SCENARIOS below: a server, a query, a concurrency, and the row it is compared with) gets
 * a sanity request, every server up; then row by row, with every server still up, the row's floor and
 * the row get a warm-up (10 s for a server's first scenario, 2 s for each further one) and
 * BENCH_DURATION_S seconds (default 12) of load in BENCH_ROUNDS slices (default 12), in turns: a slice of
 * the floor, then one of the row. Load from other work on the machine then falls on a row and its floor
 * alike, and the two servers rest alike between their slices. That second part was measured: when the
 * rows took turns round by round, the floor (measured before every row) rested a second between its
 * slices and each row's server a whole round (about 20 s), and the rows read lower, the cached status
 * 0.79 to 0.83x in four runs against 0.86 to 0.90x in four runs row by row (same build, Node 22; a
 * server that has rested long starts its slice slower). For each row: requests/s; the ratio to its floor, the median of the rounds'
 * ratios (each a slice of the row against the floor's slice just before it), with the lowest and highest
 * of them; p50 (median slice) and p99 (worst slice) latency; the server's CPU time per request and its
 * peak resident memory during its slices (from /proc, bench-process-usage.ts); upstream calls per request
 * (what the simulator received / 2xx answers); and log lines per request. The whole run takes about 4.5
 * minutes.
 *
 * Options: BENCH_DURATION_S; BENCH_ROUNDS; BENCH_ONLY=name,name (those scenarios and their floors);
 * BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", given to every server process;
 * each writes its profile when it stops); BENCH_SHIPPED_ENTRY (another build's dist/src/index.js for the
 * shipped rows, e.g. a clone of main with this checkout's node_modules linked in). Everything binds and connects to 127.0.0.1; Apollo telemetry is
 * off in every process. A benchmark, not a test: nothing here fails on a timing.
 */
import '../src/apollo-env';

import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';

import autocannon from 'autocannon';

import { SEEDED_COMPANY_IDS } from '../src/simulator';
import { planCpus, type CpuPlan } from './bench-cpus';
import { cpuMs, sampleRss } from './bench-process-usage';
import { redisServerBinary, startRedisServer } from './redis-server';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 12);
/**
 * The load of each scenario is split into this many slices, taken in turns with its floor's.
 * Twelve of one second rather than five of 1.5 s: on this machine the host's own load moves a slice by
 * a third either way (one run's bare floor slices: 4,880 to 8,686 req/s), so one row's five round
 * ratios spread over 0.65-1.05x and their median moved by a tenth from one run of a build to the next
 * (0.72 to 0.85x). The median of twelve moves less, and 1 s slices keep the run about as long.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12);
/**
 * Warm-up before the rounds: a server's first scenario gets WARMUP_S, each later one on the same server
 * WARMUP_MORE_S for its own query. Under continuous load (1 s slices, pinned), the shipped server took
 * about 9 s to reach its full rate (600 req/s in its first second, 3,400 in its ninth, 7,000 from its
 * tenth) and the bare floor about 7 s; with a 1 s warm-up every first round's ratio came out low.
 */
const WARMUP_S = 10;
const WARMUP_MORE_S = 2;
const ONLY = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());
const SERVER_NODE_ARGS = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
const API_KEY = `bench-${randomBytes(8).toString('hex')}`;
const OUT = resolve(__dirname, '..', '..', 'bench', 'results', 'latest.json');
/** The shipped server's entry point; BENCH_SHIPPED_ENTRY runs another build (e.g. main's, for a before/after). */
const ENTRY = process.env.BENCH_SHIPPED_ENTRY ?? resolve(__dirname, '..', 'src', 'index.js');

/** A process under load. */
interface Running {
  /** Where requests go (GraphQL endpoint, or the simulator's URL). */
  url: string;
  pid: number;
  /** Log lines written to stdout so far (the shipped server only). */
  logLines?(): number;
  /** Requests its own upstream received since the last count, when it is not the shared simulator. */
  upstreamCount?(): Promise<number>;
  stop(): Promise<void>;
}

/** Started before its first scenario, stopped after its last one. */
interface ServerSpec {
  /** How it runs, for the table's legend. */
  detail: string;
  start(): Promise<Running>;
}

interface Scenario {
  name: string;
  server: string;
  /** What is asked, for the table. */
  detail: string;
  connections: number;
  request(url: string): { url: string; method: 'GET' | 'POST'; headers: Record<string, string>; bodies?: string[] };
  /** The row whose req/s (and RSS) this one is compared with. */
  floor?: string;
  /** Before the load: the same query once cold and once warm, counting what reached the simulator (must be `cold` and 0). */
  exactCalls?: { cold: number };
}

interface Row {
  scenario: string;
  server: string;
  detail: string;
  connections: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  responses2xx: number;
  failures: number;
  /** Server CPU (user + system) per 2xx answer. */
  cpuMsPerRequest: number | undefined;
  /** Highest resident set size of the server process during the load. */
  rssMb: number | undefined;
  upstreamPerRequest: number;
  logLinesPerRequest: number | undefined;
  /** Requests/s of each slice, round by round. */
  sliceRequestsPerSecond: number[];
  /** Requests/s of the floor's slice taken just before each of this row's slices. */
  pairedFloorRequestsPerSecond?: number[];
  floor?: string;
  /** The median of `roundRatios`: what the targets are checked against. */
  ratioToFloor?: number;
  /** Each round's ratio: this row's slice against the floor's slice just before it. */
  roundRatios?: number[];
  /** This row's req/s over all its slices against the floor's over all of its own. */
  pooledRatioToFloor?: number;
  rssRatioToFloor?: number;
  /** Highest 1-minute load average at the end of one of its slices. */
  load1: number;
}

const children: ChildProcess[] = [];

/** Where the processes run; decided (and this process pinned) once, at the start of main. */
let cpus_: CpuPlan | undefined;
function cpuPlan(): CpuPlan {
  cpus_ ??= planCpus();
  return cpus_;
}

/** A child over IPC (bench-target.js roles, bench-bare-apollo.js): resolves with its `ready` message. */
async function forkChild(
  script: string,
  args: string[],
  env: Record<string, string>,
  server?: { execArgv: string[] },
): Promise<{ child: ChildProcess; ready: Record<string, unknown> & { url: string } }> {
  // A server under test starts on the servers' CPU (bench-cpus.ts); the others stay where this process is.
  const start = server ? cpuPlan().onServerCpu(process.execPath, server.execArgv) : { command: process.execPath, args: [] };
  const child = fork(resolve(__dirname, script), args, {
    env: { ...process.env, ...env, APOLLO_TELEMETRY_DISABLED: '1', BENCH_API_KEY: API_KEY, NODE_ENV: 'production' },
    execPath: start.command,
    execArgv: start.args,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  const ready = await new Promise<Record<string, unknown> & { url: string }>((done, fail) => {
    child.once('message', (message) => done(message as Record<string, unknown> & { url: string }));
    child.once('exit', (code) => fail(new Error(`${script} ${args.join(' ')} exited with ${code} before it was ready`)));
  });
  return { child, ready };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

/**
 * The server as shipped: `node dist/src/index.js` with only its environment, stdout a pipe read here
 * (counting lines, as a log shipper reads them). Ready when its start line names the URL.
 */
async function startShipped(upstream: string, env: Record<string, string>): Promise<Running> {
  const start = cpuPlan().onServerCpu(process.execPath, [...SERVER_NODE_ARGS, ENTRY]);
  const child = spawn(start.command, start.args, {
    env: {
      PATH: process.env.PATH ?? '',
      APOLLO_TELEMETRY_DISABLED: '1',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      CODAT_API_KEY: API_KEY,
      CODAT_BASE_URL: upstream,
      // Every caller in, as the bare floor lets them: the rows measure serving, not authentication.
      AUTH_MODE: 'none',
      // The simulator has no per-IP ceiling: ours (600 a minute by default, under real Codat's 1,000)
      // would hold the uncached rows' reads back after their first seconds.
      CODAT_MAX_REQUESTS_PER_MINUTE: '1000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let lines = 0;
  let head = '';
  const url = await new Promise<string>((done, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
      if (head.length < 65_536) {
        head += chunk.toString('utf8');
        const match = /ready at (http:\/\/[^\s"]+\/graphql)/.exec(head);
        if (match?.[1]) done(match[1]);
      }
    });
    child.once('exit', (code) => fail(new Error(`dist/src/index.js exited with ${code} before it was ready:\n${head}`)));
  });
  return { url, pid: child.pid ?? 0, logLines: () => lines, stop: () => stopChild(child) };
}

/** What a simulator process (bench-target.js) received since it was last asked. */
function countOf(child: ChildProcess): Promise<number> {
  return new Promise<number>((answer) => {
    child.once('message', (message) => answer((message as { requests: number }).requests));
    child.send({ type: 'count' });
  });
}

/**
 * A round-robin HTTP proxy on 127.0.0.1 in front of several servers, as a load balancer in front of
 * replicas: each request goes to the next one in turn, over kept-alive connections. It runs in the bench
 * process, beside autocannon: its hop shows in the row's latency, not in the servers' CPU.
 */
async function roundRobin(urls: readonly string[]): Promise<{ url: string; stop(): Promise<void> }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;
  const server = createServer((req, res) => {
    const target = new URL(urls[next++ % urls.length]!);
    const forward = request(
      { host: target.hostname, port: target.port, path: target.pathname, method: req.method, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: () =>
      new Promise<void>((done) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

function graphql(query: string, variables: Record<string, unknown> = {}): string {
  return JSON.stringify({ query, variables });
}

const STATUS_QUERY = 'query Status($id: ID!) { commerceSyncStatus(companyId: $id) { companyId state syncStatusCode syncUtc dataPushed } }';
const JSON_HEADERS = { 'content-type': 'application/json' };

function aliasQuery(ids: readonly string[]): string {
  return `query Dashboard { ${ids.map((id, i) => `c${i}: commerceSyncStatus(companyId: "${id}") { companyId state syncUtc }`).join(' ')} }`;
}

/** One request before the load, to be sure the scenario answers what we think (no GraphQL errors). */
async function sanity(target: ReturnType<Scenario['request']>): Promise<void> {
  const res = await fetch(target.url, {
    method: target.method,
    headers: target.headers,
    body: target.method === 'POST' ? target.bodies?.[0] : undefined,
  });
  const text = await res.text();
  if (res.status !== 200 || text.includes('"errors"'))
    throw new Error(`sanity check failed for ${target.url}: ${res.status} ${text.slice(0, 300)}`);
}

function load(target: ReturnType<Scenario['request']>, connections: number, duration: number): Promise<autocannon.Result> {
  return autocannon({
    url: target.url,
    connections,
    duration,
    method: target.method,
    headers: target.headers,
    requests: (target.bodies ?? [undefined]).map((body) => (body === undefined ? {} : { body })),
  });
}

function requestsPerSecondOf(slice: Slice): number {
  return slice.result.duration > 0 ? slice.result['2xx'] / slice.result.duration : 0;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** One slice of load on one scenario: what autocannon saw and what the server process spent. */
interface Slice {
  result: autocannon.Result;
  cpuMs: number | undefined;
  peakRss: number | undefined;
  upstreamCalls: number;
  logLines: number | undefined;
  load1: number;
}

async function measure(server: Running, scenario: Scenario, upstreamCount: () => Promise<number>): Promise<Slice> {
  const target = scenario.request(server.url);
  await upstreamCount(); // forget what came before
  const linesBefore = server.logLines?.();
  const cpuBefore = cpuMs(server.pid);
  const rss = sampleRss(server.pid);
  const result = await load(target, scenario.connections, DURATION_S / ROUNDS);
  const peakRss = rss.stop();
  const cpuAfter = cpuMs(server.pid);
  const linesAfter = server.logLines?.();
  return {
    result,
    cpuMs: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined,
    peakRss,
    upstreamCalls: await upstreamCount(),
    logLines: linesBefore !== undefined && linesAfter !== undefined ? linesAfter - linesBefore : undefined,
    load1: loadavg()[0] ?? 0,
  };
}

/** A row from a scenario's slices: sums over them; p50 is the median slice's, p99 the worst slice's. */
function rowOf(scenario: Scenario, slices: Slice[]): Row {
  const sum = (pick: (slice: Slice) => number | undefined): number | undefined =>
    slices.some((slice) => pick(slice) === undefined) ? undefined : slices.reduce((total, slice) => total + (pick(slice) ?? 0), 0);
  const ok = sum((slice) => slice.result['2xx']) ?? 0;
  const seconds = sum((slice) => slice.result.duration) ?? 0;
  const p50s = slices.map((slice) => slice.result.latency.p50).sort((a, b) => a - b);
  const cpu = sum((slice) => slice.cpuMs);
  const lines = sum((slice) => slice.logLines);
  const peaks = slices.map((slice) => slice.peakRss);
  return {
    scenario: scenario.name,
    server: scenario.server,
    detail: scenario.detail,
    connections: scenario.connections,
    requestsPerSecond: seconds > 0 ? Math.round(ok / seconds) : 0,
    sliceRequestsPerSecond: slices.map(requestsPerSecondOf),
    p50Ms: p50s[Math.floor(p50s.length / 2)] ?? 0,
    p99Ms: Math.max(...slices.map((slice) => slice.result.latency.p99)),
    responses2xx: ok,
    failures: sum((slice) => slice.result.non2xx + slice.result.errors) ?? 0,
    cpuMsPerRequest: cpu !== undefined && ok > 0 ? cpu / ok : undefined,
    rssMb: peaks.some((peak) => peak === undefined) ? undefined : Math.max(...(peaks as number[])) / 2 ** 20,
    upstreamPerRequest: ok ? (sum((slice) => slice.upstreamCalls) ?? 0) / ok : 0,
    logLinesPerRequest: lines !== undefined && ok > 0 ? lines / ok : undefined,
    floor: scenario.floor,
    load1: Math.max(...slices.map((slice) => slice.load1)),
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const startLoad = loadavg();
  const plan = cpuPlan();
  process.stderr.write(
    `bench: ${new Date().toISOString()}, node ${process.version}, ${cpus().length} CPUs, load average ${startLoad.map((l) => l.toFixed(2)).join(' ')}; ` +
      `${DURATION_S}s per scenario (+${WARMUP_S}s warm-up per server, ${WARMUP_MORE_S}s per further scenario); ${plan.description}\n`,
  );

  const simulatorProcess = await forkChild('bench-target.js', ['simulator'], {});
  const simulator = {
    url: simulatorProcess.ready.url,
    companies: simulatorProcess.ready.companies as string[],
    /** Requests the simulator received since the last count. */
    count: () =>
      new Promise<number>((answer) => {
        simulatorProcess.child.once('message', (message) => answer((message as { requests: number }).requests));
        simulatorProcess.child.send({ type: 'count' });
      }),
  };
  const one = SEEDED_COMPANY_IDS.succeeded;
  const ten = simulator.companies.slice(0, 10);
  const hasRedis = redisServerBinary() !== undefined;
  if (!hasRedis) process.stderr.write('  no redis-server: the two-instance scenario is left out (apt-get install -y redis-server)\n');

  const SERVERS: Record<string, ServerSpec> = {
    simulator: {
      detail: 'the Codat simulator itself (bench-target.js)',
      start: async () => ({ url: simulator.url, pid: simulatorProcess.child.pid ?? 0, stop: async () => {} }),
    },
    bare: {
      detail: 'bare @apollo/server 5, startStandaloneServer, constant resolvers (bench-bare-apollo.js)',
      async start() {
        const { child, ready } = await forkChild('bench-bare-apollo.js', [], {}, { execArgv: SERVER_NODE_ARGS });
        return { url: ready.url, pid: child.pid ?? 0, stop: () => stopChild(child) };
      },
    },
    shipped: {
      detail: 'node dist/src/index.js, defaults (LOG_LEVEL=info to a pipe, STATUS_CACHE_TTL_MS=2000)',
      start: () => startShipped(simulator.url, {}),
    },
    'shipped ttl=0': {
      detail: 'node dist/src/index.js, STATUS_CACHE_TTL_MS=0 (every read upstream; identical ones coalesced)',
      start: () => startShipped(simulator.url, { STATUS_CACHE_TTL_MS: '0' }),
    },
    'shipped warn': {
      detail: 'node dist/src/index.js, LOG_LEVEL=warn (no access lines)',
      start: () => startShipped(simulator.url, { LOG_LEVEL: 'warn' }),
    },
    'shipped, Codat 100 ms away': {
      detail:
        'node dist/src/index.js, STATUS_CACHE_TTL_MS=0, over a simulator of its own answering every call 100 ms late (BENCH_UPSTREAM_DELAY_MS)',
      async start() {
        // This simulator seeds its own 50 companies; the dashboard asks for 30 of them.
        const slow = await forkChild('bench-target.js', ['simulator'], { BENCH_UPSTREAM_DELAY_MS: '100' });
        slowCompanies = (slow.ready.companies as string[]).slice(0, 30);
        const server = await startShipped(slow.ready.url, { STATUS_CACHE_TTL_MS: '0' });
        return {
          ...server,
          upstreamCount: () => countOf(slow.child),
          stop: async () => {
            await server.stop();
            await stopChild(slow.child);
          },
        };
      },
    },
    'two shipped over Redis': {
      detail:
        'two node dist/src/index.js on one redis-server (REDIS_URL) and the shared simulator, defaults, taken in turn by a round-robin proxy in the bench process',
      async start() {
        const redis = await startRedisServer();
        const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'bench:' };
        const instances = await Promise.all([startShipped(simulator.url, env), startShipped(simulator.url, env)]);
        const proxy = await roundRobin(instances.map((instance) => instance.url));
        return {
          url: proxy.url,
          // The first instance's process: CPU and RSS columns are one instance's share.
          pid: instances[0]!.pid,
          logLines: () => instances.reduce((sum, instance) => sum + (instance.logLines?.() ?? 0), 0),
          async stop() {
            await proxy.stop();
            await Promise.all(instances.map((instance) => instance.stop()));
            await redis.stop();
          },
        };
      },
    },
    fixed: {
      detail: 'createApp over an upstream answering from memory, logs off (bench-target.js server)',
      async start() {
        const { child, ready } = await forkChild(
          'bench-target.js',
          ['server'],
          { BENCH_UPSTREAM_URL: simulator.url, BENCH_COMPANIES: JSON.stringify(simulator.companies) },
          { execArgv: SERVER_NODE_ARGS },
        );
        return { url: ready.url, pid: child.pid ?? 0, stop: () => stopChild(child) };
      },
    },
  };

  const status = (url: string) => ({ url, method: 'POST' as const, headers: JSON_HEADERS, bodies: [graphql(STATUS_QUERY, { id: one })] });
  const dashboard = (url: string) => ({ url, method: 'POST' as const, headers: JSON_HEADERS, bodies: [graphql(aliasQuery(ten))] });
  // The slow simulator's own companies, known once its server has started (before its first request).
  let slowCompanies: string[] = [];
  const dashboard30 = (url: string) => ({
    url,
    method: 'POST' as const,
    headers: JSON_HEADERS,
    bodies: [graphql(aliasQuery(slowCompanies))],
  });
  // In order; consecutive scenarios on one server share its process. New scenarios add a server above and rows here.
  const SCENARIOS: Scenario[] = [
    {
      name: 'upstream direct',
      server: 'simulator',
      detail: 'GET get-sync-status on the simulator',
      connections: 32,
      request: (url) => ({
        url: `${url}/meta/companies/${one}/sync/commerce/status`,
        method: 'GET',
        headers: { authorization: `Basic ${Buffer.from(API_KEY).toString('base64')}`, accept: 'application/json' },
      }),
    },
    { name: 'bare floor', server: 'bare', detail: 'status, 1 company', connections: 32, request: status },
    { name: 'bare floor 10 aliases', server: 'bare', detail: '10 aliases, 10 companies', connections: 8, request: dashboard },
    { name: 'as shipped', server: 'shipped', detail: 'status, 1 company, cached', connections: 32, request: status, floor: 'bare floor' },
    {
      name: 'as shipped 10 aliases',
      server: 'shipped',
      detail: '10 aliases, 10 companies, cached',
      connections: 8,
      request: dashboard,
      floor: 'bare floor 10 aliases',
      exactCalls: { cold: ten.length },
    },
    {
      name: 'as shipped uncached',
      server: 'shipped ttl=0',
      detail: 'status, 1 company, every read upstream',
      connections: 32,
      request: status,
      floor: 'bare floor',
    },
    {
      name: 'as shipped log warn',
      server: 'shipped warn',
      detail: 'status, 1 company, cached',
      connections: 32,
      request: status,
      floor: 'bare floor',
    },
    {
      // Issue 13: 30 companies read at once with Codat 100 ms away come back in one round trip (p50 < 150 ms).
      name: 'dashboard 30 at 100 ms',
      server: 'shipped, Codat 100 ms away',
      detail: '30 aliases, 30 companies, every read upstream, each 100 ms',
      connections: 4,
      request: dashboard30,
    },
    ...(hasRedis
      ? [
          {
            name: 'two instances over Redis',
            server: 'two shipped over Redis',
            detail: 'status, 1 company, cached, shared between both',
            connections: 32,
            request: status,
            floor: 'bare floor',
          },
        ]
      : []),
    {
      name: 'ours fixed upstream',
      server: 'fixed',
      detail: 'status, 1 company, no I/O',
      connections: 32,
      request: status,
      floor: 'bare floor',
    },
  ];

  const wanted = ONLY
    ? SCENARIOS.filter((s) => ONLY.includes(s.name) || SCENARIOS.some((o) => ONLY.includes(o.name) && o.floor === s.name))
    : SCENARIOS;
  const rows: Row[] = [];
  const checks: { name: string; value: number; expected: number }[] = [];
  const running = new Map<string, Running>();
  const warmed = new Set<string>();
  try {
    // Every server up first, each scenario checked; then row by row, each warmed up with its floor and
    // measured in turns with it.
    for (const scenario of wanted) {
      if (!running.has(scenario.server)) running.set(scenario.server, await SERVERS[scenario.server]!.start());
      const target = scenario.request(running.get(scenario.server)!.url);
      if (scenario.exactCalls) {
        await simulator.count();
        await sanity(target);
        checks.push({ name: `${scenario.name}, cold: upstream calls`, value: await simulator.count(), expected: scenario.exactCalls.cold });
        await sanity(target);
        checks.push({ name: `${scenario.name}, warm: upstream calls`, value: await simulator.count(), expected: 0 });
      } else {
        await sanity(target);
      }
    }
    const warmUp = async (scenario: Scenario): Promise<void> => {
      const target = scenario.request(running.get(scenario.server)!.url);
      await load(target, scenario.connections, warmed.has(scenario.server) ? WARMUP_MORE_S : WARMUP_S);
      warmed.add(scenario.server);
    };
    const slices = new Map<string, Slice[]>(wanted.map((scenario) => [scenario.name, []]));
    const pairedFloors = new Map<string, number[]>();
    const floors = new Set(wanted.flatMap((scenario) => (scenario.floor ? [scenario.floor] : [])));
    const byName = new Map(wanted.map((scenario) => [scenario.name, scenario]));
    const slice = async (scenario: Scenario): Promise<Slice> => {
      const server = running.get(scenario.server)!;
      const taken = await measure(server, scenario, server.upstreamCount ?? simulator.count);
      slices.get(scenario.name)!.push(taken);
      return taken;
    };
    for (const scenario of wanted) {
      if (floors.has(scenario.name)) continue; // measured with the rows compared with it
      const floor = scenario.floor ? byName.get(scenario.floor) : undefined;
      if (floor) await warmUp(floor);
      await warmUp(scenario);
      // A row's slice right after one of its floor's, pair by pair: a ratio then compares two slices a
      // second apart, whatever the machine did between the pairs (the header says why row by row).
      for (let round = 1; round <= ROUNDS; round += 1) {
        if (floor) {
          const taken = await slice(floor);
          pairedFloors.set(scenario.name, [...(pairedFloors.get(scenario.name) ?? []), requestsPerSecondOf(taken)]);
        }
        await slice(scenario);
      }
      process.stderr.write(`  ${scenario.name}: ${ROUNDS} rounds done (load ${(loadavg()[0] ?? 0).toFixed(2)})\n`);
    }
    for (const scenario of wanted)
      rows.push({ ...rowOf(scenario, slices.get(scenario.name)!), pairedFloorRequestsPerSecond: pairedFloors.get(scenario.name) });
  } finally {
    for (const server of running.values()) await server.stop();
    for (const child of children) await stopChild(child);
  }

  for (const row of rows) {
    const floor = rows.find((r) => r.scenario === row.floor);
    if (!floor) continue;
    const paired = row.pairedFloorRequestsPerSecond ?? [];
    row.roundRatios = row.sliceRequestsPerSecond.map((rps, i) => (paired[i] ? rps / paired[i]! : 0));
    row.ratioToFloor = median(row.roundRatios);
    row.pooledRatioToFloor = floor.requestsPerSecond ? row.requestsPerSecond / floor.requestsPerSecond : 0;
    if (row.rssMb !== undefined && floor.rssMb) row.rssRatioToFloor = row.rssMb / floor.rssMb;
  }
  const find = (name: string): Row | undefined => rows.find((r) => r.scenario === name);
  const target = (name: string, min: number) => {
    const row = find(name);
    return {
      target: `${name} >= ${min}x ${row?.floor ?? 'its floor'} req/s`,
      met: (row?.ratioToFloor ?? 0) >= min,
      value: row?.ratioToFloor,
    };
  };
  const rssTarget = (name: string) => {
    const row = find(name);
    return {
      target: `${name} RSS <= 1.3x ${row?.floor ?? 'its floor'}'s`,
      met: (row?.rssRatioToFloor ?? Infinity) <= 1.3,
      value: row?.rssRatioToFloor,
    };
  };
  const targets = [
    target('as shipped', 0.8),
    target('as shipped uncached', 0.5),
    target('as shipped 10 aliases', 0.6),
    rssTarget('as shipped'),
    rssTarget('as shipped 10 aliases'),
    rssTarget('as shipped uncached'),
    {
      target: 'dashboard 30 at 100 ms: p50 < 150 ms (one round trip)',
      met: (find('dashboard 30 at 100 ms')?.p50Ms ?? Infinity) < 150,
      value: find('dashboard 30 at 100 ms')?.p50Ms,
    },
    ...checks.map((c) => ({ target: `${c.name} = ${c.expected}`, met: c.value === c.expected, value: c.value })),
  ].filter((t) => t.value !== undefined || !ONLY);

  const fixed = (value: number | undefined, digits: number): string => (value === undefined ? 'n/a' : value.toFixed(digits));
  const table = [
    [
      'scenario',
      'query',
      'conns',
      'req/s',
      'x floor',
      'rounds',
      'p50 ms',
      'p99 ms',
      'CPU ms/req',
      'RSS MB',
      'upstream/req',
      'log lines/req',
      'fail',
      'load',
    ],
    ...rows.map((r) => [
      r.scenario,
      r.detail,
      String(r.connections),
      String(r.requestsPerSecond),
      r.ratioToFloor === undefined ? '' : r.ratioToFloor.toFixed(2),
      r.roundRatios ? `${Math.min(...r.roundRatios).toFixed(2)}-${Math.max(...r.roundRatios).toFixed(2)}` : '',
      String(r.p50Ms),
      String(r.p99Ms),
      fixed(r.cpuMsPerRequest, 3),
      fixed(r.rssMb, 0),
      r.upstreamPerRequest.toFixed(r.upstreamPerRequest < 0.1 ? 4 : 2),
      fixed(r.logLinesPerRequest, 2),
      String(r.failures),
      r.load1.toFixed(2),
    ]),
  ];
  const widths = table[0]?.map((_, i) => Math.max(...table.map((line) => line[i]?.length ?? 0))) ?? [];
  const lines = table.map((line) =>
    line.map((cell, i) => (i >= 2 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join('  '),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  console.log(lines.join('\n'));
  console.log('');
  for (const key of new Set(rows.map((r) => r.server))) console.log(`  ${key}: ${SERVERS[key]?.detail ?? ''}`);
  console.log(
    "  x floor: the median of the rounds' ratios, each a slice of the row against a slice of its floor taken just before it; rounds: the lowest and highest of them",
  );
  console.log(`  CPUs: ${plan.description} (scripts/bench-cpus.ts)`);
  console.log('');
  for (const t of targets)
    console.log(`${t.met ? 'MET    ' : 'NOT MET'}  ${t.target} (${typeof t.value === 'number' ? +t.value.toFixed(4) : '?'})`);

  const endLoad = loadavg();
  mkdirSync(resolve(OUT, '..'), { recursive: true });
  const report = {
    finishedAt: new Date().toISOString(),
    totalSeconds: Math.round((Date.now() - started) / 1000),
    node: process.version,
    cpus: cpus().length,
    pinning: plan.description,
    loadAverage: { start: startLoad, end: endLoad },
    durationPerScenarioS: DURATION_S,
    servers: Object.fromEntries(Object.entries(SERVERS).map(([key, spec]) => [key, spec.detail])),
    rows,
    targets,
  };
  writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `\nnode ${process.version}; load average ${startLoad.map((l) => l.toFixed(2)).join(' ')} at the start, ` +
      `${endLoad.map((l) => l.toFixed(2)).join(' ')} at the end; written to ${OUT} (${report.totalSeconds} s in all)`,
  );
}

main().catch((error: unknown) => {
  console.error('bench failed:', error instanceof Error ? error.message : error);
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
});
