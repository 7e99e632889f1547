import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { type JestJsonReport, testsNotRun } from '../../scripts/check-no-skipped-tests';

const jestBin = resolve(__dirname, '../../node_modules/jest/bin/jest.js');

/** Runs a real jest over the given test files (plain JS, no transform) and returns its --json report. */
async function jestReport(files: Record<string, string>): Promise<{ report: JestJsonReport; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'no-skips-'));
  for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source);
  const output = join(dir, 'report.json');
  const args = [jestBin, '--rootDir', dir, '--config', '{"testEnvironment":"node"}', '--json', `--outputFile=${output}`];
  await promisify(execFile)(process.execPath, args, { cwd: dir });
  return { report: JSON.parse(readFileSync(output, 'utf8')) as JestJsonReport, dir };
}

describe('testsNotRun (scripts/check-no-skipped-tests.ts, run by .ci/run after npm test)', () => {
  it('lists skipped and todo tests, and a file that ran none, from a real jest report', async () => {
    const { report, dir } = await jestReport({
      'a.test.js': "describe('area', () => { it('runs', () => {}); it.skip('is skipped', () => {}); it.todo('is todo'); });",
      'b.test.js': "describe.skip('whole', () => { it('never runs', () => {}); });",
    });
    try {
      expect(testsNotRun(report, dir).sort()).toEqual([
        '1 test file(s) ran no test',
        'pending: a.test.js › area is skipped',
        'pending: b.test.js › whole never runs',
        'todo: a.test.js › area is todo',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes a run in which every test ran', async () => {
    const { report, dir } = await jestReport({ 'a.test.js': "it('runs', () => {}); it('runs too', () => {});" });
    try {
      expect(testsNotRun(report, dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets through only the skips it is told about, by file and name prefix', async () => {
    const { report, dir } = await jestReport({
      'a.test.js':
        "describe('vendor', () => { describe('needs graphql@17', () => { it.skip('x', () => {}); }); it.skip('other', () => {}); it('runs', () => {}); });",
    });
    try {
      const allowed = [{ file: 'a.test.js', fullNamePrefix: 'vendor needs graphql@17 ', reason: 'cannot run on graphql 16' }];
      expect(testsNotRun(report, dir, allowed)).toEqual(['pending: a.test.js › vendor other']);
      expect(testsNotRun(report, dir, [])).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails a report with no tests, and counts it cannot match to a test', () => {
    const empty: JestJsonReport = { numTotalTests: 0, numPendingTests: 0, numTodoTests: 0, numPendingTestSuites: 0, testResults: [] };
    expect(testsNotRun(empty)).toEqual(['the report has no tests at all']);
    expect(testsNotRun({ ...empty, numTotalTests: 3, numPendingTests: 1 })).toEqual([
      'jest counts 1 skipped or todo test(s), 0 listed above',
    ]);
  });
});
