import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

import { SEEDED_COMPANIES } from '../../src/simulator';
import { sampleValue } from '../support/observability';
import { describeWithRedis } from '../support/redis';

const script = resolve(__dirname, '../../dist/scripts/cluster.js');

async function gatewayQuery(url: string, query: string): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

describeWithRedis('npm run cluster (the built demo script)', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('starts Redis, two instances and a gateway over them on loopback; both instances serve and share; stops on SIGINT', async () => {
    child = spawn(process.execPath, [script], {
      env: {
        PATH: `${process.env.PATH ?? ''}:/usr/sbin:/usr/bin`,
        APOLLO_TELEMETRY_DISABLED: '1',
        GATEWAY_PORT: '0',
        INSTANCE_A_PORT: '0',
        INSTANCE_B_PORT: '0',
        COMPANIES_PORT: '0',
        // Long enough that the reads below are answered from the shared cache however slow the machine.
        STATUS_CACHE_TTL_MS: '60000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((res) => child?.on('exit', (code) => res(code)));
    const banner = await new Promise<RegExpExecArray>((res, rej) => {
      child?.stdout?.on('data', (d: Buffer) => {
        stdout += d.toString();
        const match =
          /gateway ready at (http:\/\/\S+)[\s\S]*instance A: \S+ +\(metrics: (\S+),[\s\S]*instance B: \S+ +\(metrics: (\S+),[\s\S]*Ctrl-C/.exec(
            stdout,
          );
        if (match) res(match);
      });
      void exited.then((code) => rej(new Error(`exited ${code}: ${stderr}`)));
    });
    const [, gateway = '', metricsA = '', metricsB = ''] = banner;
    expect(gateway).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    const all = await gatewayQuery(gateway, '{ companies { id name commerceSyncStatus { state } } }');
    expect(all.errors).toBeUndefined();
    expect((all.data?.companies as { id: string }[]).map((c) => c.id)).toEqual(SEEDED_COMPANIES.map((c) => c.id));
    // Four reads of one finished company's syncs through the gateway: two per instance, one call to
    // Codat in all, since the instances share the cache.
    const company = SEEDED_COMPANIES[1]?.id ?? '';
    for (let i = 0; i < 4; i += 1) {
      const body = await gatewayQuery(gateway, `{ commerceSyncs(companyId: "${company}") { state } }`);
      expect(body.errors).toBeUndefined();
    }
    const texts = await Promise.all([metricsA, metricsB].map(async (url) => (await fetch(url)).text()));
    const served = texts.map((text) => sampleValue(text, 'graphql_requests_total', { operation: 'anonymous', outcome: 'ok' }) ?? 0);
    expect(served.every((n) => n >= 2)).toBe(true);
    const calls = texts.map((text) => sampleValue(text, 'codat_requests_total', { operation: 'list-syncs', status: '200' }) ?? 0);
    expect(calls[0]! + calls[1]!).toBe(1);
    for (const text of texts) expect(sampleValue(text, 'redis_up')).toBe(1);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
