import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits `ms`, or less if `stop` aborts first (at once if it already has), and never rejects: for the
 * waits a closing client ends early (src/codat/codat.send.ts, src/shared-state/redis-fleet-slots.ts).
 * Node's timer is cleared on the abort, so nothing is left pending.
 */
export function pauseUnless(ms: number, stop: AbortSignal): Promise<void> {
  return sleep(ms, undefined, { signal: stop }).catch(() => undefined);
}
