import { createServer } from 'node:http';
import { connect } from 'node:net';

import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { createHttpEdge, type HttpEdge } from '../../src/http/http-edge';
import { atPaths, underPath, type HttpRoute, type UpgradeRoute } from '../../src/http/http-route';
import { sendJson } from '../../src/http/json-response';
import { createObservability } from '../../src/observability/observability';
import { useHarness } from '../support/harness';
import { captureLogs } from '../support/observability';

describe('the HTTP edge serving the subgraph', () => {
  const h = useHarness();

  it('serves /graphql/ like /graphql, for clients that join a base URL and a path with a slash', async () => {
    const res = await fetch(`${h.graphqlUrl}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ commerceSyncStatus(companyId: "${SEEDED_COMPANY_IDS.succeeded}") { state } }` }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { commerceSyncStatus: { state: 'SUCCEEDED' } } });
  });

  it('says a malformed JSON body is not valid JSON, with the position but no excerpt of the body', async () => {
    for (const body of ['{foo', '{"query": "{ __typename }"', 'secret-123', 'secret-token-0123456789abcdef']) {
      const res = await fetch(h.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status).toBe(400);
      const answer = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(answer.errors).toHaveLength(1);
      expect(answer.errors[0]?.extensions).toEqual({ code: 'BAD_REQUEST' });
      expect(answer.errors[0]?.message).toMatch(/^The request body is not valid JSON: /);
      expect(answer.errors[0]?.message).not.toContain('secret');
    }
    const res = await fetch(h.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{foo' });
    expect(((await res.json()) as { errors: { message: string }[] }).errors[0]?.message).toContain('in JSON at position 1');
    expect(h.simulator.requests()).toHaveLength(0);
  });

  it('keeps its own routes exact: /healthz/ is /healthz, /graphqlx is not GraphQL', async () => {
    expect((await fetch(`${h.baseUrl}/healthz/`)).status).toBe(200);
    const res = await fetch(`${h.baseUrl}/graphqlx`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'Not found. GraphQL is served at /graphql.' });
  });
});

/** A caller that the test's resolver makes from an `x-test-user` header; no header means 401. */
interface TestCaller {
  user: string;
}

describe('the edge as a host for routes, a caller resolver and upgrades', () => {
  let edge: HttpEdge;
  let base: string;
  const resolved: string[] = [];
  const logs = captureLogs();

  beforeAll(async () => {
    const observability = createObservability({ logLevel: 'info', logDestination: logs.destination });
    const routes: HttpRoute<TestCaller>[] = [
      {
        name: 'whoami',
        matches: atPaths('/whoami'),
        async handle({ response, caller, requestId }) {
          sendJson(response, { status: 200, body: { caller, requestId } });
        },
      },
      {
        name: 'static',
        open: true,
        matches: underPath('/explorer'),
        async handle({ response, path }) {
          sendJson(response, { status: 200, body: { file: path } });
        },
      },
      { name: 'shadowed', open: true, matches: atPaths('/explorer/app.js'), handle: () => Promise.reject(new Error('never reached')) },
      {
        name: 'broken',
        open: true,
        matches: atPaths('/broken'),
        handle: () => Promise.reject(new TypeError('x is undefined')),
      },
    ];
    const upgrades: UpgradeRoute<TestCaller>[] = [
      {
        name: 'echo',
        matches: atPaths('/socket'),
        async handle({ socket, caller }) {
          socket.end(`HTTP/1.1 101 Switching Protocols\r\nupgrade: test\r\nconnection: upgrade\r\nx-caller: ${caller?.user}\r\n\r\n`);
        },
      },
    ];
    edge = createHttpEdge<TestCaller>({
      server: createServer(),
      logger: observability.logger,
      health: observability,
      routes,
      upgrades,
      async resolveCaller({ request, path }) {
        resolved.push(path);
        const user = request.headers['x-test-user'];
        if (typeof user === 'string') return { caller: { user } };
        return {
          refuse: {
            status: 401,
            headers: { 'www-authenticate': 'Bearer' },
            body: { errors: [{ message: 'No credential', extensions: { code: 'UNAUTHENTICATED' } }] },
          },
        };
      },
      notFoundMessage: 'Not found here.',
      lifecycle: {
        start: async () => {},
        stop: () => new Promise<void>((resolve) => edge.server.close(() => resolve())),
      },
    });
    base = await edge.listen(0, '127.0.0.1');
  });
  afterAll(() => edge.stop());
  beforeEach(() => {
    resolved.length = 0;
  });

  it('resolves the caller once, before the route, and hands it to the route', async () => {
    const res = await fetch(`${base}/whoami`, { headers: { 'x-test-user': 'ada', 'x-request-id': 'r-1' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ caller: { user: 'ada' }, requestId: 'r-1' });
    expect(res.headers.get('x-request-id')).toBe('r-1');
    expect(resolved).toEqual(['/whoami']);
  });

  it('sends the resolver’s refusal instead of running the route', async () => {
    const res = await fetch(`${base}/whoami`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toEqual({ errors: [{ message: 'No credential', extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('serves health and open routes without a caller, first match wins', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${base}/readyz`)).json()).toMatchObject({ status: 'ready', phase: 'ready' });
    expect(await (await fetch(`${base}/explorer/app.js`)).json()).toEqual({ file: '/explorer/app.js' });
    expect(await (await fetch(`${base}/explorer/`)).json()).toEqual({ file: '/explorer' });
    expect(resolved).toEqual([]);
  });

  it('answers an unknown path with a JSON 404, and a failing route with a bare 500 and a log line', async () => {
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'Not found here.' });

    const broken = await fetch(`${base}/broken`, { headers: { 'x-request-id': 'r-broken' } });
    expect(broken.status).toBe(500);
    const text = await broken.text();
    expect(JSON.parse(text)).toEqual({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    expect(text).not.toMatch(/x is undefined|\n\s+at /);
    expect(logs.lines().find((l) => l.requestId === 'r-broken')).toMatchObject({
      level: 'error',
      event: 'http.route_failed',
      errorName: 'TypeError',
      errorMessage: 'x is undefined',
    });
  });

  it('hands an upgrade to its route with the resolved caller, and refuses unknown or unauthenticated ones', async () => {
    const upgrade = (path: string, headers: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = connect(Number(new URL(base).port), '127.0.0.1');
        let received = '';
        socket.on('data', (chunk) => (received += chunk.toString('utf8')));
        socket.on('end', () => resolve(received));
        socket.on('error', reject);
        socket.write(`GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: upgrade\r\nupgrade: test\r\n${headers}\r\n`);
      });
    expect(await upgrade('/socket', 'x-test-user: grace\r\n')).toMatch(/^HTTP\/1\.1 101 [^]*x-caller: grace/);
    const refused = await upgrade('/socket', '');
    expect(refused).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
    expect(refused).toMatch(/www-authenticate: Bearer/);
    expect(refused).toMatch(/x-request-id: [0-9a-f-]{36}/);
    const unknown = await upgrade('/elsewhere', 'x-test-user: grace\r\n');
    expect(unknown).toMatch(/^HTTP\/1\.1 404 Not Found\r\n[^]*\{"error":"Not found here\."\}$/);
  });

  it('turns not ready as soon as stop() begins', async () => {
    // Last: stops the edge for the afterAll above (stop() is safe to run twice here).
    const stopping = edge.stop();
    expect(edge.phase()).toBe('draining');
    await stopping;
  });
});
