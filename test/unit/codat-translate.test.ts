import { outcomeUnknown, type UpstreamErrorDetails } from '../../src/codat/codat.errors';
import { parseSyncStatus } from '../../src/codat/codat.parse';
import {
  DEADLINE_EXCEEDED,
  deadlineSpentWaiting,
  neverStarted,
  readRateLimit,
  refusedByCircuit,
  translate,
  type AnswerHeaders,
  type AttemptOf,
  type Exchange,
} from '../../src/codat/codat.translate';

const now = Date.parse('2025-06-01T12:00:00Z');
const get: AttemptOf = { operation: 'get-sync-status', method: 'GET', path: '/meta/companies/c/sync/commerce/status', attempt: 2 };
const post: AttemptOf = { operation: 'request-sync', method: 'POST', path: '/companies/c/sync/commerce/latest', attempt: 1 };

const answered = (status: number, body: unknown, headers: AnswerHeaders = {}): Exchange => ({ answered: true, status, body, headers });
const noAnswer = (code: string | undefined, timedOut = false): Exchange => ({ answered: false, code, timedOut });

function failure(exchange: Exchange, of: AttemptOf = get): UpstreamErrorDetails {
  const result = translate(exchange, of, parseSyncStatus, now);
  if (result.ok) throw new Error('expected a failure');
  return result.error.details;
}

describe('translate: what an attempt came to, as a value or an UpstreamError', () => {
  it('reads a 2xx JSON body that has the spec’s shape', () => {
    const result = translate(answered(200, '{"syncStatusCode":"2000","dataPushed":true}'), get, parseSyncStatus, now);
    expect(result).toEqual({ ok: true, status: 200, value: { syncStatusCode: 2000, dataPushed: true } });
  });

  it.each([
    ['a non-JSON 2xx', answered(200, '<html>'), 'body is not JSON'],
    ['a 2xx of the wrong shape', answered(200, '{"syncStatusCode":"soon"}'), 'SyncStatus.syncStatusCode is missing or not an integer'],
  ])('%s is a bad response', (_name, exchange, problem) => {
    expect(failure(exchange)).toMatchObject({
      kind: 'bad-response',
      status: 200,
      codatMessage: problem,
      attempts: 2,
      mayHaveReachedUpstream: true,
    });
  });

  it('an error status carries Codat’s ErrorMessage and Retry-After', () => {
    const body = JSON.stringify({ statusCode: 429, error: 'Too many', correlationId: 'abc123', validation: { errors: [] } });
    expect(failure(answered(429, body, { retryAfter: '7' }))).toEqual({
      kind: 'http',
      operation: 'get-sync-status',
      method: 'GET',
      path: get.path,
      attempts: 2,
      status: 429,
      correlationId: 'abc123',
      codatMessage: 'Too many',
      validation: { errors: [] },
      retryAfterSeconds: 7,
      mayHaveReachedUpstream: true,
    });
  });

  it('an error status with a body that is not Codat’s (a proxy’s HTML) is still an http error', () => {
    expect(failure(answered(503, '<html>busy</html>'))).toMatchObject({ kind: 'http', status: 503, correlationId: undefined });
  });

  it.each([
    ['our timer fired', 'timeout', 'ETIMEDOUT', true, noAnswer('ERR_CANCELED', true)],
    ['the OS timed out', 'timeout', 'ETIMEDOUT', true, noAnswer('ETIMEDOUT')],
    ['undici timed out connecting', 'timeout', 'ETIMEDOUT', true, noAnswer('UND_ERR_CONNECT_TIMEOUT')],
    ['a reset', 'network', 'ECONNRESET', true, noAnswer('ECONNRESET')],
    ['undici’s “other side closed”', 'network', 'ECONNRESET', true, noAnswer('UND_ERR_SOCKET')],
    ['an expired certificate', 'network', 'CERT_HAS_EXPIRED', true, noAnswer('CERT_HAS_EXPIRED')],
    ['a refused connection', 'network', 'ECONNREFUSED', false, noAnswer('ECONNREFUSED')],
    ['a name that does not resolve', 'network', 'ENOTFOUND', false, noAnswer('ENOTFOUND')],
    ['a DNS failure that may pass', 'network', 'EAI_AGAIN', false, noAnswer('EAI_AGAIN')],
    ['an error without a code', 'network', 'UNKNOWN', true, noAnswer(undefined)],
  ] as const)('no answer because %s: %s (%s)', (_name, kind, networkCode, mayHaveReachedUpstream, exchange) => {
    const { operation, method, path, attempt } = get;
    expect(failure(exchange)).toEqual({ operation, method, path, attempts: attempt, kind, networkCode, mayHaveReachedUpstream });
  });

  it('carries Codat’s quota headers on answers, failed ones included', () => {
    const headers = { rateLimitLimit: '2000', rateLimitRemaining: '17', rateLimitReset: '1748822400' };
    expect(translate(answered(429, '{}', headers), get, parseSyncStatus, now).rateLimit).toEqual({
      limit: 2000,
      remaining: 17,
      resetAtMs: 1748822400_000,
    });
    expect(translate(answered(200, '{"syncStatusCode":2000}'), get, parseSyncStatus, now).rateLimit).toBeUndefined();
  });

  it('builds errors from plain values only', () => {
    const details = failure(answered(401, '{"error":"Unauthorized"}', { retryAfter: '1' }));
    expect(Object.values(details).every((v) => v === undefined || v === null || typeof v !== 'object' || !('headers' in v))).toBe(true);
    expect(JSON.stringify(details)).not.toMatch(/authorization|headers|config/i);
  });
});

