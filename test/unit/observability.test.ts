import { GraphQLError } from 'graphql';
import { pino } from 'pino';

import { UpstreamError } from '../../src/codat/codat.errors';
import { createLogger, isoTimestamp, writePlainLine, type PlainJson } from '../../src/observability/logger';
import { createObservability } from '../../src/observability/observability';
import { isMasked as isUnexpected } from '../../src/errors';
import { statusLabel } from '../../src/observability/codat-hooks';
import { OperationLabels } from '../../src/observability/operation-label';
import { RequestOrigin } from '../../src/observability/request-origin';
import { captureLogs, sampleValue } from '../support/observability';

describe('operation name labels', () => {
  it('keeps validated names, marks anonymous and invalid ones, and caps distinct names', () => {
    const labels = new OperationLabels(2);
    expect(labels.label('Dashboard', true)).toBe('Dashboard');
    expect(labels.label(undefined, true)).toBe('anonymous');
    expect(labels.label('Dashboard', false)).toBe('invalid');
    expect(labels.label('History', true)).toBe('History');
    expect(labels.label('Invented1', true)).toBe('other');
    expect(labels.label('Dashboard', true)).toBe('Dashboard');
    expect(labels.label('x'.repeat(200), true)).toBe('other');
    expect(new OperationLabels().label('y'.repeat(200), true)).toHaveLength(64);
  });
});

describe('Codat attempt hooks', () => {
  it('label the status with the HTTP code, or the failure kind when Codat never answered', () => {
    expect(statusLabel({ status: 503, outcome: 'http' })).toBe('503');
    expect(statusLabel({ status: undefined, outcome: 'timeout' })).toBe('timeout');
    expect(statusLabel({ status: undefined, outcome: 'network' })).toBe('network');
  });

  it('count every attempt after the first as a retry', async () => {
    const { codatHooks, metrics } = createObservability({ logLevel: 'silent' });
    const base = { operation: 'list-syncs', method: 'GET', path: '/companies/x/sync/commerce/syncs/list/status' } as const;
    codatHooks.onAttempt?.({ ...base, attempt: 1, status: 503, durationMs: 12, outcome: 'http' });
    codatHooks.onAttempt?.({ ...base, attempt: 2, durationMs: 300, outcome: 'timeout' });
    codatHooks.onAttempt?.({ ...base, attempt: 3, status: 200, durationMs: 8, outcome: 'ok' });
    const text = await metrics.registry.metrics();
    expect(sampleValue(text, 'codat_retries_total', { operation: 'list-syncs' })).toBe(2);
    expect(sampleValue(text, 'codat_requests_total', { operation: 'list-syncs', status: '503' })).toBe(1);
    expect(sampleValue(text, 'codat_requests_total', { operation: 'list-syncs', status: 'timeout' })).toBe(1);
    expect(sampleValue(text, 'codat_requests_total', { operation: 'list-syncs', status: '200' })).toBe(1);
  });

  it('keep one registry per instance, so two servers in one process do not clash', async () => {
    const one = createObservability({ logLevel: 'silent' });
    const two = createObservability({ logLevel: 'silent' });
    one.onBatch('syncStatus', 3);
    expect(sampleValue(await one.metrics.registry.metrics(), 'dataloader_batch_size_count', { loader: 'syncStatus' })).toBe(1);
    expect(sampleValue(await two.metrics.registry.metrics(), 'dataloader_batch_size_count', { loader: 'syncStatus' })).toBeUndefined();
  });
});

describe('unexpected errors (logged with their cause, masked for the client)', () => {
  it('are those with no code that are not upstream failures', () => {
    const upstream = new UpstreamError({
      kind: 'http',
      status: 404,
      operation: 'get-sync-status',
      method: 'GET',
      path: '/x',
      attempts: 1,
      mayHaveReachedUpstream: true,
    });
    expect(isUnexpected(new GraphQLError('boom', { originalError: new TypeError('x is undefined') }))).toBe(true);
    expect(isUnexpected(new GraphQLError('404', { originalError: upstream }))).toBe(false);
    expect(
      isUnexpected(new GraphQLError('bad', { originalError: new GraphQLError('bad', { extensions: { code: 'BAD_USER_INPUT' } }) })),
    ).toBe(false);
    expect(isUnexpected(new GraphQLError('parse', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } }))).toBe(false);
  });
});

