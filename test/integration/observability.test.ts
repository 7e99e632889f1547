import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

import { createApp } from '../../src/app';
import { createTracing } from '../../src/observability/tracing';
import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { startHarness, TEST_API_KEY, testConfig, useHarness, type Harness } from '../support/harness';
import { liveClient, subscribe, STATUS_CHANGED, type StatusChangedData } from '../support/live-client';
import { captureLogs, sampleValue } from '../support/observability';
import { waitFor } from '../support/wait';

const { succeeded, failed, inProgress } = SEEDED_COMPANY_IDS;
const UNKNOWN_COMPANY = '00000000-0000-4000-8000-000000000000';

const DASHBOARD = `query Dashboard($a: ID!, $b: ID!, $c: ID!) {
  a: commerceSyncStatus(companyId: $a) { state }
  b: commerceSyncStatus(companyId: $b) { state }
  c: commerceSyncStatus(companyId: $c) { state }
  again: commerceSyncStatus(companyId: $a) { state }
}`;

async function metricsText(h: Harness): Promise<string> {
  const res = await fetch(`${h.baseUrl}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
}

describe('operational endpoints', () => {
  const logs = captureLogs();
  const h = useHarness({
    // These tests count log lines and samples per upstream call; retries are tested in resilience.test.ts.
    config: { codatMaxRetries: 0, logLevel: 'info' },
    app: { logDestination: logs.destination },
  });

  it('/healthz says the process is alive', async () => {
    const res = await fetch(`${h.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(h.simulator.requests()).toHaveLength(0);
  });

  it('/readyz is ready once listening and reports whether the circuit to Codat is open', async () => {
    let res = await fetch(`${h.baseUrl}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', phase: 'ready', codat: { circuit: 'closed', circuitOpen: false } });

    // A real open circuit: one failing attempt opens it on a harness with a threshold of 1.
    const tripped = await startHarness({ config: { codatMaxRetries: 0, codatCircuitThreshold: 1, codatCircuitOpenMs: 60_000 } });
    try {
      tripped.simulator.setBehaviour('*', { kind: 'status', status: 503 });
      await tripped.executeRaw(`{ commerceSyncStatus(companyId: "${succeeded}") { state } }`);
      res = await fetch(`${tripped.baseUrl}/readyz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ready', codat: { circuit: 'open', circuitOpen: true } });
      expect(sampleValue(await metricsText(tripped), 'codat_circuit_state', { state: 'open' })).toBe(1);
    } finally {
      await tripped.close();
    }
  });

  it('/metrics counts a query that hit Codat: GraphQL request, upstream calls, loader batch', async () => {
    const before = await metricsText(h);
    const upstreamBefore = sampleValue(before, 'codat_requests_total', { operation: 'get-sync-status', status: '200' }) ?? 0;
    const batchesBefore = sampleValue(before, 'dataloader_batch_size_count', { loader: 'syncStatus' }) ?? 0;
    const batchKeysBefore = sampleValue(before, 'dataloader_batch_size_sum', { loader: 'syncStatus' }) ?? 0;
    const requestsBefore = sampleValue(before, 'graphql_requests_total', { operation: 'Dashboard', outcome: 'ok' }) ?? 0;

    const res = await h.executeRaw(DASHBOARD, { a: succeeded, b: failed, c: inProgress });
    expect(res.errors).toBeUndefined();

    const after = await metricsText(h);
    expect(sampleValue(after, 'codat_requests_total', { operation: 'get-sync-status', status: '200' })).toBe(upstreamBefore + 3);
    expect(
      sampleValue(after, 'codat_request_duration_seconds_count', { operation: 'get-sync-status', status: '200' }),
    ).toBeGreaterThanOrEqual(3);
    expect(sampleValue(after, 'graphql_requests_total', { operation: 'Dashboard', outcome: 'ok' })).toBe(requestsBefore + 1);
    expect(sampleValue(after, 'graphql_request_duration_seconds_count', { operation: 'Dashboard', outcome: 'ok' })).toBe(
      requestsBefore + 1,
    );
    // Four aliases over three companies: one batch of three keys.
    expect(sampleValue(after, 'dataloader_batch_size_count', { loader: 'syncStatus' })).toBe(batchesBefore + 1);
    expect(sampleValue(after, 'dataloader_batch_size_sum', { loader: 'syncStatus' })).toBe(batchKeysBefore + 3);
    expect(sampleValue(after, 'codat_circuit_state', { state: 'closed' })).toBe(1);
    // The process's default metrics are on the same registry.
    expect(after).toMatch(/^process_cpu_user_seconds_total /m);
    expect(after).toMatch(/^nodejs_eventloop_lag_seconds /m);
    // Bounded labels: no company id anywhere.
    for (const id of [succeeded, failed, inProgress]) expect(after).not.toContain(id);
  });

  it('labels failures by error code and upstream status, and bounds operation names', async () => {
    await h.executeRaw(`query Missing { commerceSyncStatus(companyId: "${UNKNOWN_COMPANY}") { state } }`);
    await h.executeRaw('{ commerceSyncStatus(companyId: "not-a-uuid") { state } }');
    await h.executeRaw('query Broken { commerceSyncStatus(companyId: ');
    await h.executeRaw('query NoSuchField { nope }');
    const text = await metricsText(h);
    expect(sampleValue(text, 'graphql_requests_total', { operation: 'Missing', outcome: 'NOT_FOUND' })).toBe(1);
    expect(sampleValue(text, 'codat_requests_total', { operation: 'get-sync-status', status: '404' })).toBe(1);
    expect(sampleValue(text, 'graphql_requests_total', { operation: 'anonymous', outcome: 'BAD_USER_INPUT' })).toBe(1);
    // Names of documents that never parsed or validated are not trusted as labels.
    expect(sampleValue(text, 'graphql_requests_total', { operation: 'invalid', outcome: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
    expect(sampleValue(text, 'graphql_requests_total', { operation: 'invalid', outcome: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(text).not.toContain('NoSuchField');
  });

  it('logs one line per GraphQL request and per upstream call, joined by the request id it echoes', async () => {
    h.simulator.setBehaviour(failed, { kind: 'status', status: 500 }, { operationId: 'get-sync-status', times: 1 });
    const res = await h.executeRaw(DASHBOARD, { a: succeeded, b: failed, c: inProgress }, { 'x-request-id': 'ticket-4711' });
    expect(res.headers.get('x-request-id')).toBe('ticket-4711');
    const mine = logs.lines().filter((l) => l.requestId === 'ticket-4711');

    const requestLines = mine.filter((l) => l.event === 'graphql.request');
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({
      level: 'warn',
      operationName: 'Dashboard',
      operationType: 'query',
      outcome: 'UPSTREAM_UNAVAILABLE',
      errorCodes: ['UPSTREAM_UNAVAILABLE'],
      service: 'codat-commerce-subgraph',
    });
    expect(typeof requestLines[0]?.durationMs).toBe('number');

    const calls = mine.filter((l) => l.event === 'codat.call');
    expect(calls).toHaveLength(3);
    const failedCall = calls.find((l) => l.status === 500);
    expect(failedCall).toMatchObject({ level: 'warn', operation: 'get-sync-status', method: 'GET', attempt: 1, outcome: 'http' });
    expect(failedCall?.correlationId).toMatch(/^[0-9a-f]{32}$/);
    // The same correlationId reaches the client, so a support ticket can name the failing call.
    const upstream = res.errors?.[0]?.extensions?.upstream as { correlationId?: string } | undefined;
    expect(upstream?.correlationId).toBe(failedCall?.correlationId);
    expect(calls.filter((l) => l.status === 200)).toHaveLength(2);
    // An upstream failure is expected and typed: it is not logged as an unexpected error.
    expect(mine.filter((l) => l.event === 'graphql.unexpected_error')).toEqual([]);
  });

  it('generates a request id when none is given and echoes it', async () => {
    const res = await h.executeRaw(`{ commerceSyncStatus(companyId: "${succeeded}") { state } }`);
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      logs
        .lines()
        .filter((l) => l.requestId === id)
        .map((l) => l.event),
    ).toEqual(['codat.call', 'graphql.request']);
  });

  it("logs a subscription's polls as no request's: the poller outlives the subscription that started it", async () => {
    const companyId = h.simulator.addCompany({ state: 'succeeded' });
    const ws = liveClient(h.baseUrl);
    try {
      const changes = subscribe<StatusChangedData>(ws, STATUS_CHANGED, { companyId });
      await waitFor(() => changes.events.length === 1, 'the current status');
      const polls = logs.lines().filter((l) => l.event === 'codat.call' && String(l.path).includes(companyId));
      expect(polls).toHaveLength(1);
      expect(polls[0]).toMatchObject({ operation: 'get-sync-status', outcome: 'ok' });
      expect(polls[0]?.requestId).toBeUndefined();
    } finally {
      await ws.dispose();
    }
  });
});

describe('/readyz before listening and while draining', () => {
  it('is not ready until Apollo has started', async () => {
    // Listening without listen(): Apollo has not started, so the app is still 'starting'.
    const app = await createApp(testConfig(), { upstream: { baseUrl: 'http://127.0.0.1:9', apiKey: TEST_API_KEY } });
    const { server } = app;
    await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.httpServer.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'not ready', phase: 'starting' });
    } finally {
      await new Promise((resolve) => server.httpServer.close(resolve));
      await app.client.close();
    }
  });

  it('turns not ready as soon as stop() begins', async () => {
    const h = await startHarness();
    expect(h.server.phase()).toBe('ready');
    const stopping = h.close();
    expect(h.server.phase()).toBe('draining');
    await stopping;
  });
});

describe('tracing', () => {
  it('records a span per GraphQL operation with a child span per upstream call', async () => {
    const exporter = new InMemorySpanExporter();
    const h = await startHarness({ app: { tracing: createTracing(new SimpleSpanProcessor(exporter)) } });
    try {
      h.simulator.setBehaviour(failed, { kind: 'status', status: 404 }, { operationId: 'get-sync-status', times: 1 });
      await h.executeRaw(DASHBOARD, { a: succeeded, b: failed, c: inProgress });
      const spans = exporter.getFinishedSpans();
      const operation = spans.find((s) => s.name === 'graphql query Dashboard');
      expect(operation).toBeDefined();
      expect(operation?.attributes).toMatchObject({ 'graphql.operation.name': 'Dashboard', 'graphql.outcome': 'NOT_FOUND' });
      const upstream = spans.filter((s) => s.name === 'codat get-sync-status');
      expect(upstream).toHaveLength(3);
      for (const span of upstream) {
        expect(span.parentSpanContext?.spanId).toBe(operation?.spanContext().spanId);
        expect(span.spanContext().traceId).toBe(operation?.spanContext().traceId);
        expect(span.attributes).toMatchObject({ 'codat.operation': 'get-sync-status', 'codat.attempt': 1 });
      }
      expect(upstream.map((s) => s.attributes['http.response.status_code']).sort()).toEqual([200, 200, 404]);
    } finally {
      await h.close();
    }
  });

  it('is off when no tracing is configured: no spans, nothing to flush', async () => {
    const h = await startHarness();
    try {
      expect(h.observability.tracing).toBeUndefined();
      const res = await h.executeRaw(`{ commerceSyncStatus(companyId: "${succeeded}") { state } }`);
      expect(res.errors).toBeUndefined();
    } finally {
      await h.close();
    }
  });
});
