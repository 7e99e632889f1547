import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

import { buildASTSchema, parse } from 'graphql';

import { printContractSdl } from '../../scripts/contract-sdl';
import { buildCommerceSchema } from '../../src/schema';
import { useHarness } from '../support/harness';

// The one place that checks the committed generated files against the code: schema.graphql (the
// contract reviewers read, printed by scripts/generate.ts through scripts/contract-sdl.ts) and
// test/__generated__/ (codegen's types for test/operations/), and that the running server serves that
// schema.graphql. Other tests may assert what the schema contains, not that the files are current.

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

  describe('the running server', () => {
    const h = useHarness();

    it('serves the committed schema.graphql in _service { sdl }', async () => {
      const res = await h.executeRaw<{ _service: { sdl: string } }>('{ _service { sdl } }');
      const sdl = res.data?._service.sdl ?? '';
      const committed = readFileSync(resolve(root, 'schema.graphql'), 'utf8');
      // The served SDL is the whole subgraph document (federation definitions included), so graphql-js builds it as is.
      const served = printContractSdl(buildASTSchema(parse(sdl)));
      expect(served).toBe(committed);
    });
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
        if (!described && !/^type (Query|Mutation|Subscription)\b/.test(line)) undocumented.push(line);
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
