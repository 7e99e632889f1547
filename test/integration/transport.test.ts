import { createCodatClient } from '../../src/app';
import type { CodatClient } from '../../src/codat/codat.client';
import type { CodatAttemptEvent } from '../../src/codat/codat.events';
import { UpstreamError } from '../../src/codat/codat.errors';
import { CODAT_TRANSPORTS, type CodatTransport } from '../../src/codat/codat.transport';
import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { startSimulator, TEST_API_KEY, testConfig, useSimulator } from '../support/harness';
import { waitFor } from '../support/wait';

const id = SEEDED_COMPANY_IDS.succeeded;
/** Each case sees one exchange: no retries, and no breaker opened by the previous cases (testConfig's threshold). */
const ONE_TRY = { codatMaxRetries: 0 };
/**
 * Long enough for a normal answer on a busy machine (a first exchange opens a connection), short enough
 * that the hanging cases end quickly: only they wait it out.
 */
const ATTEMPT_MS = 750;

async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  throw new Error('expected an UpstreamError');
}

describe.each(CODAT_TRANSPORTS)('the %s transport keeps the client semantics', (transport: CodatTransport) => {
  const simulator = useSimulator();
  let client: CodatClient;

  beforeAll(async () => {
    client = createCodatClient(testConfig({ codatTimeoutMs: ATTEMPT_MS, codatMaxConcurrency: 4, codatTransport: transport, ...ONE_TRY }), {
      baseUrl: simulator.url,
      apiKey: TEST_API_KEY,
    });
    // A transport's first exchange (connection set-up, code warming up) is the slowest on a busy
    // machine: made here, so that no case below mistakes it for the behaviour it sets.
    await client.getSyncStatus(id).catch(() => undefined);
  });
  afterAll(() => client.close());

  it('reads and posts with the Basic key and JSON body', async () => {
    expect((await client.getSyncStatus(id)).syncStatusCode).toBe(2000);
    await client.requestSync(id, { syncTo: new Date('2025-06-20T00:00:00Z') });
    const [get, post] = simulator.requests();
    expect(get?.authorization).toBe(`Basic ${Buffer.from(TEST_API_KEY).toString('base64')}`);
    expect(post?.body).toEqual({ syncTo: '2025-06-20T00:00:00.000Z' });
  });

  it('reports an HTTP error status with Codat’s correlation id', async () => {
    simulator.setBehaviour(id, { kind: 'status', status: 404 });
    const error = await failure(client.getSyncStatus(id));
    expect(error.kind).toBe('http');
    expect(error.status).toBe(404);
    expect(error.details.correlationId).toEqual(expect.any(String));
  });

  it('bounds an attempt by the timeout', async () => {
    simulator.setBehaviour(id, { kind: 'hang' });
    expect((await failure(client.getSyncStatus(id))).kind).toBe('timeout');
  });

  it('reports a reset connection as a network error with its code', async () => {
    simulator.setBehaviour(id, { kind: 'reset' });
    const error = await failure(client.getSyncStatus(id));
    expect(error.kind).toBe('network');
    expect(error.details.networkCode).toBe('ECONNRESET');
  });

  it('reports a non-JSON 2xx as a bad response', async () => {
    simulator.setBehaviour(id, { kind: 'non-json' });
    expect((await failure(client.getSyncStatus(id))).kind).toBe('bad-response');
  });

  it('reports a refused connection as ECONNREFUSED, known not to have reached Codat', async () => {
    const gone = await startSimulator();
    await gone.close();
    const orphan = createCodatClient(testConfig({ codatTimeoutMs: 1_000, codatMaxConcurrency: 1, codatTransport: transport, ...ONE_TRY }), {
      baseUrl: gone.url,
      apiKey: TEST_API_KEY,
    });
    try {
      const error = await failure(orphan.requestSync(id));
      expect(error.kind).toBe('network');
      expect(error.details.networkCode).toBe('ECONNREFUSED');
      expect(error.details.mayHaveReachedUpstream).toBe(false);
    } finally {
      await orphan.close();
    }
  });

  it('names the network code on the attempt event when no HTTP answer came', async () => {
    const events: CodatAttemptEvent[] = [];
    const watched = createCodatClient(
      testConfig({ codatTimeoutMs: ATTEMPT_MS, codatMaxConcurrency: 1, codatTransport: transport, ...ONE_TRY }),
      { baseUrl: simulator.url, apiKey: TEST_API_KEY },
      { hooks: { onAttempt: (event) => events.push(event) } },
    );
    try {
      simulator.setBehaviour(id, { kind: 'reset' }, { times: 1 });
      await failure(watched.getSyncStatus(id));
      simulator.setBehaviour(id, { kind: 'hang' }, { times: 1 });
      await failure(watched.getSyncStatus(id));
      await watched.getSyncStatus(id);
      expect(events.map((e) => [e.outcome, e.status, e.networkCode])).toEqual([
        ['network', undefined, 'ECONNRESET'],
        ['timeout', undefined, 'ETIMEDOUT'],
        ['ok', 200, undefined],
      ]);
    } finally {
      await watched.close();
    }
  });

  it('close() ends a call on the wire and one waiting for a slot, reports both before it resolves, and sends nothing after it', async () => {
    const events: CodatAttemptEvent[] = [];
    // One slot, so the second call waits for it; timers long enough that only close() can end the first.
    const closing = createCodatClient(
      testConfig({ codatTimeoutMs: 60_000, codatDeadlineMs: 120_000, codatMaxConcurrency: 1, codatTransport: transport }),
      { baseUrl: simulator.url, apiKey: TEST_API_KEY },
      { hooks: { onAttempt: (event) => events.push(event) } },
    );
    simulator.setBehaviour(id, { kind: 'hang' });
    const onTheWire = failure(closing.getSyncStatus(id));
    const waiting = failure(closing.getSyncStatus(SEEDED_COMPANY_IDS.failed));
    await waitFor(() => simulator.requests().length === 1, 'the first call to reach the simulator');

    await closing.close();
    expect(events.map((e) => [e.operation, e.outcome, e.networkCode])).toEqual([
      ['get-sync-status', 'network', 'CLIENT_CLOSED'],
      ['get-sync-status', 'network', 'CLIENT_CLOSED'],
    ]);
    // The first may have reached Codat (a POST so ended is "outcome unknown"); the second never left.
    expect((await onTheWire).details).toMatchObject({
      kind: 'network',
      networkCode: 'CLIENT_CLOSED',
      mayHaveReachedUpstream: true,
      attempts: 1,
    });
    expect((await waiting).details).toMatchObject({
      kind: 'network',
      networkCode: 'CLIENT_CLOSED',
      mayHaveReachedUpstream: false,
      attempts: 0,
    });
    // A GET ended that way is not retried, and a call after close() is refused without a request.
    expect((await failure(closing.requestSync(id))).details).toMatchObject({ networkCode: 'CLIENT_CLOSED', mayHaveReachedUpstream: false });
    expect(simulator.requests()).toHaveLength(1);
  });

  it('close() cuts a backoff short: the call ends with the answer it had, and no retry is sent', async () => {
    const retries: unknown[] = [];
    const backingOff = createCodatClient(
      testConfig({
        codatTimeoutMs: ATTEMPT_MS,
        codatDeadlineMs: 120_000,
        codatMaxRetries: 3,
        codatBackoff: { baseDelayMs: 60_000, factor: 1, maxDelayMs: 60_000 },
        codatTransport: transport,
      }),
      { baseUrl: simulator.url, apiKey: TEST_API_KEY },
      { hooks: { onRetry: (retry) => retries.push(retry) } },
    );
    simulator.setBehaviour(id, { kind: 'status', status: 503 });
    const call = failure(backingOff.getSyncStatus(id));
    await waitFor(() => retries.length === 1, 'the first retry to be planned');

    await backingOff.close();
    expect((await call).details).toMatchObject({ kind: 'http', status: 503, attempts: 1 });
    expect(simulator.requests()).toHaveLength(1);
  });
});
