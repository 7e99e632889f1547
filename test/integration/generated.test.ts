import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

import { printContractSdl } from '../../scripts/contract-sdl';
import { buildCommerceSchema } from '../../src/schema';

const root = resolve(__dirname, '../..');
const script = resolve(root, 'dist/scripts/generate.js');

describe('generated artefacts', () => {
  it('schema.graphql and the codegen output match the code (run `npm run generate` if not)', async () => {
    // GraphQL Code Generator is ESM-only in parts and will not load inside jest, so the check runs as the
    // real script, built by `pretest`.
    expect(existsSync(script)).toBe(true);
    const { stdout } = await promisify(execFile)(process.execPath, [script, '--check'], {
      cwd: root,
      env: { ...process.env, APOLLO_TELEMETRY_DISABLED: '1' },
    });
    expect(stdout).toContain('generated artefacts up to date');
  });

  it('describes every type, field, argument and enum value', () => {
    const lines = printContractSdl(buildCommerceSchema()).split('\n');
    const undocumented: string[] = [];
    let inBlock = false;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? '';
      const previous = (lines[i - 1] ?? '').trim();
      const described = previous.endsWith('"""') || (previous.startsWith('"') && previous.endsWith('"'));
      if (/^(type|enum|scalar|input|interface)\s/.test(line)) {
        if (!described && !/^type (Query|Mutation)\b/.test(line)) undocumented.push(line);
        inBlock = line.endsWith('{');
      } else if (line === '}') {
        inBlock = false;
      } else if (inBlock && /^\s+[A-Za-z_]\w*(\(|:|$)/.test(line) && !described) {
        undocumented.push(line.trim());
      }
    }
    expect(undocumented).toEqual([]);
  });
});
