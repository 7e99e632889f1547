import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { resolve } from 'node:path';

import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { closedPort } from '../support/fault-matrix';
import { startHarness, TEST_API_KEY, type Harness } from '../support/harness';
import { captureLogs } from '../support/observability';

const STATUS = `query Status { commerceSyncStatus(companyId: "${SEEDED_COMPANY_IDS.succeeded}") { state } }`;
const TLS = resolve(__dirname, '../fixtures/tls');

/** Why no answer came, as a client and an operator see it: the error's extensions and the codat.call log lines. */
async function failure(baseUrl: string): Promise<{ upstream: unknown; message: string | undefined; logged: unknown[] }> {
  const logs = captureLogs();
  let h: Harness | undefined;
  try {
    h = await startHarness({
      config: { codatMaxRetries: 1, logLevel: 'info' },
      app: { upstream: { baseUrl, apiKey: TEST_API_KEY }, logDestination: logs.destination },
    });
    const res = await h.executeRaw(STATUS);
    expect(res.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    const logged = logs
      .lines()
      .filter((l) => l.event === 'codat.call')
      .map((l) => ({ outcome: l.outcome, status: l.status, networkCode: l.networkCode }));
    return { upstream: res.errors?.[0]?.extensions?.upstream, message: res.errors?.[0]?.message, logged };
  } finally {
    await h?.close();
  }
}

describe('a Codat that cannot be reached names the network code', () => {
  it('ECONNREFUSED for a port where nothing listens, on each attempt and to the client', async () => {
    const seen = await failure(`http://127.0.0.1:${await closedPort()}`);
    expect(seen.upstream).toMatchObject({ operation: 'get-sync-status', status: null, attempts: 2, networkCode: 'ECONNREFUSED' });
    expect(seen.message).toBe('Codat is unavailable (get-sync-status: ECONNREFUSED)');
    expect(seen.logged).toEqual([
      { outcome: 'network', status: null, networkCode: 'ECONNREFUSED' },
      { outcome: 'network', status: null, networkCode: 'ECONNREFUSED' },
    ]);
  });

  describe('a certificate the client does not trust', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      // What a TLS-intercepting proxy, or a wrong CODAT_BASE_URL, looks like: HTTPS with a certificate no authority signed.
      server = createServer({ key: readFileSync(`${TLS}/self-signed.key`), cert: readFileSync(`${TLS}/self-signed.crt`) }, (_req, res) =>
        res.end('{}'),
      );
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      const address = server.address();
      url = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    afterAll(() => new Promise<void>((done) => server.close(() => done())));

    it("carries the TLS code (here DEPTH_ZERO_SELF_SIGNED_CERT), so it is not mistaken for Codat's downtime", async () => {
      const seen = await failure(url);
      expect(seen.upstream).toMatchObject({ status: null, networkCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
      expect(seen.logged).toContainEqual({ outcome: 'network', status: null, networkCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    });
  });

  it('is null on a line where Codat answered', async () => {
    const logs = captureLogs();
    const h = await startHarness({ config: { logLevel: 'info' }, app: { logDestination: logs.destination } });
    try {
      await h.executeRaw(STATUS);
      expect(logs.lines().find((l) => l.event === 'codat.call')).toMatchObject({ status: 200, outcome: 'ok', networkCode: null });
    } finally {
      await h.close();
    }
  });
});
