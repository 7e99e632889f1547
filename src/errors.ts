import { GraphQLError, type GraphQLFormattedError } from 'graphql';

import { UpstreamError } from './codat/codat.errors';

/**
 * Every `extensions.code` this subgraph sets. A client may switch on these; adding one is a
 * schema-level change worth a changelog line. (README, "Errors".)
 */
export type ErrorCode =
  /** Invalid companyId, DateTime or range; nothing was sent to Codat. */
  | 'BAD_USER_INPUT'
  /** No credential, or one that failed verification (HTTP 401); nothing was sent to Codat. */
  | 'UNAUTHENTICATED'
  /** The caller lacks the scope, or may not see the company; a field error, nothing was sent to Codat. */
  | 'FORBIDDEN'
  /** Codat answered 404: no such company (or, for one sync looked up by id, no such sync). */
  | 'NOT_FOUND'
  /** Codat answered 401/403: our API key is wrong or lacks rights. An operator problem. */
  | 'UPSTREAM_AUTH_FAILED'
  /** Codat answered 402: an account limit (plan, company count) was hit. */
  | 'UPSTREAM_ACCOUNT_LIMIT'
  /** Codat answered 400/409 and refused the request; its message is passed on. */
  | 'UPSTREAM_REJECTED'
  /** Codat answered 429, or its daily quota is down to the reserve (CODAT_QUOTA_RESERVE) and Codat was not called; see `extensions.retryAfterSeconds`. */
  | 'RATE_LIMITED'
  /** A repeated idempotency key whose first sync request was sent and got no answer: Codat may or may not have started it. */
  | 'UPSTREAM_OUTCOME_UNKNOWN'
  /** Codat answered 5xx, or could not be reached, or the circuit to it is open. */
  | 'UPSTREAM_UNAVAILABLE'
  /** An attempt took longer than CODAT_TIMEOUT_MS. */
  | 'UPSTREAM_TIMEOUT'
  /** A 2xx whose body was not JSON or not the spec's shape. */
  | 'UPSTREAM_BAD_RESPONSE'
  /** The operation would need more upstream calls than MAX_OPERATION_COST allows. */
  | 'QUERY_TOO_COMPLEX'
  /** A subscription over MAX_SUBSCRIPTIONS_PER_CONNECTION or MAX_SUBSCRIPTIONS; nothing was sent to Codat. */
  | 'TOO_MANY_SUBSCRIPTIONS'
  /** Anything unexpected; the details stay in our logs. */
  | 'INTERNAL_SERVER_ERROR';

/** Errors raised by our own code with a known code. */
export function codedError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

export function badUserInput(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return codedError('BAD_USER_INPUT', message, extensions);
}

/**
 * Codat status or transport failure → our code: the one table (README, "Errors"). Statuses not listed
 * fall through to UPSTREAM_UNAVAILABLE (5xx) or UPSTREAM_REJECTED (4xx); a status outside 400-599 (a
 * redirect we do not follow, say) is not an answer we can read.
 */
export function codeForUpstream(error: UpstreamError): ErrorCode {
  switch (error.kind) {
    case 'timeout':
      return 'UPSTREAM_TIMEOUT';
    case 'network':
    case 'circuit-open':
      return 'UPSTREAM_UNAVAILABLE';
    case 'rate-limited':
      return 'RATE_LIMITED';
    case 'bad-response':
      return 'UPSTREAM_BAD_RESPONSE';
    case 'http':
      break;
  }
  const status = error.status ?? 0;
  if (status === 404) return 'NOT_FOUND';
  if (status === 401 || status === 403) return 'UPSTREAM_AUTH_FAILED';
  if (status === 402) return 'UPSTREAM_ACCOUNT_LIMIT';
  if (status === 408) return 'UPSTREAM_TIMEOUT';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500 && status <= 599) return 'UPSTREAM_UNAVAILABLE';
  if (status >= 400 && status <= 499) return 'UPSTREAM_REJECTED';
  return 'UPSTREAM_BAD_RESPONSE';
}