describe('log redaction', () => {
  it('censors the secret keys at the top level, one level down (line or child bindings) and under req/config headers', () => {
    const logs = captureLogs();
    const logger = createLogger({ level: 'info', destination: logs.destination });
    const line = { event: 'plain', errorCodes: ['NOT_FOUND'], durationMs: 1.5, nested: { keep: 'me' } };
    logger.info(line, 'untouched');
    logger.info(
      { apiKey: 'k1', client: { apiKey: 'k2', codatApiKey: 'k3', keep: 'yes' }, headers: { authorization: 'Basic k4' } },
      'one down',
    );
    logger.info({ req: { headers: { authorization: 'Basic k5' } }, config: { headers: { Authorization: 'Basic k6' } } }, 'headers');
    logger.child({ upstream: { Authorization: 'Basic k7' } }).info('child bindings');

    const [untouched, oneDown, headers, child] = logs.lines();
    expect(untouched).toMatchObject({ ...line, msg: 'untouched' });
    expect(oneDown).toMatchObject({ apiKey: '[redacted]', client: { apiKey: '[redacted]', codatApiKey: '[redacted]', keep: 'yes' } });
    expect(oneDown?.headers).toEqual({ authorization: '[redacted]' });
    expect(headers).toMatchObject({
      req: { headers: { authorization: '[redacted]' } },
      config: { headers: { Authorization: '[redacted]' } },
    });
    expect(child).toMatchObject({ upstream: { Authorization: '[redacted]' } });
    expect(logs.raw.join('')).not.toMatch(/k[1-7]/);
  });

  it("censors callers' credentials and a tenants dump's Codat keys two levels down, and the HS256 secret of a config dump", () => {
    const logs = captureLogs();
    const logger = createLogger({ level: 'info', destination: logs.destination });
    logger.info(
      {
        token: 't1',
        'x-api-key': 't2',
        req: { headers: { 'x-api-key': 't3', token: 't4' } },
        codatTenants: { acme: { apiKey: 't5', baseUrl: 'https://acme.example' } },
        auth: { jwt: { hs256Secret: 't6' } },
        payload: { token: 't7' },
      },
      'careless',
    );
    const [line] = logs.lines();
    expect(line).toMatchObject({
      token: '[redacted]',
      'x-api-key': '[redacted]',
      req: { headers: { 'x-api-key': '[redacted]', token: '[redacted]' } },
      codatTenants: { acme: { apiKey: '[redacted]', baseUrl: 'https://acme.example' } },
      auth: { jwt: { hs256Secret: '[redacted]' } },
      payload: { token: '[redacted]' },
    });
    expect(logs.raw.join('')).not.toMatch(/t[1-7]"/);
  });

  it('leaves the logged object itself as it was', () => {
    const logger = createLogger({ level: 'info', destination: captureLogs().destination });
    const given = { client: { apiKey: 'k1' } };
    logger.info(given, 'line');
    expect(given).toEqual({ client: { apiKey: 'k1' } });
  });
});

describe('log timestamps', () => {
  it('are what pino.stdTimeFunctions.isoTime writes, to the millisecond', () => {
    const instants = [0, 1, 999, 1000, 1_764_612_345_006, 1_764_612_345_060, 1_764_612_345_600, 1_764_612_345_999, Date.now()];
    for (const now of instants) expect(isoTimestamp(now)).toBe(`,"time":"${new Date(now).toISOString()}"`);
    // Back and forth across a second boundary.
    for (const now of [5_000_999, 5_001_000, 5_000_999]) expect(isoTimestamp(now)).toBe(`,"time":"${new Date(now).toISOString()}"`);
  });
});

describe('the access line', () => {
  it("is the text the request's child logger would write, without the child", () => {
    const capture = captureLogs();
    const logger = createLogger({ level: 'info', destination: capture.destination });
    const line = { event: 'graphql.request', operationName: null, outcome: 'ok', errorCodes: [], durationMs: 1.5 };
    logger.child({ requestId: 'req-1' }).info(line, 'graphql request');
    logger.info({ requestId: 'req-1', ...line }, 'graphql request');
    const [fromChild, fromService] = capture.raw.map((text) => text.replace(/"time":"[^"]+"/, '"time":"T"'));
    expect(fromService).toBe(fromChild);
    expect(fromChild).toContain('"service":"codat-commerce-subgraph","requestId":"req-1","event":"graphql.request"');
  });

  it('is written as plain JSON with the same text pino writes for the same fields', () => {
    const capture = captureLogs();
    const logger = createLogger({ level: 'info', destination: capture.destination });
    const child = logger.child({ requestId: 'req-3', tenant: 'acme' });
    const lines: Record<string, PlainJson>[] = [
      {
        requestId: 'req-1',
        event: 'graphql.request',
        operationName: null,
        operationType: 'query',
        outcome: 'ok',
        errorCodes: [],
        durationMs: 1.5,
      },
      {
        operationName: 'Say "hi"\\ back\nnow\t\u0001',
        outcome: 'BAD_USER_INPUT',
        errorCodes: ['BAD_USER_INPUT', 'FORBIDDEN'],
        durationMs: 0,
      },
      {
        operationName: 'Tâche ✓ 同步 😀',
        count: -3,
        ratio: Number.NaN,
        big: Number.POSITIVE_INFINITY,
        ok: true,
        off: false,
        nested: [['a'], [1, null]],
      },
      {},
    ];
    for (const target of [logger, child])
      for (const fields of lines)
        for (const level of ['info', 'warn'] as const) {
          capture.raw.length = 0;
          target[level](fields, 'graphql request');
          writePlainLine(target, level, fields, 'graphql request');
          const [fromPino, plain] = capture.raw.map((text) => text.replace(/"time":"[^"]+"/, '"time":"T"'));
          expect(plain).toBe(fromPino);
        }
    // A level the logger does not write: nothing.
    capture.raw.length = 0;
    writePlainLine(createLogger({ level: 'warn', destination: capture.destination }), 'info', lines[0]!, 'graphql request');
    expect(capture.raw).toEqual([]);
  });

  it("goes through pino itself to a stream that asks for pino's per-line metadata", () => {
    const capture = captureLogs();
    const stream = pino.multistream([{ stream: capture.destination, level: 'info' }]);
    const logger = createLogger({ level: 'info', destination: stream });
    writePlainLine(logger, 'info', { requestId: 'req-4', outcome: 'ok' }, 'graphql request');
    expect(capture.lines()).toEqual([
      expect.objectContaining({ level: 'info', requestId: 'req-4', outcome: 'ok', msg: 'graphql request' }),
    ]);
    expect((stream as unknown as { lastMsg?: string }).lastMsg).toBe('graphql request');
  });

  it("makes the request's own logger only when something logs for the request, and once", () => {
    const logger = createLogger({ level: 'info', destination: captureLogs().destination });
    let made = 0;
    const origin = new RequestOrigin('req-2', () => {
      made += 1;
      return logger.child({ requestId: 'req-2' });
    });
    expect(made).toBe(0);
    origin.logger.info('one');
    origin.logger.info('two');
    expect(made).toBe(1);
  });
});
