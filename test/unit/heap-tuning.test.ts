import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

import { PRETENURING_FLAG, turnOffPretenuring } from '../../src/heap-tuning';

function run(execArgv: string[]): { off: boolean; set: string[] } {
  const set: string[] = [];
  const off = turnOffPretenuring(execArgv, (flags) => set.push(flags));
  return { off, set };
}

describe('turnOffPretenuring', () => {
  it('turns V8 pretenuring off for a plain `node dist/src/index.js`', () => {
    expect(run([])).toEqual({ off: true, set: ['--no-allocation-site-pretenuring'] });
    expect(run(['--enable-source-maps', '--max-old-space-size=512'])).toEqual({ off: true, set: ['--no-allocation-site-pretenuring'] });
  });

  it.each([
    '--allocation-site-pretenuring',
    '--no-allocation-site-pretenuring',
    '--allocation_site_pretenuring',
    '--no_allocation_site_pretenuring',
    '--allocation-site-pretenuring=true',
  ])("leaves the operator's %p as it is", (flag) => {
    expect(run(['--enable-source-maps', flag])).toEqual({ off: false, set: [] });
  });

  it("is a flag this Node's V8 knows: the built module sets it in a real process without a complaint", () => {
    // V8 writes "unrecognized flag" to stderr for a flag it does not have (see the control below).
    const entry = resolve(__dirname, '../../dist/src/heap-tuning.js');
    const known = spawnSync(
      process.execPath,
      ['-e', `process.stdout.write(String(require(${JSON.stringify(entry)}).turnOffPretenuring()))`],
      {
        encoding: 'utf8',
      },
    );
    expect({ status: known.status, stdout: known.stdout, stderr: known.stderr }).toEqual({ status: 0, stdout: 'true', stderr: '' });
    const unknown = spawnSync(process.execPath, ['-e', `require('node:v8').setFlagsFromString('--no-${PRETENURING_FLAG}-x')`], {
      encoding: 'utf8',
    });
    expect(unknown.stderr).toMatch(/unrecognized flag/);
  });
});
