import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { buildState } from '../../scripts/build-if-stale.cjs';

// npm start's prestart (scripts/build-if-stale.cjs) builds only when this says so.
describe('buildState', () => {
  let root: string;
  const write = (path: string, secondsAgo: number): void => {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, '');
    const when = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(full, when, when);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'build-state-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is missing on a fresh clone (no dist/)', () => {
    write('src/index.ts', 60);
    expect(buildState(root)).toBe('missing');
  });

  it('is fresh when the last build is newer than every source', () => {
    write('src/index.ts', 60);
    write('src/codat/codat.client.ts', 50);
    write('tsconfig.json', 90);
    write('dist/src/index.js', 10);
    write('dist/.tsbuildinfo', 10);
    expect(buildState(root)).toBe('fresh');
  });

  it('is stale when a source anywhere under src/, or a tsconfig, changed after the build', () => {
    write('src/index.ts', 60);
    write('dist/src/index.js', 30);
    write('dist/.tsbuildinfo', 30);
    write('src/codat/deep/new.ts', 5);
    expect(buildState(root)).toBe('stale');
    write('src/codat/deep/new.ts', 60);
    write('tsconfig.build.json', 5);
    expect(buildState(root)).toBe('stale');
  });

  it('has nothing to compare in an image that holds dist/ but no src/', () => {
    write('dist/src/index.js', 30);
    expect(buildState(root)).toBe('no-sources');
  });
});
