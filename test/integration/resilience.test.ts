import { createServer } from 'node:net';
import { inspect } from 'node:util';

import { CommerceSyncStatusDocument, RequestSyncDocument } from '../__generated__/operations';
import type { CodatClientHooks } from '../../src/codat/codat.client';
import { UpstreamError } from '../../src/codat/codat.errors';
import { SEEDED_COMPANY_IDS, type SimulatorBehaviour } from '../../src/simulator';
import { startHarness, TEST_API_KEY, type GraphQLResponse, type Harness } from '../support/harness';

// The fault matrix: each way Codat can fail, driven through the real simulator, the real client and the
// real server. Each row checks the code the caller sees, how many times Codat was called, how far apart
// the calls were, and that the server still answers a normal query afterwards. Everything any row
// produced (responses, the service's pino log lines at trace level, Apollo's logger, console output, the
// client's hook events) is kept for the leak test at the end.

const KEY_BASE64 = Buffer.from(TEST_API_KEY, 'utf8').toString('base64');
const TARGET = SEEDED_COMPANY_IDS.succeeded;
const HEALTHY = SEEDED_COMPANY_IDS.failed;

// Small figures so the matrix runs in a couple of seconds: 2 retries (3 attempts), backoff from 40 ms
// (equal jitter: 20-40 ms, then 30-60 ms), 150 ms per attempt. A Retry-After of 1 s fits under maxDelayMs.
const BACKOFF = { baseDelayMs: 40, factor: 1.5, maxDelayMs: 1_500 };
const MIN_GAPS = [20, 30];
const TIMING_SLACK_MS = 5;

const captured: string[] = [];
const capture =
  (source: string) =>
  (...args: unknown[]): void => {
    captured.push(`${source}: ${args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 5 }))).join(' ')}`);
  };
const hooks: CodatClientHooks = {
  onAttempt: (event) => captured.push(`attempt: ${JSON.stringify(event)}`),
  onRetry: (event) => captured.push(`retry: ${JSON.stringify(event)}`),
  onCircuitStateChange: (state) => captured.push(`circuit: ${state}`),
};

interface Row {
  name: string;
  behaviour: SimulatorBehaviour;
  /** Only the first N requests misbehave; unset: all of them. */
  times?: number;
  /** The error code, or null when the retries recovered and data came back. */
  code: string | null;
  attempts: number;
  /** Lower bounds for the gaps between consecutive attempts. */
  minGapsMs?: number[];
  extensions?: Record<string, unknown>;
}

const ROWS: Row[] = [
  { name: '404', behaviour: { kind: 'status', status: 404 }, code: 'NOT_FOUND', attempts: 1 },
  { name: '401', behaviour: { kind: 'status', status: 401 }, code: 'UPSTREAM_AUTH_FAILED', attempts: 1 },
  { name: '403', behaviour: { kind: 'status', status: 403 }, code: 'UPSTREAM_AUTH_FAILED', attempts: 1 },
  { name: '402', behaviour: { kind: 'status', status: 402 }, code: 'UPSTREAM_ACCOUNT_LIMIT', attempts: 1 },
  {
    name: '400',
    behaviour: { kind: 'status', status: 400, error: 'Invalid company id' },
    code: 'UPSTREAM_REJECTED',
    attempts: 1,
    extensions: { codatMessage: 'Invalid company id', upstream: expect.objectContaining({ status: 400 }) },
  },
  {
    name: '409',
    behaviour: { kind: 'status', status: 409 },
    code: 'UPSTREAM_REJECTED',
    attempts: 1,
    extensions: { codatMessage: expect.any(String) },
  },
  {
    name: '429 (Retry-After: 1) then OK',
    behaviour: { kind: 'status', status: 429, retryAfter: '1' },
    times: 1,
    code: null,
    attempts: 2,
    minGapsMs: [1_000],
  },
  {
    name: '429 always (Retry-After: 0)',
    behaviour: { kind: 'status', status: 429, retryAfter: '0' },
    code: 'RATE_LIMITED',
    attempts: 3,
    minGapsMs: MIN_GAPS,
    extensions: { retryAfterSeconds: 0 },
  },
  {
    name: '429 always (Retry-After: 3600)',
    behaviour: { kind: 'status', status: 429, retryAfter: '3600' },
    code: 'RATE_LIMITED',
    attempts: 1,
    extensions: { retryAfterSeconds: 3600 },
  },
  { name: '500 then OK', behaviour: { kind: 'status', status: 500 }, times: 1, code: null, attempts: 2, minGapsMs: [20] },
  { name: '500 always', behaviour: { kind: 'status', status: 500 }, code: 'UPSTREAM_UNAVAILABLE', attempts: 3, minGapsMs: MIN_GAPS },
  { name: '503 always', behaviour: { kind: 'status', status: 503 }, code: 'UPSTREAM_UNAVAILABLE', attempts: 3, minGapsMs: MIN_GAPS },
  { name: 'slow (400 ms) then OK', behaviour: { kind: 'slow', delayMs: 400 }, times: 1, code: null, attempts: 2, minGapsMs: [20] },
  { name: 'hang', behaviour: { kind: 'hang' }, code: 'UPSTREAM_TIMEOUT', attempts: 3, minGapsMs: MIN_GAPS },
  { name: 'reset', behaviour: { kind: 'reset' }, code: 'UPSTREAM_UNAVAILABLE', attempts: 3, minGapsMs: MIN_GAPS },
  { name: 'non-JSON 200', behaviour: { kind: 'non-json' }, code: 'UPSTREAM_BAD_RESPONSE', attempts: 1 },
  { name: 'wrong-shaped JSON 200', behaviour: { kind: 'wrong-shape' }, code: 'UPSTREAM_BAD_RESPONSE', attempts: 1 },
];

