/**
 * When a company's shared poller (poller-registry.ts) reads its status next: a small pure rule, so the
 * pace can be tested without clocks.
 *
 * - About `activeMs` (2 s) while the last status showed a sync in progress, or while a subscriber waits
 *   for something to change (commerceSyncProgress waiting for its sync to appear, or following a sync
 *   that a newer one superseded); about `idleMs` (30 s) otherwise: a finished sync changes only when
 *   someone starts another, and a mutation through this subgraph wakes the poller at once anyway.
 * - After failed polls, doubling from `activeMs` up to `idleMs`; never sooner than Codat's `Retry-After`
 *   (a 429) or, while the circuit to Codat is open, its cool-down (CODAT_CIRCUIT_OPEN_MS): a poll then
 *   would fail without reaching Codat.
 * - While Codat's daily quota is under pressure (codat/codat.quota.ts: down to CODAT_QUOTA_RESERVE, or
 *   spent), never faster than `idleMs`: what is left is kept for sync requests, and a mutation through
 *   this subgraph still wakes the poller.
 * - Every delay is spread by `jitter` (0.2: ±20 %) so pollers started together drift apart; the floors
 *   above are never undercut.
 */
export interface PollPace {
  /** `LIVE_POLL_ACTIVE_MS`. */
  activeMs: number;
  /** `LIVE_POLL_IDLE_MS`. */
  idleMs: number;
  /** Share of the delay drawn at random, up or down. */
  jitter: number;
  /** `CODAT_CIRCUIT_OPEN_MS`: an open circuit refuses calls for this long. */
  circuitOpenMs: number;
}

export interface PollState {
  /** The last status that arrived showed a sync in progress (1xxx). */
  inProgress: boolean;
  /** A subscriber waits for a change (see above). */
  eager: boolean;
  /** Failed polls in a row; 0 after a success. */
  consecutiveFailures: number;
  /** What the last failure said, when it failed. */
  failure?: { retryAfterSeconds?: number; circuitOpen?: boolean };
  /** The tenant's Codat quota is under pressure (codat.quota.ts `pressure()` is not 'normal'). */
  quotaPressure?: boolean;
}

export function nextPollDelayMs(state: PollState, pace: PollPace, random: () => number): number {
  const base = (state.inProgress || state.eager) && !state.quotaPressure ? pace.activeMs : pace.idleMs;
  let delay = base;
  let floor = state.quotaPressure ? pace.idleMs : 0;
  if (state.consecutiveFailures > 0) {
    delay = Math.min(pace.idleMs, pace.activeMs * 2 ** Math.min(state.consecutiveFailures - 1, 20));
    if (state.failure?.retryAfterSeconds !== undefined) floor = Math.max(floor, state.failure.retryAfterSeconds * 1000);
    if (state.failure?.circuitOpen) floor = Math.max(floor, pace.circuitOpenMs);
  }
  const spread = delay * pace.jitter * (2 * random() - 1);
  return Math.max(Math.round(delay + spread), floor, 1);
}
