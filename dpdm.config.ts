// The import-circle check, `npm run check:cycles`: dpdm walks every import of src/ and scripts/ and fails
// on any circle. Type-only imports count too (`transform: false`): they leave no `require()` in the
// output, but a circle of types still ties together modules that should stand apart.
import type { Config } from 'dpdm';

const config: Config = {
  files: ['src/**/*.ts', 'scripts/**/*.ts'],
  transform: false,
  tree: false,
  warning: false,
  progress: false,
  exitCode: 'circular:1',
};

export = config;
