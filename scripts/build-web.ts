/**
 * `npm run build:web` (part of `npm run build`): builds the web UI (web/, Vite) into dist/web/, unless
 * nothing it is built from changed since the last build: `npm test` and `npm run check` build first,
 * and Vite takes seconds where tsc's incremental build takes none. The inputs are every file under
 * web/ (sources, HTML, the generated operations), package-lock.json (the bundled libraries) and this
 * script; their digest is kept beside the output in dist/.web-build-stamp. `--force` always builds.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { packageRoot } from '../src/lib/package-root';

const root = packageRoot(__dirname);
const stampFile = join(root, 'dist', '.web-build-stamp');
const output = join(root, 'dist', 'web', 'index.html');

function inputsDigest(): string {
  const hash = createHash('sha256');
  const web = join(root, 'web');
  const files = readdirSync(web, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
  for (const file of [...files, join(root, 'package-lock.json'), join(root, 'scripts', 'build-web.ts')].sort()) {
    hash.update(relative(root, file)).update('\0');
    hash.update(existsSync(file) ? readFileSync(file) : '').update('\0');
  }
  return hash.digest('hex');
}

function main(): void {
  const digest = inputsDigest();
  const force = process.argv.includes('--force');
  if (!force && existsSync(output) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === digest) {
    console.log('web UI up to date (dist/web)');
    return;
  }
  const started = Date.now();
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', '--config', join(root, 'web', 'vite.config.mts')], { cwd: root, stdio: 'inherit' });
  writeFileSync(stampFile, digest);
  console.log(`web UI built into dist/web in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main();
