import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

import { SEEDED_COMPANY_IDS } from '../../src/simulator';

const entry = resolve(__dirname, '../../dist/src/index.js');

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, APOLLO_TELEMETRY_DISABLED: '1', HOST: '127.0.0.1', PORT: '0', ...extra };
  return env;
}

const children: ChildProcess[] = [];

/** Runs the built entry point as `npm start` would, and collects its output. */
function run(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  const ready = new Promise<string>((res, rej) => {
    child.stdout.on('data', () => {
      const match = /ready at (http:\/\/\S+\/graphql)[\s\S]*\n(Try:|Upstream:)/.exec(stdout);
      if (match?.[1]) res(match[1]);
    });
    void exited.then((code) => rej(new Error(`exited ${code}: ${stderr}`)));
  });
  // Tests that expect a failed start never await `ready`.
  ready.catch(() => undefined);
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}

describe('npm start (the built entry point)', () => {
  // A failed assertion must not leave a server running and jest waiting for it.
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('starts on the embedded simulator without a key, names companies to try, answers, and stops on SIGTERM', async () => {
    const proc = run(baseEnv({}));
    const url = await proc.ready;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const { stdout } = proc.output();
    expect(stdout).toContain('embedded Codat simulator');
    expect(stdout).toContain(SEEDED_COMPANY_IDS.succeeded);

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
    const proc = run(baseEnv({ NODE_ENV: 'production' }));
    expect(await proc.exited).toBe(1);
    expect(proc.output().stderr).toContain('CODAT_API_KEY is not set');
  });

  it('names the variable when a value is bad', async () => {
    const proc = run(baseEnv({ CODAT_MAX_CONCURRENCY: 'lots' }));
    expect(await proc.exited).toBe(1);
    expect(proc.output().stderr).toContain('CODAT_MAX_CONCURRENCY must be a whole number');
  });
});
