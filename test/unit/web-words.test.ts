import { describeError, entityFieldError, retryWords } from '../../web/src/page/error-words';
import { ageWords, isCompanyId, stateLabel, utcWords } from '../../web/src/page/sync-words';

// The web page's wording (web/src/page/error-words.ts, sync-words.ts): pure functions, run here as
// they run in the browser. test/browser/web-ui.browser.test.ts sees them on the page.

const NOW = Date.parse('2025-06-04T09:30:00Z');

describe("the page's words for the subgraph's errors", () => {
  it('says when to retry a RATE_LIMITED read', () => {
    const words = describeError(
      { message: 'Codat rate limit reached; retry later', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 90 } },
      NOW,
    );
    expect(words.summary).toBe("Codat's rate limit for this company was reached. Try again in 90 seconds (at 09:31:30 UTC).");
    expect(words.retryAfterSeconds).toBe(90);
    expect(retryWords(1, NOW)).toBe('in 1 second (at 09:30:01 UTC)');
  });

  it("passes Codat's message, reasons and correlation id on for support", () => {
    const words = describeError({
      message: 'Codat rejected the request: Date overlaps with a previous sync date range',
      extensions: {
        code: 'UPSTREAM_REJECTED',
        codatMessage: 'Date overlaps with a previous sync date range',
        validation: { errors: [{ itemId: 'dateRange', message: 'A overlaps B', validatorName: 'DateRangeOverlap' }], warnings: [] },
        upstream: {
          status: 400,
          correlationId: 'f5901a0bcd6417b415fd0000f8e9285e',
          codatMessage: 'Date overlaps with a previous sync date range',
        },
      },
    });
    expect(words).toEqual({
      code: 'UPSTREAM_REJECTED',
      summary: 'Codat refused the request: Date overlaps with a previous sync date range',
      codatMessage: 'Date overlaps with a previous sync date range',
      correlationId: 'f5901a0bcd6417b415fd0000f8e9285e',
      reasons: ['A overlaps B'],
    });
  });

  it.each([
    ['FORBIDDEN', 'Your token does not give access to this merchant, or does not allow this action. Ask for a token that covers it.'],
    [
      'UPSTREAM_UNAVAILABLE',
      'Codat is unavailable right now (the subgraph retried). Try again in a minute; if it lasts, quote the correlation id to Codat support.',
    ],
    [
      'UPSTREAM_AUTH_FAILED',
      "Codat refused the subgraph's own API key. The operator must check CODAT_API_KEY; nothing is wrong with your token.",
    ],
    ['NOT_FOUND', 'Codat knows no company with this id. Check the id in the Codat portal.'],
    ['INTERNAL_SERVER_ERROR', 'Something went wrong inside the subgraph. Its logs have the details.'],
  ])('%s reads as a sentence a person can act on', (code, summary) => {
    expect(describeError({ message: 'x', extensions: { code } }).summary).toBe(summary);
  });

  it("quotes the server's reason for UNAUTHENTICATED and points at the token field", () => {
    const words = describeError({ message: 'The token has expired', extensions: { code: 'UNAUTHENTICATED' } });
    expect(words.summary).toBe(
      'The subgraph did not accept your token: The token has expired. Paste a valid one in the Access token field above.',
    );
  });

  it('asks a caller without a token to sign in', () => {
    const words = describeError({ message: 'No credential: send a bearer token (Bearer <JWT>)', extensions: { code: 'UNAUTHENTICATED' } });
    expect(words.summary).toBe('Sign in first: this subgraph needs an access token. Paste yours in the Access token field above.');
  });

  it('says what a FORBIDDEN caller lacks: the write scope, another scope, the company, or a served tenant', () => {
    const forbidden = (message: string, extensions: Record<string, unknown>) =>
      describeError({ message, extensions: { code: 'FORBIDDEN', ...extensions } }).summary;
    expect(forbidden('This operation needs the commerce-sync:write scope', { requiredScope: 'commerce-sync:write' })).toBe(
      'Your token may look but not start syncs (it lacks the commerce-sync:write scope). Ask for a token that allows it.',
    );
    expect(forbidden('This operation needs the commerce-sync:read scope', { requiredScope: 'commerce-sync:read' })).toBe(
      'Your token lacks the commerce-sync:read scope this needs. Ask for a token that allows it.',
    );
    expect(forbidden('You may not access company x', { companyId: 'x' })).toBe(
      'Your token does not give access to this merchant. Ask for a token that covers it.',
    );
    expect(forbidden('Your credential is valid but names tenant "eu", which this subgraph does not serve', {})).toBe(
      'Your credential is valid but names tenant "eu", which this subgraph does not serve. Ask for a token of a tenant it serves.',
    );
  });

  it('says an open circuit is a short pause', () => {
    const words = describeError({
      message: 'Codat is failing; calls are paused for a short while',
      extensions: { code: 'UPSTREAM_UNAVAILABLE' },
    });
    expect(words.summary).toMatch(/^Codat has been failing, so the subgraph paused its calls/);
  });

  it("finds a row's field error by its `_entities` path, or the row's own error", () => {
    const errors = [
      { message: 'a', path: ['_entities', 1, 'commerceSyncStatus'] },
      { message: 'b', path: ['_entities', 2] },
    ];
    expect(entityFieldError(errors, 1, 'commerceSyncStatus')?.message).toBe('a');
    expect(entityFieldError(errors, 1, 'lastSuccessfulCommerceSync')).toBeUndefined();
    expect(entityFieldError(errors, 2, 'lastSuccessfulCommerceSync')?.message).toBe('b');
    expect(entityFieldError(errors, 0, 'commerceSyncStatus')).toBeUndefined();
  });
});

describe("the page's words for syncs", () => {
  it('labels states, a company that never synced included, and states added later', () => {
    expect(stateLabel('SUCCEEDED', 'id')).toBe('Succeeded');
    expect(stateLabel('UNKNOWN', null)).toBe('Never synced');
    expect(stateLabel('NOT_STARTED', 'id')).toBe('Not started');
    expect(stateLabel('PARTLY_DONE', 'id')).toBe('Partly done');
  });

  it('gives times in UTC and ages relative to now', () => {
    expect(utcWords('2025-06-04T00:12:41.183Z')).toBe('2025-06-04 00:12 UTC');
    expect(ageWords('2025-06-04T00:12:41.183Z', NOW)).toBe('9 hours ago');
    expect(ageWords('2025-06-03T00:12:41.183Z', NOW)).toBe('yesterday');
    expect(ageWords('2025-06-04T09:29:50.000Z', NOW)).toBe('just now');
    expect(ageWords('2025-05-01T00:00:00.000Z', NOW)).toBe('last month');
  });

  it('accepts Codat company ids (UUIDs) only', () => {
    expect(isCompanyId(' 3F1C2A9E-7B4D-4E8A-9C1F-5A2B6D8E0F11 ')).toBe(true);
    expect(isCompanyId('3f1c2a9e')).toBe(false);
  });
});
