import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  IsolatedCircuitError,
  circuitBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
} from 'cockatiel';

import { CLIENT_CLOSED, UpstreamError } from './codat.errors';

/**
 * A circuit breaker in front of one Codat base URL (one `CodatClient`), built on cockatiel's
 * `CircuitBreakerPolicy` with a consecutive-failures breaker:
 * - closed: calls go through; `failureThreshold` failing attempts in a row open it;
 * - open: calls fail at once, without touching Codat, for `halfOpenAfterMs`;
 * - half-open: the next call is a probe. Calls that arrive meanwhile wait for its outcome: success
 *   closes the circuit, failure opens it for another cool-down.
 *
 * Why: in a Codat outage (maintenance answers 503 for minutes) every GraphQL request would otherwise
 * spend its whole retry budget on calls that cannot succeed, holding concurrency slots and quota.
 * Failing fast keeps the subgraph answering (UPSTREAM_UNAVAILABLE) and gives Codat room to recover.
 */

export type CircuitStateName = 'closed' | 'open' | 'half-open';

export interface CircuitOptions {
  /** Failing attempts in a row that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before it lets one probe through. */
  halfOpenAfterMs: number;
}

/**
 * The failures that say "Codat is unwell": 5xx, 408, a timed-out attempt that was sent, and broken or
 * refused connections. Not counted: 4xx answers such as 404 or 400 (Codat is up and answering; the
 * request was wrong), 429 (a quota, handled by Retry-After; opening the circuit would turn one hot
 * company's limit into an outage for all), unreadable 2xx bodies, deadlines that ran out in our own
 * queue before anything was sent, and attempts our own shutdown ended (CLIENT_CLOSED: Codat is not to
 * blame). Uncounted failures leave the count where it was.
 */
export function countsAgainstCircuit(error: unknown): boolean {
  if (!(error instanceof UpstreamError)) return false;
  const d = error.details;
  switch (d.kind) {
    case 'timeout':
      return d.mayHaveReachedUpstream !== false;
    case 'network':
      return d.networkCode !== CLIENT_CLOSED;
    case 'http':
      return d.status === 408 || (d.status !== undefined && d.status >= 500);
    case 'bad-response':
    case 'circuit-open':
    case 'rate-limited':
      return false;
  }
}

/** True for the errors cockatiel throws instead of running the call. */
export function isCircuitOpenError(error: unknown): boolean {
  return error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError;
}

export class UpstreamCircuit {
  private readonly policy: CircuitBreakerPolicy;

  constructor(options: CircuitOptions, onStateChange?: (state: CircuitStateName) => void) {
    this.policy = circuitBreaker(handleWhen(countsAgainstCircuit), {
      halfOpenAfter: options.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(options.failureThreshold),
    });
    if (onStateChange) this.policy.onStateChange((state) => onStateChange(toName(state)));
  }

  /**
   * The state as last decided. An open circuit whose cool-down has passed still reads 'open' until the
   * next call becomes the probe.
   */
  state(): CircuitStateName {
    return toName(this.policy.state);
  }

  /** Runs `fn` unless the circuit is open; then rejects with an error for which isCircuitOpenError() holds. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    return this.policy.execute(fn);
  }
}

function toName(state: CircuitState): CircuitStateName {
  switch (state) {
    case CircuitState.Closed:
      return 'closed';
    case CircuitState.HalfOpen:
      return 'half-open';
    case CircuitState.Open:
    case CircuitState.Isolated:
      return 'open';
  }
}
