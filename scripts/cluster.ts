/**
 * `npm run cluster`: several instances sharing one Codat quota, on this machine.
 *   - Redis: REDIS_URL if set, else Debian's redis-server started here on a free port (no persistence);
 *   - the Codat simulator, one for both instances (they are one client of one Codat);
 *   - two instances of this subgraph (INSTANCE_A_PORT 4001, INSTANCE_B_PORT 4002), each createApp with REDIS_URL;
 *   - the example companies subgraph (COMPANIES_PORT 4003);
 *   - Apollo Gateway (GATEWAY_PORT 4000) sending each commerce request to the next instance in turn.
 * Everything binds to 127.0.0.1; nothing talks to Apollo's cloud. Ctrl-C stops it all.
 */
import '../src/apollo-env';

import { randomBytes } from 'node:crypto';

import { createApp, type App } from '../src/app';
import { loadConfig } from '../src/config';
import { CodatSimulator, SEEDED_COMPANIES } from '../src/simulator';
import { quietLogger } from './federation/companies-subgraph';
import { portFromEnv, startDemoGraph, stopOnSignals } from './federation/demo';
import { startRedisServer } from './redis-server';

const HOST = '127.0.0.1';

async function main(): Promise<void> {
  const ports = {
    gateway: portFromEnv('GATEWAY_PORT', 4000),
    a: portFromEnv('INSTANCE_A_PORT', 4001),
    b: portFromEnv('INSTANCE_B_PORT', 4002),
    companies: portFromEnv('COMPANIES_PORT', 4003),
  };
  const ownRedis = process.env.REDIS_URL ? undefined : await startRedisServer(portFromEnv('REDIS_PORT', 0));
  const redisUrl = process.env.REDIS_URL ?? ownRedis?.url ?? '';
  const simulator = await CodatSimulator.start({ apiKey: `simulator-${randomBytes(12).toString('hex')}`, host: HOST, port: 0 });

  // Each instance as `npm start` builds it from the environment, with REDIS_URL, both on the one simulator.
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', REDIS_URL: redisUrl });
  const instances: App[] = [];
  const instanceUrls: string[] = [];
  for (const instancePort of [ports.a, ports.b]) {
    const app = await createApp(config, { upstream: { baseUrl: simulator.url, apiKey: simulator.apiKey }, apolloLogger: quietLogger });
    instanceUrls.push(await app.listen(instancePort, HOST));
    instances.push(app);
  }
  await Promise.all(instances.map((app) => app.fleet.whenRedisUp(5_000)));
  const commerceUrls = instanceUrls.map((url) => `${url}/graphql`);
  const { gateway, companies } = await startDemoGraph(commerceUrls, ports, HOST);

  const first = SEEDED_COMPANIES[0];
  console.log(
    [
      `Cluster gateway ready at ${gateway.url}`,
      `  commerce instance A: ${commerceUrls[0]}  (metrics: ${instanceUrls[0]}/metrics, readiness: ${instanceUrls[0]}/readyz)`,
      `  commerce instance B: ${commerceUrls[1]}  (metrics: ${instanceUrls[1]}/metrics, readiness: ${instanceUrls[1]}/readyz)`,
      `  companies subgraph (example): ${companies.url}`,
      `  Redis: ${ownRedis ? `${ownRedis.url} (started here, no persistence)` : 'REDIS_URL'}; Codat simulator: ${simulator.url}`,
      'The gateway sends each commerce request to the next instance in turn; both share the cache, in-flight',
      'reads, the per-company bound and idempotency records through Redis. Try a read twice, then compare the',
      "instances' codat_requests_total and codat_cache_events_total:",
      `  curl -s ${gateway.url} -H 'content-type: application/json' \\`,
      `    -d '{"query":"{ companies { id name commerceSyncStatus { state syncUtc } } }"}'`,
      first
        ? `  curl -s ${gateway.url} -H 'content-type: application/json' \\\n    -d '{"query":"mutation { requestSync(companyId: \\"${first.id}\\", idempotencyKey: \\"demo-1\\") { commerceSyncId state } }"}'`
        : '',
      'Ctrl-C stops everything.',
    ]
      .filter((line) => line !== '')
      .join('\n'),
  );

  stopOnSignals('the gateway, the instances, the simulator and Redis', async () => {
    await gateway.stop();
    await Promise.all([companies.stop(), ...instances.map((app) => app.stop())]);
    await simulator.close();
    await ownRedis?.stop();
  });
}

main().catch((error: unknown) => {
  console.error('Failed to start the cluster:', error instanceof Error ? error.message : error);
  process.exit(1);
});
