/**
 * `npm run bench:client`: the Codat client alone, per transport. 10 concurrent `getSyncStatus` loops
 * against the simulator in another process (dist/scripts/bench-target.js), BENCH_CLIENT_SECONDS (default 3)
 * per run, each after a short warm-up, and one unreported round first. The transports take turns
 * (A B C, A B C, ...) for BENCH_ROUNDS rounds (default 3), so that load from other work on the machine
 * falls on all of them alike; every run is printed with the 1-minute load average at its end.
 * BENCH_TRANSPORTS (comma-separated) picks some of them, in its order (e.g. to reverse it).
 * Binds and connects to 127.0.0.1 only. A benchmark, not a test: nothing here fails on a timing.
 */
import '../src/apollo-env';

import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';

import { createCodatClient } from '../src/app';
import { CODAT_TRANSPORTS, type CodatTransport } from '../src/codat/codat.transport';
import { loadConfig } from '../src/config';
import { SEEDED_COMPANY_IDS } from '../src/simulator';

const SECONDS = Number(process.env.BENCH_CLIENT_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = 10;
const WARMUP_MS = 500;
const API_KEY = `bench-${randomBytes(8).toString('hex')}`;
/** In the order given, so that a run can also take them in reverse. */
const TRANSPORTS = process.env.BENCH_TRANSPORTS
  ? process.env.BENCH_TRANSPORTS.split(',').map((name) => {
      const transport = CODAT_TRANSPORTS.find((t) => t === name.trim());
      if (!transport) throw new Error(`unknown transport ${name}; known: ${CODAT_TRANSPORTS.join(', ')}`);
      return transport;
    })
  : CODAT_TRANSPORTS;

async function main(): Promise<void> {
  const simulator = fork(resolve(__dirname, 'bench-target.js'), ['simulator'], {
    env: { ...process.env, APOLLO_TELEMETRY_DISABLED: '1', BENCH_API_KEY: API_KEY, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = (type: string): Promise<Record<string, unknown>> =>
    new Promise((answer) => {
      simulator.once('message', (message) => answer(message as Record<string, unknown>));
      simulator.send({ type });
    });
  const ready = await new Promise<{ url: string }>((done) => simulator.once('message', (m) => done(m as { url: string })));
  const id = SEEDED_COMPANY_IDS.succeeded;
  process.stderr.write(
    `bench:client: ${CONCURRENCY} concurrent getSyncStatus, ${SECONDS} s per run, ${ROUNDS} rounds, ${cpus().length} CPUs\n`,
  );
  /** Calls per second of one fresh client over `ms`, after its own short warm-up. */
  const measure = async (transport: CodatTransport, ms: number): Promise<number> => {
    const config = { ...loadConfig({}), codatTransport: transport, codatMaxConcurrency: CONCURRENCY, codatMaxRetries: 0 };
    const client = createCodatClient(config, { baseUrl: ready.url, apiKey: API_KEY });
    const run = async (forMs: number): Promise<number> => {
      const until = performance.now() + forMs;
      let calls = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (performance.now() < until) {
            await client.getSyncStatus(id);
            calls += 1;
          }
        }),
      );
      return calls;
    };
    try {
      await run(WARMUP_MS);
      await ask('count');
      const started = performance.now();
      const calls = await run(ms);
      const perSecond = calls / ((performance.now() - started) / 1000);
      await ask('count');
      return Math.round(perSecond);
    } finally {
      await client.close();
    }
  };
  try {
    // Unreported: the process's first runs pay for compiling the code (whichever transport goes first).
    for (const transport of TRANSPORTS) await measure(transport, WARMUP_MS);
    console.log('round  transport         calls/s  mean ms  load(1m)');
    for (let round = 1; round <= ROUNDS; round += 1) {
      for (const transport of TRANSPORTS) {
        const perSecond = await measure(transport, SECONDS * 1000);
        const meanMs = (CONCURRENCY / perSecond) * 1000;
        console.log(
          `${String(round).padStart(5)}  ${transport.padEnd(16)}  ${String(perSecond).padStart(7)}  ${meanMs.toFixed(2).padStart(7)}  ${loadavg()[0]?.toFixed(2)}`,
        );
      }
    }
  } finally {
    simulator.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error('bench:client failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
