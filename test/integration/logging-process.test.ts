import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { BUILT_ENTRY, killEntryProcesses, startEntryProcess } from '../support/entry-process';
import { TEST_API_KEY, useSimulator } from '../support/simulator';
import { waitFor } from '../support/wait';

// The log destination of the built process (src/observability/log-destination.ts): lines leave the request
// path through an asynchronous buffer, and none is lost when the process ends, whether it is told to stop
// or crashes. Also LOG_FORMAT=pretty and the start line.
const run = startEntryProcess;
const { succeeded } = SEEDED_COMPANY_IDS;
const STATUS = JSON.stringify({ query: `query Status { commerceSyncStatus(companyId: "${succeeded}") { state } }` });

function statusRequest(base: string, requestId: string): Promise<Response> {
  return fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body: STATUS,
  });
}

/** A preload that makes `require('pino-pretty')` fail as it does in an install without dev dependencies. */
function withoutPinoPretty(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'no-pino-pretty-')), 'preload.js');
  writeFileSync(
    file,
    `const Module = require('node:module');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'pino-pretty' || request.startsWith('pino-pretty/')) {
    throw Object.assign(new Error("Cannot find module '" + request + "'"), { code: 'MODULE_NOT_FOUND' });
  }
  return resolveFilename.call(this, request, ...rest);
};
`,
  );
  return file;
}

describe('log lines of the running process', () => {
  const simulator = useSimulator();
  afterEach(killEntryProcesses);

  it('loses no line on SIGTERM under load, and keeps answering while nobody reads its stdout', async () => {
    // Every read goes to Codat, so each request writes a codat.call line too (coalesced calls write one).
    const proc = run({ CODAT_API_KEY: TEST_API_KEY, CODAT_BASE_URL: simulator.url, AUTH_MODE: 'none', STATUS_CACHE_TTL_MS: '0' });
    const base = await proc.ready;
    const answered: string[] = [];
    let sent = 0;
    let stopped = false;
    // 16 clients, each sending one request after another until the server stops taking them.
    const clients = Array.from({ length: 16 }, async (_, client) => {
      for (let n = 0; !stopped; n += 1) {
        const requestId = `load-${client}-${n}`;
        sent += 1;
        try {
          const res = await statusRequest(base, requestId);
          const body = (await res.json()) as { data?: { commerceSyncStatus?: { state?: string } } };
          if (res.status === 200 && body.data?.commerceSyncStatus?.state === 'SUCCEEDED') answered.push(requestId);
        } catch {
          stopped = true; // refused or reset: the server is draining or gone
        }
      }
    });
    await waitFor(() => answered.length >= 100, '100 answered requests', 20_000);
    // Stop reading its stdout: the pipe fills (about 1,000 lines here are more than the pipe and our stream
    // buffer hold), so a server that wrote its lines on the request path would stop answering now.
    proc.child.stdout?.pause();
    const paused = answered.length;
    await waitFor(() => answered.length >= paused + 500, '500 more answers while stdout is not read', 40_000);
    proc.child.kill('SIGTERM');
    proc.child.stdout?.resume();
    expect(await proc.exited).toBe(0);
    stopped = true;
    await Promise.all(clients);

    const lines = proc.logLines();
    const access = lines.filter((l) => l.event === 'graphql.request' && String(l.requestId).startsWith('load-'));
    const logged = new Set(access.map((l) => l.requestId));
    expect(answered.filter((id) => !logged.has(id))).toEqual([]);
    expect(logged.size).toBe(access.length); // one line each
    expect(access.length).toBeLessThanOrEqual(sent);
    expect(lines.filter((l) => l.event === 'codat.call').length).toBeGreaterThan(0);
    // shutdown.done is the last line: from it to the end there is only itself (a failure shows what follows
    // it, or the last line when it is missing).
    const tail = lines.slice(lines.findIndex((l) => l.event === 'shutdown.done'));
    expect(tail.map((l) => l.event)).toEqual(['shutdown.done']);
    // Nothing after the last line but its newline: no line cut short.
    expect(proc.output().stdout.endsWith('}\n')).toBe(true);
  }, 90_000);

  it.each([
    ['a crash', 'throw new TypeError("boom")', 1],
    ['process.exit (as the forced shutdown does)', 'process.exit(3)', 3],
  ])('on %s writes every buffered line first', async (_name, end, exitCode) => {
    // The destination and crash monitor of src/index.ts in a process of their own: a test cannot make the
    // server itself throw where nothing catches. The lines and the end come in one tick, so the lines are
    // all still in memory when the process goes.
    const dist = resolve(__dirname, '../../dist/src/observability');
    const script = `
      const { createObservability } = require(${JSON.stringify(join(dist, 'observability.js'))});
      const { logCrashes } = require(${JSON.stringify(join(dist, 'crash-handler.js'))});
      const observability = createObservability({ logLevel: 'info' });
      logCrashes(observability.logger);
      setImmediate(() => {
        for (let n = 0; n < 5000; n += 1) observability.logger.info({ event: 'test.line', n }, 'a line');
        ${end};
      });
    `;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', (exitCode) => done(exitCode)));

    expect(code).toBe(exitCode);
    const lines = stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l.event === 'test.line').map((l) => l.n)).toEqual(Array.from({ length: 5000 }, (_, n) => n));
    if (exitCode === 1) {
      // One fatal line without a stack; the crash itself is Node's, as without the monitor.
      expect(lines.at(-1)).toMatchObject({ level: 'fatal', event: 'crash', errorName: 'TypeError', errorMessage: 'boom' });
      expect(stdout).not.toMatch(/\n\s+at |stack/);
      expect(stderr).toContain('TypeError: boom');
    } else {
      expect(lines).toHaveLength(5000);
    }
  });

  it('writes the start line at LOG_LEVEL=warn, and no access line', async () => {
    const proc = run({ CODAT_API_KEY: TEST_API_KEY, CODAT_BASE_URL: simulator.url, AUTH_MODE: 'none', LOG_LEVEL: 'warn' });
    const base = await proc.ready;
    expect((await statusRequest(base, 'quiet-1')).status).toBe(200);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    const lines = proc.logLines();
    expect(lines[0]).toMatchObject({ level: 'info', event: 'start', url: `${base}/graphql`, upstream: simulator.url });
    expect(lines.filter((l) => l.requestId === 'quiet-1')).toEqual([]);
  });
});

