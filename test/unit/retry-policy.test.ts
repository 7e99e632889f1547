import { parseRetryAfter } from '../../src/codat/retry-after';
import { loadConfig } from '../../src/config';
import { backoffMs, planRetry, shouldRetry, type AttemptFailure } from '../../src/codat/retry';

/** The shipped backoff (config.ts): Codat's SDK policy. */
const BACKOFF = loadConfig({}).codatBackoff;

const http = (status: number, retryAfterSeconds?: number): AttemptFailure => ({
  kind: 'http',
  status,
  mayHaveReachedUpstream: true,
  retryAfterSeconds,
});
const timeout: AttemptFailure = { kind: 'timeout', mayHaveReachedUpstream: true };
const reset: AttemptFailure = { kind: 'network', mayHaveReachedUpstream: true };
const refused: AttemptFailure = { kind: 'network', mayHaveReachedUpstream: false };
const badBody: AttemptFailure = { kind: 'bad-response', status: 200, mayHaveReachedUpstream: true };
const circuitOpen: AttemptFailure = { kind: 'circuit-open', mayHaveReachedUpstream: false };

describe('shouldRetry', () => {
  it.each([
    ['408', http(408), true],
    ['429', http(429), true],
    ['500', http(500), true],
    ['502', http(502), true],
    ['503', http(503), true],
    ['a timeout', timeout, true],
    ['a reset', reset, true],
    ['a refused connection', refused, true],
    ['400', http(400), false],
    ['401', http(401), false],
    ['402', http(402), false],
    ['403', http(403), false],
    ['404', http(404), false],
    ['409', http(409), false],
    ['an unreadable 2xx', badBody, false],
    ['an open circuit', circuitOpen, false],
  ])('retries a GET after %s: %p', (_name, failure, expected) => {
    expect(shouldRetry('GET', failure, 1, 3)).toBe(expected);
  });

  it.each([
    ['500', http(500)],
    ['503', http(503)],
    ['429', http(429)],
    ['a timeout', timeout],
    ['a reset', reset],
  ])('never resends a POST that may have reached Codat (%s)', (_name, failure) => {
    expect(shouldRetry('POST', failure, 1, 3)).toBe(false);
  });

  it('resends a POST only when the connection was refused before anything was sent', () => {
    expect(shouldRetry('POST', refused, 1, 3)).toBe(true);
    expect(shouldRetry('post', refused, 1, 3)).toBe(true);
  });

  it('allows at most maxRetries retries', () => {
    expect([1, 2, 3, 4].map((attempt) => shouldRetry('GET', http(500), attempt, 3))).toEqual([true, true, true, false]);
    expect(shouldRetry('GET', http(500), 1, 0)).toBe(false);
  });
});

describe('backoffMs', () => {
  const low = () => 0;
  const high = () => 1;

  it("starts near Codat's SDK interval of 500 ms and grows by 1.5, with half of each wait jittered", () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, undefined, low, BACKOFF))).toEqual([250, 375, 563, 844]);
    expect([1, 2, 3, 4].map((a) => backoffMs(a, undefined, high, BACKOFF))).toEqual([500, 750, 1125, 1688]);
  });

  it('is capped at maxDelayMs', () => {
    expect(backoffMs(30, undefined, high, BACKOFF)).toBe(BACKOFF.maxDelayMs);
    expect(backoffMs(30, undefined, low, BACKOFF)).toBe(BACKOFF.maxDelayMs / 2);
  });

  it('never waits less than Retry-After asks', () => {
    expect(backoffMs(1, 3, low, BACKOFF)).toBe(3000);
    expect(backoffMs(1, 0, low, BACKOFF)).toBe(250);
  });

  it('takes its figures from the options and tolerates a bad random source', () => {
    const options = { baseDelayMs: 20, factor: 2, maxDelayMs: 1000 };
    expect(backoffMs(3, undefined, () => 0.5, options)).toBe(60);
    expect(backoffMs(1, undefined, () => Number.NaN, options)).toBe(10);
    expect(backoffMs(1, undefined, () => 7, options)).toBe(20);
  });
});

describe('planRetry', () => {
  const base = { method: 'GET', attempt: 1, maxRetries: 3, remainingMs: 10_000, minAttemptMs: 250, random: () => 0, backoff: BACKOFF };

  it('gives the backoff when a retry fits before the deadline', () => {
    expect(planRetry({ ...base, failure: http(503) })).toBe(250);
  });

  it('gives up when the wait and a minimal attempt would run past the deadline', () => {
    expect(planRetry({ ...base, failure: http(503), remainingMs: 499 })).toBeUndefined();
    expect(planRetry({ ...base, failure: http(503), remainingMs: 500 })).toBe(250);
  });

  it('answers a 429 at once when its Retry-After is longer than any wait we would make', () => {
    expect(planRetry({ ...base, failure: http(429, 60) })).toBeUndefined();
    expect(planRetry({ ...base, failure: http(429, 2) })).toBe(2000);
  });

  it('does not retry what shouldRetry refuses', () => {
    expect(planRetry({ ...base, failure: http(404) })).toBeUndefined();
    expect(planRetry({ ...base, method: 'POST', failure: http(500) })).toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');
  it.each([
    ['7', 7],
    [' 0 ', 0],
    ['Sun, 01 Jun 2025 12:00:30 GMT', 30],
    ['Sun, 01 Jun 2025 11:59:00 GMT', 0],
    ['soon', undefined],
    ['-3', undefined],
    [undefined, undefined],
  ])('reads %p as %p seconds', (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});
