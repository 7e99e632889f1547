import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The package's root folder: the nearest folder up from `start` holding a package.json. The same from
 * the sources (jest runs src/ directly) and from the build (dist/src/), so files found relative to it,
 * such as the built web UI in dist/web/, are found either way.
 */
export function packageRoot(start: string = __dirname): string {
  let dir = start;
  while (!existsSync(resolve(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}
