'use strict';
/**
 * `npm start`'s prestart. `npm start` runs the built server (dist/) and does not build it; this builds it
 * first only when dist/ is missing or older than the sources (and the web UI when web/ changed, below), so `npm ci && npm start` still works on a
 * fresh clone, a second `npm start` starts at once, and an install without the dev dependencies
 * (`npm ci --omit=dev` after a build, as in the Dockerfile) starts without the compiler. Plain
 * JavaScript: it must run before anything is compiled, and without TypeScript installed.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, utimesSync } = require('node:fs');
const { join } = require('node:path');

/** What the server is built from; the other scripts in scripts/ are not needed to start it. */
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json'];
/** Written by `tsc -p tsconfig.build.json` (incremental), and touched here after a build. */
const STAMP = join('dist', '.tsbuildinfo');
const ENTRY = join('dist', 'src', 'index.js');

/** Newest modification time (ms) of a file, or of the .ts/.json files under a folder; 0 if there are none. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(child));
    else if (/\.(ts|json)$/.test(entry.name)) latest = Math.max(latest, statSync(child).mtimeMs);
  }
  return latest;
}

/**
 * 'missing' (no dist/src/index.js), 'stale' (a source is newer than the last build), 'fresh', or
 * 'no-sources' (a production image holds dist/ without src/: nothing to compare).
 */
function buildState(root) {
  if (!existsSync(join(root, ENTRY))) return 'missing';
  const sources = Math.max(...INPUTS.map((input) => newest(join(root, input))));
  if (sources === 0) return 'no-sources';
  const built = newest(join(root, STAMP));
  return built >= sources ? 'fresh' : 'stale';
}

/** The compiler, when the dev dependencies are installed. */
function compiler(root) {
  try {
    return require.resolve('typescript/bin/tsc', { paths: [root] });
  } catch {
    return undefined;
  }
}

function main() {
  const root = join(__dirname, '..');
  buildServer(root);
  buildWeb(root);
}

function buildServer(root) {
  const state = buildState(root);
  if (state === 'fresh' || state === 'no-sources') return;
  const tsc = compiler(root);
  const why = state === 'missing' ? 'dist/ has not been built' : 'src/ changed since dist/ was built';
  if (!tsc) {
    if (state === 'missing') {
      console.error(`${why}, and TypeScript is not installed: run "npm ci && npm run build" (the build needs the dev dependencies).`);
      process.exit(1);
    }
    console.error(`Warning: ${why}, and TypeScript is not installed to rebuild it; starting the build that is there.`);
    return;
  }
  console.error(`${why}: building it (npm run build)...`);
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  // tsc leaves its build info alone when no output changed (a checkout that only touched files).
  const now = new Date();
  utimesSync(join(root, STAMP), now, now);
}

/**
 * The web UI (web/, Vite, into dist/web/): dist/scripts/build-web.js keeps a digest of web/ and builds
 * only when it changed. Not without web/ (an image holds dist/ alone) nor without Vite (after
 * `npm ci --omit=dev`): the server then serves what was built, or says at / how to build it.
 */
function buildWeb(root) {
  const script = join(root, 'dist', 'scripts', 'build-web.js');
  if (!existsSync(join(root, 'web')) || !existsSync(script)) return;
  try {
    require.resolve('vite/package.json', { paths: [root] });
  } catch {
    if (!existsSync(join(root, 'dist', 'web', 'index.html'))) {
      console.error(
        'Warning: the web UI is not built and Vite is not installed: / and /explorer answer 503 until "npm ci && npm run build".',
      );
    }
    return;
  }
  const build = spawnSync(process.execPath, [script], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

module.exports = { buildState };

if (require.main === module) main();
