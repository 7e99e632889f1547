import type { CallOrigin, CodatOperation } from './codat.api';
import type { UpstreamFailureKind } from './codat.errors';
import type { CircuitStateName } from './circuit-breaker';

/**
 * Codat's quota counters from one answer's `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining` and
 * `X-Rate-Limit-Reset` headers, as plain numbers (codat.translate.ts reads them). Each is absent when
 * the answer did not carry it: the spec does not promise them, and the simulator does not send them yet.
 */
export interface RateLimit {
  /** Requests allowed in the current window (Codat: per day). */
  limit?: number;
  /** Requests left in the current window. */
  remaining?: number;
  /** When the window resets, as epoch milliseconds. */
  resetAtMs?: number;
}

/** One HTTP exchange with Codat, reported after it ends (for metrics, logs and traces); or, with outcome 'circuit-open', one the circuit breaker refused. */
export interface CodatAttemptEvent {
  operation: CodatOperation;
  method: 'GET' | 'POST';
  /** Path only; it holds a company id, so keep it out of metric labels. */
  path: string;
  /** 1 for the first try. */
  attempt: number;
  /** HTTP status, when Codat answered. */
  status?: number;
  durationMs: number;
  /** 'ok', or why the attempt failed. */
  outcome: 'ok' | UpstreamFailureKind;
  correlationId?: string;
  /** When no HTTP answer came: the system or TLS code (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED, ETIMEDOUT, ...). */
  networkCode?: string;
  /** Codat's quota counters, when the answer carried them (any status). */
  rateLimit?: RateLimit;
  /** Whom the call was made for (`CodatApi.onBehalfOf`). */
  origin?: CallOrigin;
}

/** A failed attempt that will be followed by another after `delayMs`. */
export interface CodatRetryEvent {
  operation: CodatOperation;
  method: 'GET' | 'POST';
  path: string;
  /** The attempt that failed (1 for the first try); the next one is `attempt + 1`. */
  attempt: number;
  delayMs: number;
  reason: UpstreamFailureKind;
  status?: number;
  /** Whom the call was made for (`CodatApi.onBehalfOf`). */
  origin?: CallOrigin;
}

/** Observers of the client. They see no headers and no key; an observer that throws is ignored. */
export interface CodatClientHooks {
  onAttempt?(event: CodatAttemptEvent): void;
  onRetry?(event: CodatRetryEvent): void;
  /** The circuit to this base URL changed state (see circuit-breaker.ts). */
  onCircuitStateChange?(state: CircuitStateName): void;
}

/** Observers must not break a call: whatever a hook throws is dropped (it may hold anything). */
export function notify(fn: () => void): void {
  try {
    fn();
  } catch {
    // ignored on purpose
  }
}