/** What each row saw, printed at the end when RESILIENCE_REPORT=1 (for the issue note). */
const observed: string[] = [];

let h: Harness;
const consoleMethods = ['log', 'info', 'warn', 'error', 'debug'] as const;

beforeAll(async () => {
  for (const method of consoleMethods) jest.spyOn(console, method).mockImplementation(capture(`console.${method}`));
  h = await startHarness({
    // The service's own JSON log lines, at the most verbose level.
    config: { codatTimeoutMs: 150, codatMaxRetries: 2, codatBackoff: BACKOFF, codatDeadlineMs: 5_000, logLevel: 'trace' },
    app: {
      codatHooks: hooks,
      logDestination: { write: (line: string) => void captured.push(`log: ${line}`) },
      apolloLogger: {
        debug: capture('apollo.debug'),
        info: capture('apollo.info'),
        warn: capture('apollo.warn'),
        error: capture('apollo.error'),
      },
    },
  });
});
afterAll(async () => {
  await h.close();
  jest.restoreAllMocks();
  if (process.env.RESILIENCE_REPORT === '1') process.stdout.write(`\n${observed.join('\n')}\n`);
});
beforeEach(() => {
  h.simulator.clearBehaviours();
  h.simulator.clearLog();
});

function keep<T>(res: GraphQLResponse<T>): GraphQLResponse<T> {
  captured.push(`response: ${JSON.stringify({ status: res.status, data: res.data, errors: res.errors })}`);
  return res;
}

describe('fault matrix: GET commerceSyncStatus', () => {
  it.each(ROWS.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    h.simulator.setBehaviour(TARGET, row.behaviour, row.times ? { times: row.times } : {});
    const res = keep(await h.execute(CommerceSyncStatusDocument, { companyId: TARGET }));

    const calls = h.simulator.requests().filter((r) => r.companyId === TARGET);
    const gaps = calls.slice(1).map((call, i) => Math.round(call.startedAt - (calls[i]?.finishedAt ?? call.startedAt)));
    const error = res.errors?.[0];
    observed.push(`| ${row.name} | ${error?.extensions?.code ?? 'data'} | ${calls.length} | ${gaps.join(', ') || '-'} |`);

    expect(calls.every((c) => c.method === 'GET')).toBe(true);
    expect(calls).toHaveLength(row.attempts);
    if (row.code === null) {
      expect(res.errors).toBeUndefined();
      expect(res.data?.commerceSyncStatus?.state).toBe('SUCCEEDED');
    } else {
      expect(res.data?.commerceSyncStatus).toBeNull();
      expect(error?.extensions?.code).toBe(row.code);
      expect(error?.extensions?.upstream).toMatchObject({ operation: 'get-sync-status', attempts: row.attempts });
      if (row.behaviour.kind === 'status') {
        expect(error?.extensions?.upstream).toMatchObject({
          status: row.behaviour.status,
          correlationId: expect.stringMatching(/^[0-9a-f]{32}$/),
        });
      }
      if (row.extensions) expect(error?.extensions).toMatchObject(row.extensions);
    }
    (row.minGapsMs ?? []).forEach((min, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(min - TIMING_SLACK_MS);
      expect(gaps[i]).toBeLessThan(min + 3_000);
    });

    // The server and the client are still fine: a normal query for another company answers.
    h.simulator.clearBehaviours();
    const after = keep(await h.execute(CommerceSyncStatusDocument, { companyId: HEALTHY }));
    expect(after.errors).toBeUndefined();
    expect(after.data?.commerceSyncStatus?.state).toBe('FAILED');
  });
});

