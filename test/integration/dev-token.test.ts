import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { SEEDED_COMPANY_IDS } from '../../src/simulator';
import { killEntryProcesses, startEntryProcess } from '../support/entry-process';

// The README's way to try authentication: `npm run -s token` (the built scripts/dev-token.ts) makes a
// credential, and `npm start` (the built entry point) is started with the settings it prints, read from
// the environment as in production. Both run as separate processes, as a developer would run them.

const SCRIPT = resolve(__dirname, '../../dist/scripts/dev-token.js');
const A = SEEDED_COMPANY_IDS.succeeded;
const B = SEEDED_COMPANY_IDS.failed;
const run = promisify(execFile);

async function token(dir: string, ...args: string[]): Promise<{ credential: string; stderr: string }> {
  const { stdout, stderr } = await run(process.execPath, [SCRIPT, '--dir', dir, ...args]);
  return { credential: stdout.trim(), stderr };
}

async function ask(base: string, id: string, headers: Record<string, string>) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: `{ commerceSyncStatus(companyId: "${id}") { state } }` }),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } };
}

describe('npm run token, then npm start with what it printed', () => {
  afterEach(killEntryProcesses);
  const dir = join(mkdtempSync(join(tmpdir(), 'dev-auth-')), '.dev-auth');

  it('a JWT for one company, verified with AUTH_PUBLIC_KEY', async () => {
    const { credential, stderr } = await token(dir, '--companies', A, '--scope', 'commerce-sync:read');
    expect(credential.split('.')).toHaveLength(3);
    expect(stderr).toContain('AUTH_MODE=jwt AUTH_PUBLIC_KEY="$(cat');
    const proc = startEntryProcess({
      AUTH_MODE: 'jwt',
      AUTH_PUBLIC_KEY: readFileSync(join(dir, 'public.pem'), 'utf8'),
      AUTH_ISSUER: 'https://dev-token.local/',
      AUTH_AUDIENCE: 'codat-commerce-subgraph',
    });
    const base = await proc.ready;
    expect(proc.logLines().find((l) => l.event === 'start')?.callers).toBe('Callers: AUTH_MODE=jwt, introspection authenticated.');

    expect(await ask(base, A, { authorization: `Bearer ${credential}` })).toEqual({
      status: 200,
      body: { data: { commerceSyncStatus: { state: 'SUCCEEDED' } } },
    });
    const other = await ask(base, B, { authorization: `Bearer ${credential}` });
    expect(other.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const anonymous = await ask(base, A, {});
    expect([anonymous.status, anonymous.body.errors?.map((e) => e.extensions?.code)]).toEqual([401, ['UNAUTHENTICATED']]);
    expect(proc.output().stdout).not.toContain(credential);
  });

  it('an api key, checked against the file of hashes it wrote', async () => {
    const { credential, stderr } = await token(dir, '--api-key', '--name', 'billing-job', '--scope', 'commerce-sync:read');
    expect(credential).toMatch(/^ccs_/);
    const file = join(dir, 'api-keys.json');
    expect(readFileSync(file, 'utf8')).not.toContain(credential);
    expect(stderr).toContain('AUTH_MODE=api-key AUTH_API_KEYS_FILE=');
    const proc = startEntryProcess({ AUTH_MODE: 'api-key', AUTH_API_KEYS_FILE: file });
    const base = await proc.ready;
    expect((await ask(base, B, { 'x-api-key': credential })).body).toEqual({ data: { commerceSyncStatus: { state: 'FAILED' } } });
    expect((await ask(base, B, { 'x-api-key': `${credential}0` })).status).toBe(401);
  });
});
