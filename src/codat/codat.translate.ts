import type { CallOrigin, CodatOperation } from './codat.api';
import { CLIENT_CLOSED, UpstreamError, type UpstreamErrorDetails } from './codat.errors';
import type { RateLimit } from './codat.events';
import { parseErrorMessage, type ParseResult } from './codat.parse';
import { parseRetryAfter } from './retry-after';

/**
 * The one translation rule: what an attempt came to, described in plain values, becomes the parsed
 * value or an `UpstreamError`. Pure (no clock, no I/O, nothing of axios), so every row is unit tested
 * (test/unit/codat-translate.test.ts). codat.send.ts describes each exchange and calls this; nothing
 * else in src/codat/ builds an `UpstreamError`.
 */

/** The attempt being translated, as the error details name it. */
export interface AttemptOf {
  operation: CodatOperation;
  method: 'GET' | 'POST';
  path: string;
  /** 1 for the first try. */
  attempt: number;
  /** Whom the call is for (`CodatApi.onBehalfOf`): passed on to the hooks' reports, never into an error. */
  origin?: CallOrigin;
}

/** The answer's headers this rule reads, each as one string (src/lib/headers.ts joins repeated ones). */
export interface AnswerHeaders {
  retryAfter?: string;
  rateLimitLimit?: string;
  rateLimitRemaining?: string;
  rateLimitReset?: string;
}

/**
 * What one HTTP exchange came to. `answered`: Codat (or something in front of it) sent a status line,
 * `body` as text. Otherwise `code` is whatever code the thrown error carried, and `timedOut` says the
 * attempt's own timer ended it.
 */
export type Exchange =
  | { answered: true; status: number; body: unknown; headers: AnswerHeaders }
  | { answered: false; code: string | undefined; timedOut: boolean };

export type AttemptResult<T> =
  { ok: true; value: T; status: number; rateLimit?: RateLimit } | { ok: false; error: UpstreamError; rateLimit?: RateLimit };

/** `networkCode` of a timeout that happened in our own queue, before anything was sent. */
export const DEADLINE_EXCEEDED = 'DEADLINE_EXCEEDED';