/** What a client is told for each upstream code; Codat's own message is added where it helps the caller. */
function messageForUpstream(code: ErrorCode, error: UpstreamError): string {
  const d = error.details;
  switch (code) {
    case 'NOT_FOUND':
      return `Codat has no such resource (${d.operation})${d.codatMessage ? `: ${d.codatMessage}` : ''}`;
    case 'UPSTREAM_AUTH_FAILED':
      return 'Codat refused our credentials; the subgraph operator must check CODAT_API_KEY';
    case 'UPSTREAM_ACCOUNT_LIMIT':
      return `Codat account limit reached${d.codatMessage ? `: ${d.codatMessage}` : ''}`;
    case 'UPSTREAM_REJECTED':
      return rejectionMessage(d);
    case 'RATE_LIMITED':
      if (d.kind !== 'rate-limited') return 'Codat rate limit reached; retry later';
      return d.limitedBy === 'per-minute'
        ? 'Too many Codat calls this minute; retry later'
        : "Codat's daily quota is nearly spent; reads are held back until it resets";
    case 'UPSTREAM_TIMEOUT':
      return `Codat did not answer in time (${d.operation})`;
    case 'UPSTREAM_BAD_RESPONSE':
      return `Codat sent a response we could not read (${d.operation})`;
    case 'UPSTREAM_UNAVAILABLE':
      if (d.kind === 'circuit-open') return 'Codat is failing; calls are paused for a short while';
      return `Codat is unavailable (${d.operation}${d.networkCode ? `: ${d.networkCode}` : ''})`;
    default:
      return error.message;
  }
}

/** What Codat's `error` says when it says no more than "400": the spec's own example and ASP.NET's default. */
const GENERIC_REJECTION = /\bnot valid\b|validation errors? occurred|^bad request\.?$/i;

/** At most this many of Codat's validation messages go into the top-level message (all stay in `extensions.validation`). */
const MAX_REASONS = 3;

/**
 * UPSTREAM_REJECTED's message carries Codat's reason, so a client (or a person reading a log) sees why
 * without digging into extensions: the messages of `validation.errors`, after Codat's `error` unless that
 * is generic ("The request is not valid."). E.g. "Codat rejected the sync request: syncTo (…) must be
 * later than the start of the sync range (…), the end of the last successful sync."
 */
function rejectionMessage(d: UpstreamError['details']): string {
  const what = d.method === 'POST' ? 'the sync request' : `the request (${d.operation})`;
  const reasons = (d.validation?.errors ?? []).map((item) => item.message?.trim()).filter((message): message is string => Boolean(message));
  const shown =
    reasons.slice(0, MAX_REASONS).join('; ') + (reasons.length > MAX_REASONS ? ` (and ${reasons.length - MAX_REASONS} more)` : '');
  const error = d.codatMessage?.trim().replace(/\.$/, '');
  const parts = [error && !(shown && GENERIC_REJECTION.test(error)) ? error : undefined, shown || undefined].filter(Boolean);
  return `Codat rejected ${what}${parts.length > 0 ? `: ${parts.join(': ')}` : ''}`;
}

/** The typed GraphQL error for a failed upstream call. */
export function upstreamGraphQLError(error: UpstreamError): GraphQLError {
  const code = codeForUpstream(error);
  const d = error.details;
  const extensions: Record<string, unknown> = {
    code,
    // `attempts`: how many times Codat was called for this field (0 when the circuit was open).
    // `codatMessage`: Codat's own words (its ErrorMessage.error) whatever the status, so a support
    // person can quote them with the correlationId (the web page shows both, web/src/page/error-words.ts).
    // `networkCode`: why no answer came (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED, ETIMEDOUT, ...), null with one.
    upstream: {
      operation: d.operation,
      status: d.status ?? null,
      correlationId: d.correlationId ?? null,
      attempts: d.attempts ?? null,
      codatMessage: d.codatMessage ?? null,
      networkCode: d.networkCode ?? null,
    },
  };
  if (code === 'UPSTREAM_REJECTED') {
    extensions.codatMessage = d.codatMessage ?? null;
    extensions.validation = d.validation ?? null;
  }
  if (code === 'RATE_LIMITED' && d.retryAfterSeconds !== undefined) extensions.retryAfterSeconds = d.retryAfterSeconds;
  return new GraphQLError(messageForUpstream(code, error), { extensions });
}

/**
 * A field answered from a stale copy because Codat refused or failed (codat/codat.cache.ts): reported as an
 * error entry beside the field's data, so that the client sees both the answer and why it is old. The
 * code is the failure's own (RATE_LIMITED, UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT), with `stale: true`
 * and `ageSeconds`. An entry in `errors`, not response `extensions`: gateways (Apollo Gateway, the
 * Router) pass a subgraph's errors on with their path and extensions, and drop its response extensions.
 */
export function staleReadError(path: readonly (string | number)[], because: UpstreamError, ageMs: number): GraphQLFormattedError {
  const typed = upstreamGraphQLError(because);
  const ageSeconds = Math.floor(ageMs / 1000);
  return {
    message: `Answered from a copy ${ageSeconds} s old: ${typed.message}`,
    path,
    extensions: { ...typed.extensions, stale: true, ageSeconds },
  };
}

