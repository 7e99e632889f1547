import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

import { useHarness } from '../support/harness';
import { liveConfig, TestClock } from '../support/live-client';

const script = resolve(__dirname, '../../dist/scripts/follow.js');

function run(
  args: string[],
  graphqlUrl: string,
  onLine: (line: string) => void = () => undefined,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [script, ...args], {
    env: { PATH: process.env.PATH, GRAPHQL_URL: graphqlUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    const before = stdout.split('\n').length - 1;
    stdout += d.toString();
    for (const line of stdout.split('\n').slice(before, -1)) onLine(line);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // 'close', not 'exit': the output is read whole only once the child's stdio has closed.
  return new Promise((res) => child.on('close', (code) => res({ code, stdout, stderr })));
}

describe('npm run follow (the README example client, built)', () => {
  const clock = new TestClock();
  const h = useHarness({
    simulator: { syncDurationMs: TestClock.SYNC_MS, now: clock.now },
    config: { live: liveConfig({ pollActiveMs: 100 }) },
  });

  it('with --sync, starts a sync, prints it moving from IN_PROGRESS to SUCCEEDED, and exits 0', async () => {
    const companyId = h.simulator.addCompany({ state: 'succeeded' });
    // The sync finishes once the script has printed it in progress.
    const { code, stdout, stderr } = await run([companyId, '--sync'], h.graphqlUrl, (line) => {
      if (line.includes(' IN_PROGRESS ')) clock.finishSyncs();
    });
    expect(stderr).toBe('');
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^requested sync [0-9a-f-]{36}$/);
    expect(lines[1]).toMatch(/ IN_PROGRESS 1000 /);
    expect(lines.at(-1)).toMatch(/ SUCCEEDED 2000 Complete sync [0-9a-f-]{36} at \d{4}-/);
    expect(code).toBe(0);
  });

  it('says how to use it without a company id', async () => {
    const { code, stderr } = await run([], h.graphqlUrl);
    expect(code).toBe(2);
    expect(stderr).toContain('usage: npm run follow -- <companyId> [--sync]');
  });
});