describe('fault matrix: POSTs are sent once', () => {
  it.each([
    ['500', { kind: 'status', status: 500 }, 'UPSTREAM_UNAVAILABLE'],
    ['503', { kind: 'status', status: 503 }, 'UPSTREAM_UNAVAILABLE'],
    ['429', { kind: 'status', status: 429, retryAfter: '0' }, 'RATE_LIMITED'],
    ['a timeout', { kind: 'hang' }, 'UPSTREAM_TIMEOUT'],
    ['a reset', { kind: 'reset' }, 'UPSTREAM_UNAVAILABLE'],
  ] as const)('requestSync under %s: exactly one POST', async (name, behaviour, code) => {
    const companyId = h.simulator.addCompany({ state: 'succeeded' });
    h.simulator.setBehaviour(companyId, behaviour, { operationId: 'request-sync' });
    const res = keep(await h.execute(RequestSyncDocument, { companyId }));
    const posts = h.simulator.requests().filter((r) => r.method === 'POST');
    observed.push(`| requestSync, ${name} | ${res.errors?.[0]?.extensions?.code ?? 'data'} | ${posts.length} POST | - |`);
    expect(res.data?.requestSync).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe(code);
    expect(posts).toHaveLength(1);
    // Give a wrongly scheduled retry time to show up before concluding there is none.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(h.simulator.requests().filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('requestSyncRange under a 500: exactly one POST', async () => {
    const companyId = h.simulator.addCompany({ state: 'never' });
    h.simulator.setBehaviour(companyId, { kind: 'status', status: 500 });
    const res = keep(
      await h.executeRaw(
        `mutation { requestSyncRange(companyId: "${companyId}", start: "2024-01-01T00:00:00Z", end: "2024-02-01T00:00:00Z") { state } }`,
      ),
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(h.simulator.requests().filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});

/** A loopback port with nothing listening on it: connecting is refused before any byte is sent. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('a refused connection', () => {
  it('is retried even for a POST, because nothing was sent, and ends as UPSTREAM_UNAVAILABLE', async () => {
    const attempts: string[] = [];
    const dead = await startHarness({
      config: { codatMaxRetries: 2, codatBackoff: { baseDelayMs: 5, factor: 1.5, maxDelayMs: 20 } },
      app: {
        upstream: { baseUrl: `http://127.0.0.1:${await closedPort()}`, apiKey: TEST_API_KEY },
        codatHooks: { onAttempt: (e) => attempts.push(`${e.method} ${e.outcome}`) },
      },
    });
    try {
      const res = keep(await dead.execute(RequestSyncDocument, { companyId: TARGET }));
      observed.push(
        `| requestSync, connection refused | ${res.errors?.[0]?.extensions?.code ?? 'data'} | ${attempts.length} attempts | - |`,
      );
      expect(res.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(attempts).toEqual(['POST network', 'POST network', 'POST network']);
    } finally {
      await dead.close();
    }
  });
});

describe('the operation deadline', () => {
  it('bounds a call and its retries: a hanging Codat answers UPSTREAM_TIMEOUT by the deadline', async () => {
    const tight = await startHarness({ config: { codatTimeoutMs: 2_000, codatMaxRetries: 3, codatDeadlineMs: 300 } });
    try {
      tight.simulator.setBehaviour(TARGET, { kind: 'hang' });
      const started = performance.now();
      const res = keep(await tight.execute(CommerceSyncStatusDocument, { companyId: TARGET }));
      const took = performance.now() - started;
      observed.push(
        `| hang, 2 s timeout, 300 ms deadline | ${res.errors?.[0]?.extensions?.code ?? 'data'} | ${tight.simulator.requests().length} | answered in ${Math.round(took)} ms |`,
      );
      expect(res.errors?.[0]?.extensions?.code).toBe('UPSTREAM_TIMEOUT');
      expect(tight.simulator.requests()).toHaveLength(1);
      expect(took).toBeGreaterThanOrEqual(290);
      expect(took).toBeLessThan(1_900); // well under the 2 s per-attempt timeout
    } finally {
      await tight.close();
    }
  });
});

describe('the circuit breaker', () => {
  it('opens after repeated failures, fails fast without calling Codat, then closes after a good probe', async () => {
    const states: string[] = [];
    const refused: string[] = [];
    const c = await startHarness({
      config: {
        codatMaxRetries: 2,
        codatBackoff: { baseDelayMs: 5, factor: 1.5, maxDelayMs: 20 },
        codatCircuitThreshold: 3,
        codatCircuitOpenMs: 300,
      },
      app: {
        codatHooks: {
          onCircuitStateChange: (state) => states.push(state),
          onAttempt: (e) => e.outcome === 'circuit-open' && refused.push(`${e.operation} ${e.outcome}`),
        },
      },
    });
    try {
      c.simulator.setBehaviour('*', { kind: 'status', status: 503 });
      const failing = keep(await c.execute(CommerceSyncStatusDocument, { companyId: TARGET }));
      expect(failing.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(c.simulator.requests()).toHaveLength(3);
      expect(c.codat.circuitState()).toBe('open');

      c.simulator.clearLog();
      const fast = keep(await c.execute(CommerceSyncStatusDocument, { companyId: HEALTHY }));
      expect(fast.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: { attempts: 0, status: null } });
      expect(fast.errors?.[0]?.message).toContain('paused');
      expect(c.simulator.requests()).toHaveLength(0);
      expect(refused).toEqual(['get-sync-status circuit-open']);

      // Codat recovers; after the cool-down one probe goes through and closes the circuit.
      c.simulator.clearBehaviours();
      await new Promise((resolve) => setTimeout(resolve, 350));
      const probe = keep(await c.execute(CommerceSyncStatusDocument, { companyId: HEALTHY }));
      expect(probe.errors).toBeUndefined();
      expect(c.simulator.requests()).toHaveLength(1);
      expect(c.codat.circuitState()).toBe('closed');
      expect(states).toEqual(['open', 'half-open', 'closed']);
    } finally {
      await c.close();
    }
  });

  it('reopens when the probe fails', async () => {
    const c = await startHarness({ config: { codatMaxRetries: 0, codatCircuitThreshold: 2, codatCircuitOpenMs: 100 } });
    try {
      c.simulator.setBehaviour('*', { kind: 'status', status: 500 });
      await c.execute(CommerceSyncStatusDocument, { companyId: TARGET });
      await c.execute(CommerceSyncStatusDocument, { companyId: TARGET });
      expect(c.codat.circuitState()).toBe('open');
      await new Promise((resolve) => setTimeout(resolve, 150));
      c.simulator.clearLog();
      const probe = keep(await c.execute(CommerceSyncStatusDocument, { companyId: TARGET }));
      expect(probe.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(c.simulator.requests()).toHaveLength(1);
      expect(c.codat.circuitState()).toBe('open');
    } finally {
      await c.close();
    }
  });

  it('is not opened by answers that show Codat is up (404, 400, 429)', async () => {
    const c = await startHarness({ config: { codatMaxRetries: 0, codatCircuitThreshold: 2, codatCircuitOpenMs: 10_000 } });
    try {
      for (const status of [404, 400, 429, 404, 400, 429] as const) {
        c.simulator.setBehaviour(TARGET, { kind: 'status', status }, { times: 1 });
        await c.execute(CommerceSyncStatusDocument, { companyId: TARGET });
      }
      expect(c.codat.circuitState()).toBe('closed');
      expect((await c.execute(CommerceSyncStatusDocument, { companyId: TARGET })).errors).toBeUndefined();
    } finally {
      await c.close();
    }
  });
});

describe('no leaks', () => {
  it('the errors thrown by the client carry no key, no Authorization header and no axios config', async () => {
    const rows: SimulatorBehaviour[] = [
      { kind: 'status', status: 401 },
      { kind: 'status', status: 500 },
      { kind: 'hang' },
      { kind: 'reset' },
      { kind: 'non-json' },
    ];
    for (const behaviour of rows) {
      h.simulator.setBehaviour(TARGET, behaviour);
      const error = await h.codat.getSyncStatus(TARGET).catch((e: unknown) => e);
      h.simulator.clearBehaviours();
      expect(error).toBeInstanceOf(UpstreamError);
      const json = JSON.stringify(error);
      expect(json).not.toMatch(/stack|\n\s+at /);
      captured.push(`thrown: ${json}`, `thrown (inspected): ${inspect(error, { depth: 10, showHidden: true })}`);
      expect(Object.keys(error as object)).not.toContain('config');
      expect(Object.keys(error as object)).not.toContain('cause');
    }
  });

  it('nothing the fault matrix produced contains the key, its base64, an Authorization header or a stack trace', () => {
    expect(captured.length).toBeGreaterThan(ROWS.length * 2);
    expect(captured.filter((line) => line.startsWith('log: ')).length).toBeGreaterThan(ROWS.length * 2);
    const everything = captured.join('\n');
    const count = (prefix: string): number => captured.filter((line) => line.startsWith(prefix)).length;
    observed.push(
      `leak scan: ${captured.length} items (${count('response')} responses, ${count('log')} log lines, ${count('attempt')} attempt and ${count('retry')} retry events, ${count('apollo')} Apollo and ${count('console')} console lines, ${count('thrown')} thrown errors)`,
    );
    expect(everything).not.toContain(TEST_API_KEY);
    expect(everything).not.toContain(KEY_BASE64);
    expect(everything).not.toMatch(/authorization/i);
    const withoutInspected = captured.filter((line) => !line.startsWith('thrown (inspected)')).join('\n');
    expect(withoutInspected).not.toMatch(/stacktrace|\n\s+at |\bat .+\.(ts|js):\d+/);
  });
});
