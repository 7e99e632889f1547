import { GraphQLError } from 'graphql';

import { UpstreamError, type UpstreamErrorDetails } from '../../src/codat/codat.errors';
import { codeForUpstream, formatError, staleReadError, upstreamGraphQLError } from '../../src/errors';

const base = { operation: 'get-sync-status', method: 'GET', path: '/meta/companies/x/sync/commerce/status', attempts: 1 };
const upstream = (details: Partial<UpstreamErrorDetails>): UpstreamError => new UpstreamError({ kind: 'http', ...base, ...details });

describe('the upstream error table', () => {
  it.each([
    [{ status: 400 }, 'UPSTREAM_REJECTED'],
    [{ status: 401 }, 'UPSTREAM_AUTH_FAILED'],
    [{ status: 402 }, 'UPSTREAM_ACCOUNT_LIMIT'],
    [{ status: 403 }, 'UPSTREAM_AUTH_FAILED'],
    [{ status: 404 }, 'NOT_FOUND'],
    [{ status: 408 }, 'UPSTREAM_TIMEOUT'],
    [{ status: 409 }, 'UPSTREAM_REJECTED'],
    [{ status: 422 }, 'UPSTREAM_REJECTED'],
    [{ status: 429 }, 'RATE_LIMITED'],
    [{ status: 500 }, 'UPSTREAM_UNAVAILABLE'],
    [{ status: 503 }, 'UPSTREAM_UNAVAILABLE'],
    [{ status: 302 }, 'UPSTREAM_BAD_RESPONSE'],
    [{ kind: 'timeout' }, 'UPSTREAM_TIMEOUT'],
    [{ kind: 'network', networkCode: 'ECONNRESET' }, 'UPSTREAM_UNAVAILABLE'],
    [{ kind: 'circuit-open' }, 'UPSTREAM_UNAVAILABLE'],
    [{ kind: 'bad-response', status: 200 }, 'UPSTREAM_BAD_RESPONSE'],
    [{ kind: 'rate-limited', limitedBy: 'daily-quota', retryAfterSeconds: 60 }, 'RATE_LIMITED'],
  ] as const)('%p → %s', (details, code) => {
    expect(codeForUpstream(upstream(details))).toBe(code);
  });

  it("carries Codat's correlationId, status and attempts; its message and validation for 400/409", () => {
    const validation = { errors: [{ itemId: 'syncTo', message: 'in the future', validatorName: 'date' }], warnings: [] };
    const error = upstreamGraphQLError(upstream({ status: 400, correlationId: 'abc', codatMessage: 'Bad date', validation, attempts: 1 }));
    expect(error.extensions).toEqual({
      code: 'UPSTREAM_REJECTED',
      upstream: {
        operation: 'get-sync-status',
        status: 400,
        correlationId: 'abc',
        attempts: 1,
        codatMessage: 'Bad date',
        networkCode: null,
      },
      codatMessage: 'Bad date',
      validation,
    });
  });

  it("carries Codat's own message in extensions.upstream for a 5xx too, where the top-level message stays ours", () => {
    const error = upstreamGraphQLError(
      upstream({ status: 503, correlationId: 'def', codatMessage: 'Offline for maintenance', attempts: 4 }),
    );
    expect(error.message).not.toContain('maintenance');
    expect(error.extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      upstream: { status: 503, correlationId: 'def', codatMessage: 'Offline for maintenance' },
    });
  });

  it('names the network code when no answer came, in extensions.upstream and the message', () => {
    const error = upstreamGraphQLError(upstream({ kind: 'network', networkCode: 'ENOTFOUND', attempts: 4 }));
    expect(error.extensions.upstream).toEqual({
      operation: 'get-sync-status',
      status: null,
      correlationId: null,
      attempts: 4,
      codatMessage: null,
      networkCode: 'ENOTFOUND',
    });
    expect(error.message).toBe('Codat is unavailable (get-sync-status: ENOTFOUND)');
  });

  describe("UPSTREAM_REJECTED's message carries Codat's reason", () => {
    const post = { operation: 'request-sync', method: 'POST', path: '/companies/x/sync/commerce/latest' };
    const item = (message: string) => ({ itemId: 'syncTo', message, validatorName: 'DateRange' });
    it.each<[string, Partial<UpstreamErrorDetails>, string]>([
      [
        'the validation message in place of a generic error',
        { codatMessage: 'The request is not valid.', validation: { errors: [item('syncTo must be later than 2025-06-04.')] } },
        'Codat rejected the sync request: syncTo must be later than 2025-06-04.',
      ],
      [
        "the spec's own generic wording",
        { codatMessage: 'Error processing request - not valid.', validation: { errors: [item('a'), item('b')] } },
        'Codat rejected the sync request: a; b',
      ],
      [
        'a specific error, then its validation',
        { codatMessage: 'Date overlaps with a previous sync date range', validation: { errors: [item('Jan overlaps Jan.')] } },
        'Codat rejected the sync request: Date overlaps with a previous sync date range: Jan overlaps Jan.',
      ],
      [
        'the error alone without validation',
        { codatMessage: 'Sync is not configured' },
        'Codat rejected the sync request: Sync is not configured',
      ],
      [
        'a generic error alone, as it is',
        { codatMessage: 'The request is not valid.' },
        'Codat rejected the sync request: The request is not valid',
      ],
      ['nothing when Codat said nothing', {}, 'Codat rejected the sync request'],
      [
        'at most three reasons',
        { codatMessage: 'Bad request', validation: { errors: ['1', '2', '3', '4', '5'].map(item) } },
        'Codat rejected the sync request: 1; 2; 3 (and 2 more)',
      ],
    ])('%s', (_name, details, message) => {
      const error = upstreamGraphQLError(upstream({ ...post, status: 400, ...details }));
      expect(error.message).toBe(message);
      expect(error.extensions).toMatchObject({ code: 'UPSTREAM_REJECTED', codatMessage: details.codatMessage ?? null });
    });

    it('names the operation of a rejected read', () => {
      expect(upstreamGraphQLError(upstream({ status: 409, codatMessage: 'Still syncing' })).message).toBe(
        'Codat rejected the request (get-sync-status): Still syncing',
      );
    });
  });

  it('adds retryAfterSeconds to RATE_LIMITED', () => {
    expect(upstreamGraphQLError(upstream({ status: 429, retryAfterSeconds: 30, attempts: 4 })).extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 30,
      upstream: { attempts: 4 },
    });
  });

  it('serialises an UpstreamError as plain details, with no stack', () => {
    const json = JSON.stringify(upstream({ status: 500 }));
    expect(JSON.parse(json)).toMatchObject({ name: 'UpstreamError', kind: 'http', status: 500 });
    expect(json).not.toContain('stack');
  });
});

