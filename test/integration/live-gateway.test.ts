import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway';

import { COMPANIES_SUBGRAPH_SDL, startCompaniesSubgraph, type CompaniesSubgraph } from '../../scripts/federation/companies-subgraph';
import { composeSupergraph, fetchSubgraphSdl } from '../../scripts/federation/gateway';
import { useHarness } from '../support/harness';
import { liveConfig, readEvents, TestClock } from '../support/live-client';
import { sampleValue } from '../support/observability';
import { waitFor } from '../support/wait';

/**
 * A real gateway in front of us: Hive Gateway (The Guild's federation gateway), in this process on
 * 127.0.0.1, composing this subgraph with the companies one from a supergraph made by
 * @apollo/composition, and subscribing to us over graphql-ws as its docs configure it. No usage
 * reporting is configured (it reports only to a Hive registry given a token), so nothing leaves the
 * machine. The client subscribes at the gateway over SSE, which the gateway serves by itself.
 */
describe('a subscription through Hive Gateway', () => {
  const clock = new TestClock();
  const h = useHarness({
    simulator: { syncDurationMs: TestClock.SYNC_MS, now: clock.now },
    config: { live: liveConfig({ pollActiveMs: 100, pollIdleMs: 60_000 }) },
  });
  let companies: CompaniesSubgraph;
  let gateway: GatewayRuntime;
  let server: Server;
  let gatewayUrl = '';
  let companyId = '';

  beforeAll(async () => {
    companyId = h.simulator.addCompany({ state: 'succeeded' });
    companies = await startCompaniesSubgraph([{ id: companyId, name: 'Gateway Goods' }]);
    const { supergraphSdl } = composeSupergraph([
      { name: 'companies', url: companies.url, sdl: COMPANIES_SUBGRAPH_SDL },
      { name: 'commerce', url: h.graphqlUrl, sdl: await fetchSubgraphSdl(h.graphqlUrl) },
    ]);
    gateway = createGatewayRuntime({
      supergraph: supergraphSdl,
      logging: false,
      landingPage: false,
      graphiql: false,
      transportEntries: {
        commerce: { options: { subscriptions: { kind: 'ws', location: h.graphqlUrl.replace(/^http/, 'ws') } } },
      },
    });
    server = createServer(gateway);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await gateway?.dispose();
    await new Promise((resolve) => server?.close(resolve));
    await companies?.stop();
  });

  it('follows a sync requested through the gateway to SUCCEEDED, the gateway subscribed to us over graphql-ws', async () => {
    const abort = new AbortController();
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({
        query: `subscription ($companyId: ID!) { commerceSyncStatusChanged(companyId: $companyId) { companyId state commerceSyncId } }`,
        variables: { companyId },
      }),
      signal: abort.signal,
    });
    expect(response.status).toBe(200);
    const stream = readEvents(response);
    const states = (): string[] =>
      stream.events
        .filter((e) => e.event === 'next')
        .map(
          (e) =>
            (JSON.parse(e.data) as { data?: { commerceSyncStatusChanged?: { state: string } } }).data?.commerceSyncStatusChanged?.state ??
            e.data,
        );
    await waitFor(() => states().length === 1, 'the current status through the gateway');
    expect(states()).toEqual(['SUCCEEDED']);
    // The gateway holds one subscription to us, over graphql-ws.
    expect(h.app.live.active()).toBe(1);
    expect(sampleValue(await h.observability.metrics.registry.metrics(), 'graphql_subscriptions_active', { transport: 'graphql-ws' })).toBe(
      1,
    );

    const mutation = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `mutation { requestSync(companyId: "${companyId}") { commerceSyncId } }` }),
    });
    expect(((await mutation.json()) as { data?: unknown }).data).toBeTruthy();
    await waitFor(() => states().length === 2, 'the sync in progress through the gateway');
    clock.finishSyncs();
    await waitFor(() => states().length === 3, 'the sync finished through the gateway');
    expect(states()).toEqual(['SUCCEEDED', 'IN_PROGRESS', 'SUCCEEDED']);

    abort.abort();
    await waitFor(() => h.app.live.active() === 0 && h.app.live.pollers.size() === 0, 'the gateway to leave');
  });
});
