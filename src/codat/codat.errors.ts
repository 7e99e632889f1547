import type * as Codat from './codat.dto';

/**
 * Why an upstream call failed, as far as the transport can tell:
 * - `http`: Codat answered with a non-2xx status (`status` is set)
 * - `timeout`: one attempt took longer than the configured per-attempt timeout
 * - `network`: connection refused, reset or DNS failure; nothing usable came back
 * - `bad-response`: a 2xx whose body is not JSON or not the shape the spec promises
 * - `circuit-open`: we did not call Codat at all because the circuit breaker is open
 * - `rate-limited`: we did not call Codat at all: its daily quota is down to the reserve (or spent), or
 *   this instance's per-minute ceiling would have been passed (`limitedBy`); `retryAfterSeconds` says when
 */
export type UpstreamFailureKind = 'http' | 'timeout' | 'network' | 'bad-response' | 'circuit-open' | 'rate-limited';

export interface UpstreamErrorDetails {
  kind: UpstreamFailureKind;
  /** Codat operationId from the spec, e.g. `get-sync-status`. */
  operation: string;
  method: string;
  /** Path only, never the full URL with credentials or query. */
  path: string;
  status?: number;
  /** Codat's `ErrorMessage.correlationId`: what Codat support asks for. */
  correlationId?: string;
  /** Codat's `ErrorMessage.error`. */
  codatMessage?: string;
  validation?: Codat.ErrorValidation | null;
  /** From a `Retry-After` header, in seconds. */
  retryAfterSeconds?: number;
  /** How many attempts were made before giving up. */
  attempts?: number;
  /** Whether the request may have reached Codat (a POST that may have been applied). */
  mayHaveReachedUpstream?: boolean;
  /** Low-level error code such as ECONNRESET; never the error object itself. */
  networkCode?: string;
  /** For `rate-limited`: which of our own limits held the call back. */
  limitedBy?: 'daily-quota' | 'per-minute';
}

/**
 * `networkCode` of an attempt that the client's `close()` (the server stopping, codat.send.ts) ended on
 * the wire, or would not start: `mayHaveReachedUpstream` tells the two apart. It sits here, beside the
 * field, because the circuit breaker reads it too.
 */
export const CLIENT_CLOSED = 'CLIENT_CLOSED';

/**
 * The one error type that leaves `src/codat/`. It is built from plain values only: axios errors carry
 * the request config, including the `Authorization` header, so they are never wrapped, chained as
 * `cause`, or kept on this object.
 */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  readonly details: Readonly<UpstreamErrorDetails>;

  constructor(details: UpstreamErrorDetails) {
    super(describe(details));
    this.details = Object.freeze({ ...details });
  }

  get kind(): UpstreamFailureKind {
    return this.details.kind;
  }

  get status(): number | undefined {
    return this.details.status;
  }

  /** What a logger or JSON.stringify sees: the plain details and message, never a stack. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...this.details };
  }
}

function describe(d: UpstreamErrorDetails): string {
  const call = `${d.method} ${d.path}`;
  switch (d.kind) {
    case 'http':
      return `Codat answered ${d.status ?? '?'} to ${call}${d.codatMessage ? `: ${d.codatMessage}` : ''}`;
    case 'timeout':
      return `Codat did not answer ${call} in time`;
    case 'network':
      return `Could not reach Codat for ${call}${d.networkCode ? ` (${d.networkCode})` : ''}`;
    case 'bad-response':
      return `Codat sent an unexpected response to ${call}${d.codatMessage ? `: ${d.codatMessage}` : ''}`;
    case 'circuit-open':
      return `Codat is failing; ${call} was not attempted while the circuit is open`;
    case 'rate-limited':
      return d.limitedBy === 'per-minute'
        ? `${call} was not sent: this instance reached its per-minute ceiling of Codat calls`
        : `${call} was not sent: Codat's daily quota is down to its reserve`;
  }
}

/**
 * A POST that was sent and then got no answer (its attempt timed out, or the connection broke after
 * sending): Codat may or may not have started the sync. Such a POST is never sent again (retry.ts); an
 * idempotency record kept above `CodatApi` remembers it as "outcome unknown" rather than as a failure.
 * An HTTP answer, even a 5xx, is Codat saying what happened, so it is not unknown.
 */
export function outcomeUnknown(details: Pick<UpstreamErrorDetails, 'method' | 'kind' | 'mayHaveReachedUpstream'>): boolean {
  if (details.method.toUpperCase() !== 'POST') return false;
  return (details.kind === 'timeout' || details.kind === 'network') && details.mayHaveReachedUpstream !== false;
}

/**
 * Codat answered 404. For get-latest-sync and get-last-successful-sync that means either "no such
 * company" or "the company has no such sync": the answer alone does not say which (Codat documents no
 * distinguishing field), so src/sync/sync.reads.ts asks the company's status to tell them apart.
 */
export function isNotFoundAnswer(error: unknown): error is UpstreamError {
  return error instanceof UpstreamError && error.kind === 'http' && error.status === 404;
}
