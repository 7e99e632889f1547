'use strict';
/**
 * `npm run dev`: the compiler in watch mode (tsc --watch) and the server run from its output, restarted
 * by Node (--watch-path=dist) whenever a rebuild changes it. The server starts after the first build
 * that has no errors. Ctrl-C stops both. Plain JavaScript: it runs before anything is compiled.
 */
const { spawn } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
const tsc = spawn(
  process.execPath,
  [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'],
  {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
let server;

tsc.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (!server && /Found 0 errors\./.test(chunk.toString())) {
    server = spawn(process.execPath, ['--watch-path=dist/src', '--watch-preserve-output', join('dist', 'src', 'index.js')], {
      cwd: root,
      stdio: 'inherit',
    });
    server.on('exit', (code) => stop(code ?? 0));
  }
});
tsc.on('exit', (code) => stop(code ?? 0));

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  tsc.kill('SIGTERM');
  if (server && server.exitCode === null) server.kill('SIGTERM');
  process.exitCode = code;
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
