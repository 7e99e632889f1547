import { createCodatClient } from '../../src/app';
import type { CodatClient } from '../../src/codat/codat.client';
import type { CodatAttemptEvent } from '../../src/codat/codat.events';
import { UpstreamError } from '../../src/codat/codat.errors';
import { CODAT_TRANSPORTS, type CodatTransport } from '../../src/codat/codat.transport';
import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { startSimulator, TEST_API_KEY, testConfig, useSimulator } from '../support/harness';

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
});
