/**
 * Fails when a jest run left anything out: a skipped or todo test, a suite with nothing run, or no
 * test at all. `.ci/run` runs `npm test -- --json --outputFile=<report>`, then
 * `node dist/scripts/check-no-skipped-tests.js <report>`. In CI every test must run: one that needs
 * a service (Redis, Chromium) gets it from `.ci/run`, it does not skip itself when the service is absent.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** The part of jest's `--json` report (`AggregatedResult`) read here. */
export interface JestJsonReport {
  numTotalTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numPendingTestSuites: number;
  testResults: {
    name: string;
    assertionResults: { fullName: string; status: string }[];
  }[];
}

/** Jest's statuses of a test that did not run (`pending` is `it.skip`/`xit`, or left out by `.only`). */
const NOT_RUN = new Set(['pending', 'skipped', 'todo', 'disabled']);

/** One line per test or count that was not run; empty when every test ran. */
export function testsNotRun(report: JestJsonReport, root = process.cwd()): string[] {
  const problems: string[] = [];
  for (const file of report.testResults) {
    for (const test of file.assertionResults) {
      if (NOT_RUN.has(test.status)) problems.push(`${test.status}: ${relative(root, file.name)} › ${test.fullName}`);
    }
  }
  if (report.numPendingTestSuites > 0) problems.push(`${report.numPendingTestSuites} test file(s) ran no test`);
  // The counts too, in case a status shows up that the list above does not know.
  const counted = report.numPendingTests + report.numTodoTests;
  const listed = problems.filter((line) => !line.endsWith('ran no test')).length;
  if (counted > listed) problems.push(`jest counts ${counted} skipped or todo test(s), ${listed} listed above`);
  if (report.numTotalTests === 0) problems.push('the report has no tests at all');
  return problems;
}

function main(): void {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node dist/scripts/check-no-skipped-tests.js <jest --json report>');
    process.exit(2);
  }
  const report = JSON.parse(readFileSync(file, 'utf8')) as JestJsonReport;
  const problems = testsNotRun(report);
  if (problems.length > 0) {
    console.error(`${file}: not every test ran:`);
    for (const line of problems) console.error(`  ${line}`);
    process.exit(1);
  }
  console.log(`${file}: all ${report.numTotalTests} tests ran`);
}

if (require.main === module) main();
