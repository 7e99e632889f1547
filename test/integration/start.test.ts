import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { killEntryProcesses, startEntryProcess } from '../support/entry-process';

const run = startEntryProcess;

describe('npm start (the built entry point)', () => {
  afterEach(killEntryProcesses);

  it('starts on the embedded simulator without a key, names companies to try, answers, and stops on SIGTERM', async () => {
    const proc = run({});
    const url = `${await proc.ready}/graphql`;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const { stdout } = proc.output();
    expect(stdout).toContain('embedded Codat simulator');
    expect(stdout).toContain(SEEDED_COMPANY_IDS.succeeded);
    // The web UI's URLs, and the page is there (test/integration/web-ui.test.ts covers what it serves).
    const base = url.replace(/\/graphql$/, '');
    expect(stdout).toContain(`Sync health page: ${base}/\n`);
    expect(stdout).toContain(`Explorer (GraphiQL, works offline): ${base}/explorer\n`);
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');

    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ commerceSyncStatus(companyId: "${SEEDED_COMPANY_IDS.succeeded}") { state syncStatusCode } }` }),
    });
    expect(await res.json()).toEqual({ data: { commerceSyncStatus: { state: 'SUCCEEDED', syncStatusCode: 2000 } } });

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  it('refuses to start in production without CODAT_API_KEY, saying why', async () => {
    const proc = run({ NODE_ENV: 'production' });
    expect(await proc.exited).toBe(1);
    expect(proc.output().stderr).toContain('CODAT_API_KEY is not set');
  });

  it('refuses to start without AUTH_MODE in production, or with a Codat key, naming the variable', async () => {
    const production = run({ NODE_ENV: 'production', CODAT_API_KEY: 'k' });
    const keyed = run({ CODAT_API_KEY: 'k' });
    expect(await production.exited).toBe(1);
    expect(production.output().stderr).toContain('AUTH_MODE is not set. In production');
    expect(await keyed.exited).toBe(1);
    expect(keyed.output().stderr).toContain('AUTH_MODE is not set. With a Codat key');
  });

  it('names the variable when a value is bad', async () => {
    const proc = run({ CODAT_MAX_CONCURRENCY: 'lots' });
    expect(await proc.exited).toBe(1);
    expect(proc.output().stderr).toContain('CODAT_MAX_CONCURRENCY must be a whole number');
  });
});
