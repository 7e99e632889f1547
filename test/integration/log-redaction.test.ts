import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { startHarness, TEST_API_KEY } from '../support/harness';
import { captureLogs } from '../support/observability';

const BASE64_KEY = Buffer.from(TEST_API_KEY).toString('base64');
const { succeeded, failed, inProgress, neverSynced } = SEEDED_COMPANY_IDS;

describe('the Codat key never reaches the logs', () => {
  it('stays out of every line through a run of upstream faults, at the most verbose level', async () => {
    const logs = captureLogs();
    const h = await startHarness({
      config: { codatTimeoutMs: 300, logLevel: 'trace' },
      app: { logDestination: logs.destination },
    });
    try {
      h.simulator.setBehaviour(succeeded, { kind: 'status', status: 401 }, { times: 1 });
      h.simulator.setBehaviour(failed, { kind: 'status', status: 500 }, { times: 1 });
      h.simulator.setBehaviour(inProgress, { kind: 'hang' }, { times: 1 });
      h.simulator.setBehaviour(neverSynced, { kind: 'reset' }, { times: 1 });
      await h.executeRaw(
        `query Faults($a: ID!, $b: ID!, $c: ID!, $d: ID!) {
        a: commerceSyncStatus(companyId: $a) { state }
        b: commerceSyncStatus(companyId: $b) { state }
        c: commerceSyncStatus(companyId: $c) { state }
        d: commerceSyncStatus(companyId: $d) { state }
      }`,
        { a: succeeded, b: failed, c: inProgress, d: neverSynced },
      );
      h.simulator.setBehaviour('*', { kind: 'non-json' }, { times: 1 });
      await h.executeRaw(`{ commerceSyncs(companyId: "${succeeded}") { state } }`);
      h.simulator.setBehaviour('*', { kind: 'status', status: 400 }, { times: 1 });
      await h.executeRaw(`mutation { requestSync(companyId: "${succeeded}") { state } }`, undefined, {
        authorization: `Basic ${BASE64_KEY}`,
      });

      // Redaction is configured: even a careless log call with headers or the key is censored.
      h.observability.logger.error(
        {
          apiKey: TEST_API_KEY,
          headers: { authorization: `Basic ${BASE64_KEY}` },
          config: { headers: { Authorization: `Basic ${BASE64_KEY}` } },
        },
        'careless line',
      );
      h.observability.logger
        .child({ requestId: 'r1' })
        .warn({ req: { headers: { authorization: `Basic ${BASE64_KEY}` } } }, 'careless child line');

      const text = logs.raw.join('');
      const events = logs.lines().map((l) => l.event);
      expect(events.filter((e) => e === 'codat.call').length).toBeGreaterThanOrEqual(6);
      expect(events.filter((e) => e === 'graphql.request')).toHaveLength(3);
      expect(text).toContain('[redacted]');
      expect(text).not.toContain(TEST_API_KEY);
      expect(text).not.toContain(BASE64_KEY);
    } finally {
      await h.close();
    }
  });
});
