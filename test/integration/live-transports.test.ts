import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { useHarness, type Harness } from '../support/harness';
import { liveConfig, STATUS_CHANGED, SYNC_PROGRESS } from '../support/live-client';
import { sampleValue } from '../support/observability';
import { waitFor } from '../support/wait';

const requestSync = (companyId: string): string => `mutation { requestSync(companyId: "${companyId}") { commerceSyncId } }`;

async function newSync(h: Harness, companyId: string): Promise<string> {
  const res = await h.executeRaw<{ requestSync: { commerceSyncId: string } }>(requestSync(companyId));
  const id = res.data?.requestSync.commerceSyncId;
  if (!id) throw new Error(`requestSync failed: ${JSON.stringify(res.errors)}`);
  return id;
}

/** What a router's callback endpoint received: the callback protocol's messages, in order. */
interface CallbackMessage {
  kind: string;
  action: 'check' | 'next' | 'complete';
  id: string;
  verifier: string;
  payload?: { data?: Record<string, { state: string; commerceSyncId: string | null }> | null; errors?: { extensions?: { code?: string } }[] };
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** The test playing Apollo Router's side of the HTTP callback protocol: a local server at its callback URL. */
class FakeRouter {
  readonly messages: CallbackMessage[] = [];
  /** Status answered to `check` (heartbeats included); 204 as the router does, 404 to end the subscription. */
  checkStatus = 204;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const message = JSON.parse(body) as CallbackMessage;
        this.messages.push(message);
        res.statusCode = message.action === 'check' ? this.checkStatus : 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/callback`;
  }

  of(id: string, action?: CallbackMessage['action']): CallbackMessage[] {
    return this.messages.filter((m) => m.id === id && (action === undefined || m.action === action));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The router's POST: the subscription with the callback extension (Apollo Router's subgraph request in callback mode). */
async function subscribeByCallback(h: Harness, router: FakeRouter, id: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(h.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      query,
      variables,
      extensions: { subscription: { callbackUrl: router.url, subscriptionId: id, verifier: `verifier-${id}`, heartbeatIntervalMs: 100 } },
    }),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } };
}

/** Apollo's callback plugin warns about refused subscribes; these tests refuse some on purpose. */
const silentApollo = { debug: () => {}, info: () => {}, warn: () => {}, error: console.error };

describe("Apollo Router's HTTP callback protocol (the test plays the router)", () => {
  const h = useHarness({
    simulator: { syncDurationMs: 600 },
    config: { live: liveConfig({ pollActiveMs: 100, pollIdleMs: 60_000 }) },
    app: { apolloLogger: silentApollo },
  });
  const router = new FakeRouter();
  beforeAll(() => router.start());
  afterAll(() => router.close());

  it('checks, answers { data: null }, sends next events and heartbeats, and completes when the sync is final', async () => {
    const companyId = h.simulator.addCompany({ state: 'succeeded' });
    const commerceSyncId = await newSync(h, companyId);
    const answer = await subscribeByCallback(h, router, 'progress-1', SYNC_PROGRESS, { companyId, commerceSyncId });
    expect(answer).toEqual({ status: 200, body: { data: null } });
    // The check went out before the answer, as the protocol requires.
    expect(router.of('progress-1')[0]).toMatchObject({ kind: 'subscription', action: 'check', verifier: 'verifier-progress-1' });

    await waitFor(() => router.of('progress-1', 'complete').length === 1, 'complete', 10_000);
    const nexts = router.of('progress-1', 'next').map((m) => m.payload?.data?.commerceSyncProgress);
    expect(nexts[0]).toMatchObject({ commerceSyncId, state: 'IN_PROGRESS' });
    expect(nexts.at(-1)).toMatchObject({ commerceSyncId, state: 'SUCCEEDED' });
    expect(router.of('progress-1', 'complete')[0]?.errors).toBeUndefined();
    expect(router.of('progress-1', 'check').length).toBeGreaterThanOrEqual(2);
    await waitFor(() => h.app.live.active() === 0 && h.app.live.pollers.size() === 0, 'the subscription to end');
  });

  it('stops when the router answers a heartbeat with 404, leaving no poller behind', async () => {
    const companyId = h.simulator.addCompany({ state: 'succeeded' });
    const answer = await subscribeByCallback(h, router, 'changes-1', STATUS_CHANGED, { companyId });
    expect(answer.status).toBe(200);
    await waitFor(() => router.of('changes-1', 'next').length === 1, 'the current status');
    const metrics = await h.observability.metrics.registry.metrics();
    expect(sampleValue(metrics, 'graphql_subscriptions_active', { transport: 'callback' })).toBe(1);
    expect(h.app.live.pollers.size()).toBe(1);
    router.checkStatus = 404;
    try {
      await waitFor(() => h.app.live.active() === 0 && h.app.live.pollers.size() === 0, 'the subscription to end on 404');
    } finally {
      router.checkStatus = 204;
    }
  });

  it('sends a refused subscribe (bad input) as complete with its typed errors, without calling Codat', async () => {
    const answer = await subscribeByCallback(h, router, 'bad-1', STATUS_CHANGED, { companyId: 'nope' });
    expect(answer.status).toBe(200);
    await waitFor(() => router.of('bad-1', 'complete').length === 1, 'complete');
    expect(router.of('bad-1', 'complete')[0]?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(h.simulator.requests()).toHaveLength(0);
  });

  it('refuses a subscription over plain HTTP (no callback extension) with BAD_REQUEST', async () => {
    const response = await h.executeRaw(STATUS_CHANGED, { companyId: '3f1c2a9e-7b4d-4e8a-9c1f-5a2b6d8e0f11' });
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(response.errors?.[0]?.message).toMatch(/WebSocket/);
    expect(h.simulator.requests()).toHaveLength(0);
  });
});

describe('callback limits', () => {
  const h = useHarness({ config: { maxQueryDepth: 2, live: liveConfig({ callbackUrlPrefixes: ['http://127.0.0.1:1/'] }) } });
  const router = new FakeRouter();
  beforeAll(() => router.start());
  afterAll(() => router.close());

  it('refuses a callback URL outside SUBSCRIPTION_CALLBACK_URLS, and a document over the depth limit, before any check or upstream call', async () => {
    const notAllowed = await subscribeByCallback(h, router, 'elsewhere', STATUS_CHANGED, { companyId: '3f1c2a9e-7b4d-4e8a-9c1f-5a2b6d8e0f11' });
    expect(notAllowed.status).toBe(400);
    expect(notAllowed.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    const deep = await subscribeByCallback(h, router, 'deep', 'subscription { commerceSyncStatusChanged(companyId: "3f1c2a9e-7b4d-4e8a-9c1f-5a2b6d8e0f11") { dataConnections { id } } }', {});
    expect(deep.status).toBe(400);
    expect(deep.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    // Nothing reached the router nor Codat, and nothing is left running.
    await new Promise((resolve) => setImmediate(resolve));
    expect(router.messages).toHaveLength(0);
    expect(h.simulator.requests()).toHaveLength(0);
    expect(h.app.live.active()).toBe(0);
  });
});

/** Reads a text/event-stream response into its events as they come. */
function readEvents(response: Response): { events: { event: string; data: string }[]; done: Promise<void> } {
  const events: { event: string; data: string }[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const done = (async () => {
    for (;;) {
      const { value, done: end } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (end) return;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        if (event) events.push({ event, data: /^data: (.*)$/m.exec(block)?.[1] ?? '' });
      }
    }
  })();
  return { events, done };
}

describe('Server-Sent Events (graphql-sse, distinct connections)', () => {
  const h = useHarness({ simulator: { syncDurationMs: 400 }, config: { live: liveConfig({ pollActiveMs: 100, pollIdleMs: 60_000 }) } });

  const open = (query: string, variables: Record<string, unknown>, signal?: AbortSignal) =>
    fetch(h.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query, variables }),
      signal,
    });

  it('streams commerceSyncProgress to its end: next events, then complete', async () => {
    const companyId = h.simulator.addCompany({ state: 'succeeded' });
    const commerceSyncId = await newSync(h, companyId);
    const response = await open(SYNC_PROGRESS, { companyId, commerceSyncId });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const stream = readEvents(response);
    await stream.done;
    const states = stream.events.filter((e) => e.event === 'next').map((e) => (JSON.parse(e.data) as { data: { commerceSyncProgress: { state: string } } }).data.commerceSyncProgress.state);
    expect(states[0]).toBe('IN_PROGRESS');
    expect(states.at(-1)).toBe('SUCCEEDED');
    expect(stream.events.at(-1)?.event).toBe('complete');
  });

  it('ends the subscription (and the poller) when the client goes away, and refuses queries', async () => {
    const companyId = h.simulator.addCompany({ state: 'succeeded' });
    const abort = new AbortController();
    const stream = readEvents(await open(STATUS_CHANGED, { companyId }, abort.signal));
    await waitFor(() => stream.events.length === 1, 'the current status');
    expect(JSON.parse(stream.events[0]?.data ?? '{}')).toMatchObject({ data: { commerceSyncStatusChanged: { companyId, state: 'SUCCEEDED' } } });
    expect(sampleValue(await h.observability.metrics.registry.metrics(), 'graphql_subscriptions_active', { transport: 'sse' })).toBe(1);
    abort.abort();
    await waitFor(() => h.app.live.active() === 0 && h.app.live.pollers.size() === 0, 'the subscription to end');

    const query = readEvents(await open(`{ commerceSyncStatus(companyId: "${companyId}") { state } }`, {}));
    await query.done;
    expect(JSON.parse(query.events[0]?.data ?? '{}')).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
  });
});
