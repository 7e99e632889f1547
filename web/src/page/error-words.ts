// Errors from the subgraph in words a support person would use, with what they need to act or to open
// a ticket: Codat's own message and its correlationId, when to retry. Pure: no DOM, no Apollo (the
// page turns Apollo's errors into `SubgraphError`s in apollo-errors.ts), so test/unit/web-words.test.ts
// runs it as is. The codes are the subgraph's `extensions.code` (README, "Errors").

/** One GraphQL error as the subgraph sends it. */
export interface SubgraphError {
  message: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

export interface ErrorWords {
  /** One sentence: what happened and what to do. */
  summary: string;
  /** Codat's own message, when it sent one. */
  codatMessage?: string;
  /** Codat's correlationId: what Codat support asks for. */
  correlationId?: string;
  /** Codat's validation messages (a refused sync request). */
  reasons: string[];
  /** When a retry makes sense, in seconds from now (RATE_LIMITED with Retry-After). */
  retryAfterSeconds?: number;
  /** The code, shown small for whoever reads logs. */
  code: string;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** "in 30 seconds (at 14:02:11 UTC)", from now. */
export function retryWords(seconds: number, nowMs: number): string {
  const at = new Date(nowMs + seconds * 1000).toISOString().slice(11, 19);
  const amount = seconds === 1 ? '1 second' : `${seconds} seconds`;
  return `in ${amount} (at ${at} UTC)`;
}

export function describeError(error: SubgraphError, nowMs: number = Date.now()): ErrorWords {
  const ext = record(error.extensions);
  const code = text(ext.code) ?? 'UNKNOWN';
  const upstream = record(ext.upstream);
  const codatMessage = text(ext.codatMessage) ?? text(upstream.codatMessage);
  const correlationId = text(upstream.correlationId);
  const validation = record(ext.validation);
  const reasons = Array.isArray(validation.errors)
    ? validation.errors.flatMap((item: unknown) => {
        const message = text(record(item).message);
        return message ? [message] : [];
      })
    : [];
  const retryAfterSeconds = typeof ext.retryAfterSeconds === 'number' ? ext.retryAfterSeconds : undefined;
  const base = { code, reasons, ...(codatMessage && { codatMessage }), ...(correlationId && { correlationId }) };

  switch (code) {
    case 'UPSTREAM_UNAVAILABLE':
      return {
        ...base,
        summary: /paused/.test(error.message)
          ? 'Codat has been failing, so the subgraph paused its calls for a few seconds. Try again shortly.'
          : 'Codat is unavailable right now (the subgraph retried). Try again in a minute; if it lasts, quote the correlation id to Codat support.',
      };
    case 'UPSTREAM_TIMEOUT':
      return {
        ...base,
        summary: 'Codat did not answer in time. Try again; if it keeps happening, quote the correlation id to Codat support.',
      };
    case 'RATE_LIMITED':
      return {
        ...base,
        ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
        summary:
          retryAfterSeconds !== undefined
            ? `Codat's rate limit for this company was reached. Try again ${retryWords(retryAfterSeconds, nowMs)}.`
            : "Codat's rate limit for this company was reached. Wait a little, then try again.",
      };
    case 'FORBIDDEN':
      return { ...base, summary: forbiddenWords(error.message, ext) };
    case 'UNAUTHENTICATED':
      // The server says "No credential: ..." when none was sent (src/auth/authenticate.ts).
      return {
        ...base,
        summary: /^No credential/.test(error.message)
          ? 'Sign in first: this subgraph needs an access token. Paste yours in the Access token field above.'
          : `The subgraph did not accept your token: ${sentence(error.message)} Paste a valid one in the Access token field above.`,
      };
    case 'NOT_FOUND':
      return { ...base, summary: 'Codat knows no company with this id. Check the id in the Codat portal.' };
    case 'UPSTREAM_REJECTED':
      return { ...base, summary: `Codat refused the request${codatMessage ? `: ${codatMessage}` : '.'}` };
    case 'UPSTREAM_AUTH_FAILED':
      return {
        ...base,
        summary: "Codat refused the subgraph's own API key. The operator must check CODAT_API_KEY; nothing is wrong with your token.",
      };
    case 'UPSTREAM_ACCOUNT_LIMIT':
      return { ...base, summary: `Codat says an account limit was reached${codatMessage ? `: ${codatMessage}` : '.'}` };
    case 'UPSTREAM_BAD_RESPONSE':
      return {
        ...base,
        summary: 'Codat sent an answer the subgraph could not read. Try again; if it lasts, quote the correlation id to Codat support.',
      };
    case 'BAD_USER_INPUT':
      return { ...base, summary: error.message };
    case 'QUERY_TOO_COMPLEX':
      return { ...base, summary: 'Too many merchants for one request. Remove some from the list.' };
    case 'INTERNAL_SERVER_ERROR':
      return { ...base, summary: 'Something went wrong inside the subgraph. Its logs have the details.' };
    default:
      return { ...base, summary: error.message };
  }
}

/** The server's message as one sentence, ending with a full stop. */
function sentence(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}

/**
 * FORBIDDEN says what the caller lacks (src/auth/caller.ts, requireAccess): a scope
 * (`extensions.requiredScope`), a company (`extensions.companyId`), or a tenant this subgraph does not serve.
 */
function forbiddenWords(message: string, ext: Record<string, unknown>): string {
  const scope = text(ext.requiredScope);
  if (scope) {
    return /write/.test(scope)
      ? `Your token may look but not start syncs (it lacks the ${scope} scope). Ask for a token that allows it.`
      : `Your token lacks the ${scope} scope this needs. Ask for a token that allows it.`;
  }
  if (text(ext.companyId)) return 'Your token does not give access to this merchant. Ask for a token that covers it.';
  if (/tenant/.test(message)) return `${sentence(message)} Ask for a token of a tenant it serves.`;
  return 'Your token does not give access to this merchant, or does not allow this action. Ask for a token that covers it.';
}

/** The error of one field of one `_entities` row, if any: path ['_entities', index, field]. */
export function entityFieldError(errors: readonly SubgraphError[], index: number, field: string): SubgraphError | undefined {
  return errors.find((e) => e.path?.[0] === '_entities' && e.path[1] === index && (e.path[2] === field || e.path.length === 2));
}
