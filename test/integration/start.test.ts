import { FEDERATED_TRACES_NOTICE } from '../../src/apollo/inline-trace.plugin';
import { SEEDED_COMPANIES, SEEDED_COMPANY_IDS } from '../../src/simulator';
import { killEntryProcesses, startEntryProcess, type EntryProcess } from '../support/entry-process';
import { startSimulator, TEST_API_KEY } from '../support/simulator';

const run = startEntryProcess;

/** The banner's text: the start line's `msg` (src/index.ts), as it would print, ending with a newline. */
function bannerOf(proc: EntryProcess): string {
  const start = proc.logLines().find((line) => line.event === 'start');
  return `${typeof start?.msg === 'string' ? start.msg : ''}\n`;
}

describe('npm start (the built entry point)', () => {
  afterEach(killEntryProcesses);

  it('starts on the embedded simulator without a key, names companies to try, answers, and stops on SIGTERM', async () => {
    const proc = run({});
    const url = `${await proc.ready}/graphql`;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const { stdout } = proc.output();
    expect(stdout).toContain('embedded Codat simulator');
    expect(stdout).toContain(SEEDED_COMPANY_IDS.succeeded);
    // Inline tracing stays on for routers, said in our words rather than Apollo's "To disable, use …".
    expect(stdout).not.toContain('Enabling inline tracing');
    expect(proc.logLines().filter((l) => l.msg === FEDERATED_TRACES_NOTICE)).toEqual([
      expect.objectContaining({ level: 'info', component: 'apollo' }),
    ]);
    // The web UI's URLs, and the page is there (test/integration/web-ui.test.ts covers what it serves).
    const base = url.replace(/\/graphql$/, '');
    const lines = bannerOf(proc).split('\n');
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  Sync health +${base}/  \\(`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  Explorer +${base}/explorer  \\(.*works offline\\)$`)));
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

  it('names in its banner the URLs, every seeded company, and a command that answers as pasted', async () => {
    const proc = run({});
    const base = await proc.ready;
    const banner = bannerOf(proc);
    expect(banner).toContain(`ready at ${base}/graphql\n`);
    expect(banner).toMatch(new RegExp(`GraphQL +${base}/graphql +\\(POST queries; in a browser, Apollo Sandbox`));
    expect(banner).toMatch(new RegExp(`Health +${base}/healthz`));
    for (const company of SEEDED_COMPANIES) expect(banner).toContain(`${company.id}  ${company.name}: ${company.description}`);

    // The Try line is a curl command; what it would send, sent here, answers.
    const tryLine = /^Try: curl -s (\S+) -H 'content-type: application\/json' -d '(.*)'$/m.exec(banner);
    expect(tryLine?.[1]).toBe(`${base}/graphql`);
    const res = await fetch(tryLine?.[1] ?? '', { method: 'POST', headers: { 'content-type': 'application/json' }, body: tryLine?.[2] });
    expect(await res.json()).toEqual({
      data: { commerceSyncStatus: { state: 'SUCCEEDED', syncStatus: 'Complete', syncUtc: '2025-06-04T00:12:41.183Z' } },
    });
  });

  it('names the upstream, and no companies or Sandbox, in production with a key', async () => {
    const simulator = await startSimulator();
    try {
      const proc = run({ NODE_ENV: 'production', AUTH_MODE: 'none', CODAT_API_KEY: TEST_API_KEY, CODAT_BASE_URL: simulator.url });
      const base = await proc.ready;
      const banner = bannerOf(proc);
      expect(banner).toContain(`ready at ${base}/graphql\n  GraphQL  ${base}/graphql  (POST queries and mutations)\n`);
      // An open door on a real Codat account is said, before the upstream.
      expect(banner).toContain(
        `\nCallers: AUTH_MODE=none, every caller may read and start syncs for every company.\nUpstream: ${simulator.url}\n`,
      );
      expect(banner).not.toContain('Sandbox');
      expect(banner).not.toContain(SEEDED_COMPANY_IDS.succeeded);
      proc.child.kill('SIGTERM');
      expect(await proc.exited).toBe(0);
    } finally {
      await simulator.close();
    }
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
    expect(proc.output().stderr).toContain('CODAT_MAX_CONCURRENCY must be a whole number between 1 and 1000, got "lots"');
  });
});