/** Codes that prove the request never left this machine, so even a POST is safe to send again (retry.ts). */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** Codes of a timer that fired below us (the OS's connect timeout, a socket idle timeout). */
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED']);

/**
 * undici's names for faults that node:http reports by their system codes (codat.transport.ts carries
 * either): one vocabulary on the error and the log line, whichever transport carried the attempt.
 */
const SYSTEM_CODE_OF: Readonly<Record<string, string>> = {
  UND_ERR_SOCKET: 'ECONNRESET',
  UND_ERR_CLOSED: 'ECONNRESET',
  UND_ERR_CONNECT_TIMEOUT: 'ETIMEDOUT',
  UND_ERR_HEADERS_TIMEOUT: 'ETIMEDOUT',
  UND_ERR_BODY_TIMEOUT: 'ETIMEDOUT',
};

export function translate<T>(exchange: Exchange, of: AttemptOf, parse: (body: unknown) => ParseResult<T>, now: number): AttemptResult<T> {
  const base = { operation: of.operation, method: of.method, path: of.path, attempts: of.attempt };
  if (!exchange.answered) {
    const code = exchange.code === undefined ? undefined : (SYSTEM_CODE_OF[exchange.code] ?? exchange.code);
    if (exchange.timedOut || (code !== undefined && TIMEOUT_CODES.has(code))) {
      // Once sent, a timed-out request may have been applied: treat it as having reached Codat.
      const networkCode = exchange.timedOut ? 'ETIMEDOUT' : code;
      return { ok: false, error: new UpstreamError({ ...base, kind: 'timeout', networkCode, mayHaveReachedUpstream: true }) };
    }
    const mayHaveReachedUpstream = !(code !== undefined && NOT_SENT_CODES.has(code));
    return { ok: false, error: new UpstreamError({ ...base, kind: 'network', networkCode: code ?? 'UNKNOWN', mayHaveReachedUpstream }) };
  }

  const rateLimit = readRateLimit(exchange.headers, now);
  const status = exchange.status;
  // Parsed once: the error path reads Codat's ErrorMessage from it, the success path the value.
  const json = tryJson(exchange.body);
  if (status < 200 || status > 299) {
    const message = parseErrorMessage(json);
    const error = new UpstreamError({
      ...base,
      kind: 'http',
      status,
      correlationId: message.correlationId,
      codatMessage: message.error,
      validation: message.validation,
      retryAfterSeconds: parseRetryAfter(exchange.headers.retryAfter, now),
      mayHaveReachedUpstream: true,
    });
    return { ok: false, error, rateLimit };
  }
  const parsed = json === NOT_JSON ? ({ ok: false, problem: 'body is not JSON' } as const) : parse(json);
  if (!parsed.ok) {
    const error = new UpstreamError({ ...base, kind: 'bad-response', status, codatMessage: parsed.problem, mayHaveReachedUpstream: true });
    return { ok: false, error, rateLimit };
  }
  return { ok: true, value: parsed.value, status, rateLimit };
}

/** The circuit breaker refused the attempt: Codat was not called. */
export function refusedByCircuit(of: AttemptOf): UpstreamError {
  return new UpstreamError({ ...namesOf(of), kind: 'circuit-open', attempts: of.attempt - 1, mayHaveReachedUpstream: false });
}

/** The deadline ran out while the attempt waited for a slot: nothing was sent, and Codat is not to blame. */
export function deadlineSpentWaiting(of: AttemptOf): UpstreamError {
  return new UpstreamError({
    ...namesOf(of),
    kind: 'timeout',
    attempts: of.attempt - 1,
    networkCode: DEADLINE_EXCEEDED,
    mayHaveReachedUpstream: false,
  });
}

/** The client was closed before this attempt left: nothing was sent. */
export function stoppedBeforeSending(of: AttemptOf): UpstreamError {
  return new UpstreamError({
    ...namesOf(of),
    kind: 'network',
    attempts: of.attempt - 1,
    networkCode: CLIENT_CLOSED,
    mayHaveReachedUpstream: false,
  });
}

/**
 * One of our own limits held the call back (codat.quota.ts, request-window.ts): Codat was not called, and
 * `retryAfterSeconds` says when it may be.
 */
export function heldBack(of: AttemptOf, limitedBy: 'daily-quota' | 'per-minute', retryAfterSeconds: number): UpstreamError {
  return new UpstreamError({
    ...namesOf(of),
    kind: 'rate-limited',
    limitedBy,
    retryAfterSeconds,
    attempts: of.attempt - 1,
    mayHaveReachedUpstream: false,
  });
}

/**
 * A failure another instance's call came to, as it travelled through the shared store (plain details:
 * codat.cache.ts's cross-instance coalescing): the same error, rebuilt here so that this file stays the
 * one builder of `UpstreamError`.
 */
export function sharedFailure(details: UpstreamErrorDetails): UpstreamError {
  return new UpstreamError(details);
}

/**
 * An attempt we never started (circuit open, a limit of ours, deadline spent in our queue, the client
 * closed): it says less than a real answer.
 */
export function neverStarted(error: UpstreamError): boolean {
  if (error.kind === 'circuit-open' || error.kind === 'rate-limited') return true;
  const { networkCode, mayHaveReachedUpstream } = error.details;
  return networkCode === DEADLINE_EXCEEDED || (networkCode === CLIENT_CLOSED && mayHaveReachedUpstream === false);
}

/**
 * Reads Codat's quota headers. Codat's pages name them without fixing the format of the reset, so it is
 * read as Unix seconds (or milliseconds), as seconds from now when small, or as a date.
 */
export function readRateLimit(headers: AnswerHeaders, now: number): RateLimit | undefined {
  const limit = wholeNumber(headers.rateLimitLimit);
  const remaining = wholeNumber(headers.rateLimitRemaining);
  const resetAtMs = resetTime(headers.rateLimitReset, now);
  if (limit === undefined && remaining === undefined && resetAtMs === undefined) return undefined;
  return { limit, remaining, resetAtMs };
}

function wholeNumber(text: string | undefined): number | undefined {
  const trimmed = text?.trim();
  return trimmed && /^\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}

function resetTime(text: string | undefined, now: number): number | undefined {
  const n = wholeNumber(text);
  if (n !== undefined) {
    if (n >= 1e12) return n;
    if (n >= 1e9) return n * 1000;
    return now + n * 1000;
  }
  if (!text || !/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : date;
}

const NOT_JSON = Symbol('not-json');

function tryJson(text: unknown): unknown {
  if (typeof text !== 'string') return NOT_JSON;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

function namesOf(of: AttemptOf): { operation: CodatOperation; method: 'GET' | 'POST'; path: string } {
  return { operation: of.operation, method: of.method, path: of.path };
}
