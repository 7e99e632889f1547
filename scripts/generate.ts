/**
 * Regenerates the artefacts printed from code:
 *   - schema.graphql: the subgraph SDL (with @link and @key), sorted so diffs are readable;
 *   - test/__generated__/operations.ts: types for the test operations, by GraphQL Code Generator (codegen.yml).
 * With --check, writes nothing and exits 1 if either committed file differs from what the code produces.
 */
import '../src/apollo-env';

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import { generate, loadCodegenConfig } from '@graphql-codegen/cli';

import { packageRoot } from '../src/lib/package-root';
import { buildCommerceSchema } from '../src/schema';
import { printContractSdl } from './contract-sdl';

const root = packageRoot(__dirname);

export function printCommerceSchema(): string {
  return printContractSdl(buildCommerceSchema());
}

async function codegenOutputs(schemaSdl: string): Promise<{ path: string; content: string }[]> {
  const { config } = await loadCodegenConfig({ configFilePath: resolve(root, 'codegen.yml') });
  // Feed codegen the schema just printed, so --check compares code with code, not with a stale file.
  const outputs = await generate({ ...config, schema: schemaSdl, cwd: root, silent: true }, false);
  return outputs.map((o: { filename: string; content: string }) => ({ path: resolve(root, o.filename), content: o.content }));
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Every generated file with the content the code produces now. */
export async function generatedArtefacts(): Promise<{ path: string; content: string }[]> {
  const schemaSdl = printCommerceSchema();
  return [{ path: resolve(root, 'schema.graphql'), content: schemaSdl }, ...(await codegenOutputs(schemaSdl))];
}

/** The generated files whose committed content differs from what the code produces. */
export async function driftedArtefacts(): Promise<string[]> {
  const files = await generatedArtefacts();
  return files.filter((f) => read(f.path) !== f.content).map((f) => f.path.slice(root.length + 1));
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const files = await generatedArtefacts();
  const drifted = files.filter((f) => read(f.path) !== f.content);
  if (check) {
    if (drifted.length > 0) {
      for (const f of drifted)
        console.error(`drift: ${f.path.slice(root.length + 1)} differs from the code; run npm run generate and commit`);
      process.exit(1);
    }
    console.log(`generated artefacts up to date (${files.length} files)`);
    return;
  }
  for (const f of files) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.content);
  }
  console.log(`wrote ${files.map((f) => f.path.slice(root.length + 1)).join(', ')}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
