import type { UpstreamErrorDetails } from './codat.errors';

/**
 * The retry policy for calls to Codat, as pure functions (no clock, no I/O) so that every rule is unit
 * tested. `CodatSender.send()` (codat.send.ts) runs the loop; these functions only decide.
 *
 * Rules (README, "Errors"):
 * - Only GETs are retried, on 408, 429, 5xx, a timed-out attempt, or a connection that broke. Codat's
 *   reads are idempotent, so a second GET costs quota but never changes anything.
 * - A POST (request-sync, request-sync-for-date-range) starts a sync on Codat's side. Once its bytes
 *   may have left this machine it is never sent again: a 500, a timeout or a reset can each hide a
 *   sync that Codat did start, and a second POST would start a second one. The only POST retry is for a
 *   connection that was refused (or a name that did not resolve), where nothing was sent.
 * - 4xx other than 408/429 say "this request is wrong" and will be just as wrong next time; a 2xx that
 *   we cannot read (bad-response) is not a transient fault either. Neither is retried.
 * - The backoff follows Codat's own generated SDKs (initial interval 500 ms, exponent 1.5, capped),
 *   with "equal jitter" (half fixed, half random) so that many clients that failed together do not
 *   retry together, yet each wait has a floor that tests can assert on.
 * - `Retry-After` (seconds or an HTTP date, already turned into seconds by `parseRetryAfter`) is a
 *   floor: we never come back sooner than Codat asked. But a GraphQL caller is waiting, so we only
 *   sleep through a `Retry-After` up to `maxDelayMs`; a longer one (a daily quota says "tomorrow") is
 *   answered at once as RATE_LIMITED with `retryAfterSeconds`, and the caller decides.
 * - Nothing sleeps past the operation's deadline: when the next wait plus a minimal attempt would not
 *   fit in what is left, we stop and report the last failure now. A 429 whose `Retry-After` is longer
 *   than the budget is therefore answered at once, with `retryAfterSeconds` for the caller.
 */

export interface BackoffOptions {
  /** The first wait, before jitter. Codat's SDKs use 500 ms. */
  baseDelayMs: number;
  /** Growth per retry. Codat's SDKs use 1.5. */
  factor: number;
  /** No wait is longer than this: computed waits are capped, longer `Retry-After`s are not slept through. */
  maxDelayMs: number;
}

/** What the policy needs to know about a failed attempt: plain values from `UpstreamError.details`. */
export type AttemptFailure = Pick<UpstreamErrorDetails, 'kind' | 'status' | 'mayHaveReachedUpstream' | 'retryAfterSeconds'>;

/** HTTP statuses worth another GET: request timeout, rate limit, and every server-side failure. */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === 408 || status === 429 || (status !== undefined && status >= 500 && status <= 599);
}

/**
 * Whether the attempt numbered `attempt` (1 for the first try) that failed with `failure` may be
 * followed by another, given at most `maxRetries` retries (so `maxRetries + 1` attempts in all).
 */
export function shouldRetry(method: string, failure: AttemptFailure, attempt: number, maxRetries: number): boolean {
  if (attempt > maxRetries) return false;
  if (method.toUpperCase() !== 'GET') {
    // Only a request that provably never left this machine may be sent again.
    return failure.kind === 'network' && failure.mayHaveReachedUpstream === false;
  }
  switch (failure.kind) {
    case 'timeout':
    case 'network':
      return true;
    case 'http':
      return isRetryableStatus(failure.status);
    case 'bad-response':
    case 'circuit-open':
    case 'rate-limited':
      return false;
  }
}

/**
 * How long to wait after failed attempt number `attempt` (1-based) before the next one.
 * `random` returns a number in [0, 1) (Math.random in production, fixed values in tests).
 *
 * nominal = min(maxDelayMs, baseDelayMs * factor^(attempt - 1))
 * wait    = nominal / 2 + random() * nominal / 2, and at least retryAfterSeconds * 1000
 */
export function backoffMs(attempt: number, retryAfterSeconds: number | undefined, random: () => number, options: BackoffOptions): number {
  const exponent = Math.max(0, attempt - 1);
  const nominal = Math.min(options.maxDelayMs, options.baseDelayMs * options.factor ** exponent);
  const jittered = nominal / 2 + clamp01(random()) * (nominal / 2);
  const floor = retryAfterSeconds !== undefined && retryAfterSeconds > 0 ? retryAfterSeconds * 1000 : 0;
  return Math.round(Math.max(jittered, floor));
}

export interface RetryPlanInput {
  method: string;
  failure: AttemptFailure;
  /** The attempt that just failed, 1 for the first try. */
  attempt: number;
  maxRetries: number;
  /** Time left before the operation's deadline, in ms. */
  remainingMs: number;
  /** The least time worth giving a new attempt; a retry that cannot get this much is not made. */
  minAttemptMs: number;
  random: () => number;
  backoff: BackoffOptions;
}

/** The wait before the next attempt, or undefined when the failure should be reported now. */
export function planRetry(input: RetryPlanInput): number | undefined {
  if (!shouldRetry(input.method, input.failure, input.attempt, input.maxRetries)) return undefined;
  const { backoff } = input;
  if ((input.failure.retryAfterSeconds ?? 0) * 1000 > backoff.maxDelayMs) return undefined;
  const delay = backoffMs(input.attempt, input.failure.retryAfterSeconds, input.random, backoff);
  if (delay + input.minAttemptMs > input.remainingMs) return undefined;
  return delay;
}

function clamp01(value: number): number {
  if (!Number.isFinite(value) || value < 0) return 0;
  return value >= 1 ? 1 : value;
}