/** Our codes, listed once at run time; `satisfies` keeps the list and the union above in step. */
const OUR_CODES = [
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'UPSTREAM_AUTH_FAILED',
  'UPSTREAM_ACCOUNT_LIMIT',
  'UPSTREAM_REJECTED',
  'RATE_LIMITED',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_BAD_RESPONSE',
  'QUERY_TOO_COMPLEX',
  'TOO_MANY_SUBSCRIPTIONS',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'UPSTREAM_OUTCOME_UNKNOWN',
] as const satisfies readonly Exclude<ErrorCode, 'INTERNAL_SERVER_ERROR'>[];

/** Apollo's own request-level codes: safe to pass through. */
const APOLLO_CODES = [
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
] as const;

/** Every code a client can see other than INTERNAL_SERVER_ERROR; an error with any other code is masked. */
export const PASS_THROUGH_CODES: ReadonlySet<string> = new Set<string>([...OUR_CODES, ...APOLLO_CODES]);

/** A code a client can be shown: one of PASS_THROUGH_CODES, or INTERNAL_SERVER_ERROR for what was masked. */
export type ClientCode = ErrorCode | (typeof APOLLO_CODES)[number];

export function isClientCode(code: unknown): code is ClientCode {
  return typeof code === 'string' && (code === 'INTERNAL_SERVER_ERROR' || PASS_THROUGH_CODES.has(code));
}

/** How one error reaches the client: masked or not, with the code it sees and, for a Codat failure, that failure. */
export interface ClientErrorView {
  masked: boolean;
  code: ClientCode;
  upstream?: UpstreamError;
}

const MASKED: ClientErrorView = Object.freeze({ masked: true, code: 'INTERNAL_SERVER_ERROR' });

/** The Codat failure behind an error, whether thrown as is or wrapped by graphql-js around a resolver. */
function upstreamCause(error: unknown): UpstreamError | undefined {
  if (error instanceof UpstreamError) return error;
  const cause = error instanceof GraphQLError ? error.originalError : undefined;
  return cause instanceof UpstreamError ? cause : undefined;
}

/**
 * The masking rule, decided here only. `formatError` uses it to shape what leaves, and the request log
 * (src/apollo/graphql-observability.plugin.ts) to know which errors were masked, so their cause is logged.
 * - An `UpstreamError`, thrown anywhere: its typed code (codeForUpstream).
 * - An input rule that validation relabelled (our DateTime scalar rejects literals during validation,
 *   Apollo then calls the error GRAPHQL_VALIDATION_FAILED): BAD_USER_INPUT, the rule that fired.
 * - A code set by us or by Apollo (PASS_THROUGH_CODES): that code.
 * - Anything else is masked: a generic message and INTERNAL_SERVER_ERROR, the details only in our logs.
 *
 * `formattedCode` is the code Apollo put on the formatted error; by default the error's own.
 */
export function clientErrorView(
  error: unknown,
  formattedCode: unknown = error instanceof GraphQLError ? error.extensions.code : undefined,
): ClientErrorView {
  const upstream = upstreamCause(error);
  if (upstream) return { masked: false, code: codeForUpstream(upstream), upstream };
  const inner = error instanceof GraphQLError ? error.originalError : undefined;
  const innerCode = inner instanceof GraphQLError ? inner.extensions.code : undefined;
  const code = innerCode === 'BAD_USER_INPUT' ? innerCode : formattedCode;
  if (typeof code === 'string' && PASS_THROUGH_CODES.has(code)) return { masked: false, code: code as ClientCode };
  return MASKED;
}

/** An error the client sees masked (see clientErrorView); its cause belongs in our log. */
export function isMasked(error: unknown): boolean {
  return clientErrorView(error).masked;
}

/**
 * Apollo's `formatError`: the one place every error leaves through.
 * - An `UpstreamError` becomes its typed error.
 * - Errors with a code the client may see pass, minus any stack trace.
 * - Anything else is masked: the client sees a generic message and `INTERNAL_SERVER_ERROR`.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const base = { locations: formatted.locations, path: formatted.path };
  const view = clientErrorView(error, formatted.extensions?.code);
  if (view.upstream) {
    const typed = upstreamGraphQLError(view.upstream);
    return { ...base, message: typed.message, extensions: { ...typed.extensions } };
  }
  if (!view.masked) {
    const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
    return { ...base, message: formatted.message, extensions: { ...extensions, code: view.code } };
  }
  return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