describe('attempts that never started', () => {
  it('a circuit refusal and a deadline spent in the queue count only the attempts before them', () => {
    expect(refusedByCircuit(get).details).toMatchObject({ kind: 'circuit-open', attempts: 1, mayHaveReachedUpstream: false });
    expect(deadlineSpentWaiting(get).details).toMatchObject({
      kind: 'timeout',
      attempts: 1,
      networkCode: DEADLINE_EXCEEDED,
      mayHaveReachedUpstream: false,
    });
    expect(neverStarted(refusedByCircuit(get))).toBe(true);
    expect(neverStarted(deadlineSpentWaiting(get))).toBe(true);
    const timedOut = translate(noAnswer(undefined, true), get, parseSyncStatus, now);
    expect(!timedOut.ok && neverStarted(timedOut.error)).toBe(false);
  });
});

describe('readRateLimit', () => {
  it.each([
    ['Unix seconds', '1748822400', 1748822400_000],
    ['Unix milliseconds', '1748822400000', 1748822400_000],
    ['seconds from now', '60', now + 60_000],
    ['an HTTP date', 'Mon, 02 Jun 2025 00:00:00 GMT', Date.parse('2025-06-02T00:00:00Z')],
    ['an ISO date', '2025-06-02T00:00:00Z', Date.parse('2025-06-02T00:00:00Z')],
    ['something else', 'tomorrow-ish', undefined],
  ])('reads a reset given as %s', (_name, reset, resetAtMs) => {
    expect(readRateLimit({ rateLimitReset: reset, rateLimitRemaining: '5' }, now)).toEqual({ limit: undefined, remaining: 5, resetAtMs });
  });

  it('is undefined when the answer carries none of the headers, and ignores counts that are not whole numbers', () => {
    expect(readRateLimit({}, now)).toBeUndefined();
    expect(readRateLimit({ rateLimitRemaining: '-1', rateLimitLimit: 'lots' }, now)).toBeUndefined();
  });
});

describe('outcomeUnknown', () => {
  it('holds for a POST sent and never answered, and for nothing else', () => {
    expect(outcomeUnknown(failure(noAnswer(undefined, true), post))).toBe(true);
    expect(outcomeUnknown(failure(noAnswer('ECONNRESET'), post))).toBe(true);
    expect(outcomeUnknown(failure(noAnswer('ECONNREFUSED'), post))).toBe(false);
    expect(outcomeUnknown(failure(answered(500, '{}'), post))).toBe(false);
    expect(outcomeUnknown(failure(noAnswer(undefined, true), get))).toBe(false);
  });
});