describe('formatError', () => {
  it('masks anything unexpected', () => {
    const error = new GraphQLError('connect ECONNREFUSED with Authorization: Basic abc', {
      originalError: new TypeError('x is undefined'),
    });
    expect(formatError({ message: error.message, extensions: { code: 'SOMETHING' } }, error)).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
      locations: undefined,
      path: undefined,
    });
  });

  it('drops a stack trace from known codes', () => {
    const formatted = formatError(
      { message: 'bad', extensions: { code: 'BAD_USER_INPUT', stacktrace: ['Error: bad', '    at x.ts:1:1'] } },
      new GraphQLError('bad'),
    );
    expect(formatted.extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });

  it('turns an UpstreamError into its typed error', () => {
    const formatted = formatError(
      { message: 'x' },
      new GraphQLError('x', { originalError: upstream({ status: 404 }), path: ['commerceSyncStatus'] }),
    );
    expect(formatted.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('calls our own limits held back, and stale reads', () => {
  it('say which limit held the call back, with retryAfterSeconds and no attempt', () => {
    const quota = upstreamGraphQLError(upstream({ kind: 'rate-limited', limitedBy: 'daily-quota', retryAfterSeconds: 3600, attempts: 0 }));
    expect(quota.message).toBe("Codat's daily quota is nearly spent; reads are held back until it resets");
    expect(quota.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 3600, upstream: { attempts: 0 } });
    const minute = upstreamGraphQLError(upstream({ kind: 'rate-limited', limitedBy: 'per-minute', retryAfterSeconds: 12 }));
    expect(minute.message).toBe('Too many Codat calls this minute; retry later');
  });

  it("report a stale field with the failure's code, stale: true and its age in whole seconds", () => {
    const entry = staleReadError(['a', 'commerceSyncStatus'], upstream({ status: 503 }), 61_900);
    expect(entry).toEqual({
      message: 'Answered from a copy 61 s old: Codat is unavailable (get-sync-status)',
      path: ['a', 'commerceSyncStatus'],
      extensions: expect.objectContaining({
        code: 'UPSTREAM_UNAVAILABLE',
        stale: true,
        ageSeconds: 61,
        upstream: expect.objectContaining({ status: 503 }),
      }),
    });
  });
});
