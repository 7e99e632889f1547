import { READ_SCOPE } from '../../src/auth/caller';
import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { jwtAuth, startTestIssuer, type TestIssuer } from '../support/auth';
import { useHarness } from '../support/harness';
import { liveClient, readEvents, STATUS_CHANGED, subscribe, type StatusChangedData as Changed } from '../support/live-client';
import { waitFor } from '../support/wait';

// Subscriptions with caller authentication on (AUTH_MODE=jwt against a key set served by the test): a
// WebSocket authenticates once, from `connection_init`, through the same authenticator as HTTP requests;
// SSE is an HTTP request and authenticates like one. Either way a subscribe is checked against the
// caller's scopes and companies before any poller starts or anything reaches Codat.

const { succeeded: ALLOWED, failed: OTHER } = SEEDED_COMPANY_IDS;

describe('subscriptions with AUTH_MODE=jwt', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(() => issuer.close());
  const h = useHarness(() => ({ config: { auth: jwtAuth({ jwksUrl: issuer.jwksUrl }) } }));

  const reader = (): Promise<string> => issuer.sign({ scope: READ_SCOPE, codat_company_ids: [ALLOWED] });

  it('follows an allowed company over a WebSocket that sent its token in connection_init', async () => {
    const client = liveClient(h.baseUrl, { connectionParams: async () => ({ Authorization: `Bearer ${await reader()}` }) });
    try {
      const followed = subscribe<Changed>(client, STATUS_CHANGED, { companyId: ALLOWED });
      await waitFor(() => followed.events.length > 0, 'the first event');
      expect(followed.events[0]?.data?.commerceSyncStatusChanged.state).toBe('SUCCEEDED');
      followed.unsubscribe();
    } finally {
      await client.dispose();
    }
  });

  it('takes a bare `token` in connection_init too', async () => {
    const client = liveClient(h.baseUrl, { connectionParams: async () => ({ token: await reader() }) });
    try {
      const followed = subscribe<Changed>(client, STATUS_CHANGED, { companyId: ALLOWED });
      await waitFor(() => followed.events.length > 0, 'the first event');
      expect(followed.events[0]?.errors).toBeUndefined();
      followed.unsubscribe();
    } finally {
      await client.dispose();
    }
  });

  it('closes a WebSocket without a valid token (4403) before any call to Codat', async () => {
    for (const connectionParams of [{}, { Authorization: 'Bearer not-a-jwt' }]) {
      const closes: number[] = [];
      const client = liveClient(h.baseUrl, { connectionParams, on: { closed: (event) => closes.push((event as { code: number }).code) } });
      try {
        const refused = subscribe<Changed>(client, STATUS_CHANGED, { companyId: ALLOWED });
        await refused.ended;
        expect(refused.events).toHaveLength(0);
        expect(closes).toContain(4403);
      } finally {
        await client.dispose();
      }
    }
    expect(h.simulator.requests()).toHaveLength(0);
  });

  it('refuses a company outside the token with FORBIDDEN, starting no poller and calling nothing', async () => {
    const client = liveClient(h.baseUrl, { connectionParams: async () => ({ Authorization: `Bearer ${await reader()}` }) });
    try {
      const refused = subscribe<Changed>(client, STATUS_CHANGED, { companyId: OTHER });
      await refused.ended;
      // Like any refused subscribe, one result carrying the error, then complete (no protocol error).
      expect(refused.events.map((e) => e.errors?.map((x) => x.extensions?.code))).toEqual([['FORBIDDEN']]);
      expect(refused.events[0]?.data ?? null).toBeNull();
      expect(refused.completed).toBe(true);
      expect(h.simulator.requests().filter((r) => r.companyId === OTHER)).toHaveLength(0);
      expect(h.app.live.pollers.size()).toBe(0);
    } finally {
      await client.dispose();
    }
  });

  it('authenticates Server-Sent Events like any HTTP request', async () => {
    const body = JSON.stringify({ query: STATUS_CHANGED, variables: { companyId: ALLOWED } });
    const headers = { 'content-type': 'application/json', accept: 'text/event-stream' };
    const anonymous = await fetch(h.graphqlUrl, { method: 'POST', headers, body });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);

    const controller = new AbortController();
    const allowed = await fetch(h.graphqlUrl, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${await reader()}` },
      body,
      signal: controller.signal,
    });
    expect(allowed.status).toBe(200);
    const stream = readEvents(allowed);
    await waitFor(() => stream.events.some((e) => e.event === 'next'), 'the first SSE event');
    const first = JSON.parse(stream.events.find((e) => e.event === 'next')?.data ?? '{}') as { data?: Changed };
    expect(first.data?.commerceSyncStatusChanged.state).toBe('SUCCEEDED');
    controller.abort();
    await stream.done;
  });
});