describe('LOG_FORMAT', () => {
  afterEach(killEntryProcesses);

  it('pretty: readable lines for a terminal, the start line with the companies to try', async () => {
    const proc = run({ LOG_FORMAT: 'pretty' });
    await waitFor(() => /ready at http:\/\/127\.0\.0\.1:\d+\/graphql/.test(proc.output().stdout), 'the start line');
    const base = /ready at (http:\/\/127\.0\.0\.1:\d+)\/graphql/.exec(proc.output().stdout)?.[1] ?? '';
    expect((await statusRequest(base, 'pretty-1')).status).toBe(200);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    const { stdout } = proc.output();
    expect(stdout).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO/m);
    expect(stdout).toContain(succeeded);
    expect(stdout).toMatch(/INFO.*: graphql request\n\s+requestId: "pretty-1"/);
    expect(stdout).not.toMatch(/^\{/m);
  });

  it('auto (the default): text on a terminal, so npm start in a terminal reads as text', async () => {
    // script(1) (util-linux, in every Debian) runs the server on a pseudo-terminal and copies what it
    // writes there to our pipe; the other tests read the same default as JSON lines, from a pipe.
    const child = spawn('script', ['-qfec', `${JSON.stringify(process.execPath)} ${JSON.stringify(BUILT_ENTRY)}`, '/dev/null'], {
      env: { PATH: process.env.PATH, APOLLO_TELEMETRY_DISABLED: '1', HOST: '127.0.0.1', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    try {
      await waitFor(() => /\nTry: curl/.test(stdout), 'the banner on the terminal');
      expect(stdout).toMatch(
        /^\[\d{2}:\d{2}:\d{2}\.\d{3}\] .*INFO.*: codat-commerce-subgraph ready at http:\/\/127\.0\.0\.1:\d+\/graphql/m,
      );
      // The curl line pastes as printed: its quotes are not JSON-escaped.
      expect(stdout).toContain(`-d '{"query":"{ commerceSyncStatus(companyId: \\"${succeeded}\\")`);
      expect(stdout).not.toContain('{"level"');
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    }
  });

  it('json by default starts without pino-pretty installed; pretty then refuses to start, saying why', async () => {
    const preload = withoutPinoPretty();
    const json = run({ NODE_OPTIONS: `--require ${preload}` });
    await json.ready;
    json.child.kill('SIGTERM');
    expect(await json.exited).toBe(0);

    const pretty = run({ NODE_OPTIONS: `--require ${preload}`, LOG_FORMAT: 'pretty' });
    expect(await pretty.exited).toBe(1);
    expect(pretty.output().stderr).toContain('LOG_FORMAT=pretty needs the pino-pretty package');
  });
});
