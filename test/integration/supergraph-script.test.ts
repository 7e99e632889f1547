import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

import { SEEDED_COMPANIES } from '../../src/simulator';

const script = resolve(__dirname, '../../dist/scripts/supergraph.js');

describe('npm run supergraph (the built demo script)', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('starts both subgraphs and a gateway on loopback, prints the URL and a query, answers it, and stops on SIGINT', async () => {
    child = spawn(process.execPath, [script], {
      env: { PATH: process.env.PATH, APOLLO_TELEMETRY_DISABLED: '1', GATEWAY_PORT: '0', COMMERCE_PORT: '0', COMPANIES_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((res) => child?.on('exit', (code) => res(code)));
    const url = await new Promise<string>((res, rej) => {
      child?.stdout?.on('data', (d: Buffer) => {
        stdout += d.toString();
        const match = /gateway ready at (http:\/\/\S+)[\s\S]*Ctrl-C/.exec(stdout);
        if (match?.[1]) res(match[1]);
      });
      void exited.then((code) => rej(new Error(`exited ${code}: ${stderr}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(stdout).toContain('companies { id name commerceSyncStatus');

    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ companies { id name commerceSyncStatus { state } } }' }),
    });
    const body = (await response.json()) as { data: { companies: { id: string; name: string; commerceSyncStatus: { state: string } }[] } };
    expect(body.data.companies.map((c) => [c.id, c.name])).toEqual(SEEDED_COMPANIES.map((c) => [c.id, c.name]));
    expect(body.data.companies.map((c) => c.commerceSyncStatus.state)).toEqual([
      'SUCCEEDED',
      'FAILED',
      'IN_PROGRESS',
      'NOT_STARTED',
      'SUCCEEDED',
    ]);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
