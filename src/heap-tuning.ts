import { setFlagsFromString } from 'node:v8';

/** The V8 flag the server process turns off (src/server-process.ts). */
export const PRETENURING_FLAG = 'allocation-site-pretenuring';

/**
 * Turns off V8's allocation-site pretenuring for the server process, unless the operator started node
 * with either spelling of the flag (`--allocation-site-pretenuring` keeps V8's default); it is not a
 * flag NODE_OPTIONS may carry, so the command line is the only other place it can come from. Returns
 * whether it was turned off.
 *
 * Why: pretenuring makes V8 allocate the objects of an allocation site straight into the old generation
 * once it has seen most of them survive a young-generation collection. Under load (`npm run bench`,
 * Node 24.22) some of the sites that run for every GraphQL request (graphql-js's field collection and
 * argument values, Apollo's field hooks) were switched to the old generation, where each request's
 * objects then waited for a full collection: the old space grew from 20 to 65-95 MB between full
 * collections, and the server's peak RSS was 1.33-1.40x the bare Apollo floor's, while the objects alive
 * in a heap snapshot taken under that load were 28 MB. With pretenuring off, the old space stayed at
 * 18-28 MB and peak RSS at 1.01-1.04x the floor's in the same bench (README, "Performance"). What this
 * process keeps for long (schema, caches, metrics) is made at start or is small, so it loses nothing
 * by being promoted the ordinary way.
 */
export function turnOffPretenuring(
  execArgv: readonly string[] = process.execArgv,
  setFlags: (flags: string) => void = setFlagsFromString,
): boolean {
  // V8 reads `--a_b` and `--a-b` alike; an operator's choice, either way, stands.
  const named = execArgv.some((arg) => {
    const flag = arg.split('=')[0]!.replaceAll('_', '-');
    return flag === `--${PRETENURING_FLAG}` || flag === `--no-${PRETENURING_FLAG}`;
  });
  if (named) return false;
  // Set at run time, before the app's modules load: in the bench's heap figures on Node 24 this did what the
  // same flag on the command line did (old space flat under load). Node 22 showed no growth either way.
  setFlags(`--no-${PRETENURING_FLAG}`);
  return true;
}
