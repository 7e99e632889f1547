import { resolve } from 'node:path';

import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      codatApiKey: undefined,
      codatBaseUrl: 'https://api.codat.io',
      host: '127.0.0.1',
      port: 4000,
      codatTimeoutMs: 10000,
      codatMaxRetries: 3,
      codatMaxConcurrency: 64,
      codatDeadlineMs: 25000,
      codatCircuitThreshold: 5,
      codatCircuitOpenMs: 10000,
      codatBackoff: { baseDelayMs: 500, factor: 1.5, maxDelayMs: 5000 },
      codatTransport: 'axios-keep-alive',
      maxOperationCost: 200,
      statusCacheTtlMs: 2000,
      inProgressCacheTtlMs: 1000,
      finishedSyncCacheTtlMs: 600000,
      cacheMaxEntries: 10000,
      maxQueryDepth: 10,
      maxBodyBytes: 1048576,
      logLevel: 'info',
      logFormat: 'auto',
      shutdownTimeoutMs: 10000,
      otelEndpoint: undefined,
      production: false,
      codatMaxConcurrencyPerCompany: 10,
      codatMaxRequestsPerMinute: 600,
      codatQuotaReserve: 0.05,
      staleIfErrorMs: 300000,
      redisUrl: undefined,
      redisKeyPrefix: 'ccs:',
      sharedFlightWaitMs: 5000,
      redisCommandTimeoutMs: 1000,
      livePollLeaseMs: 10_000,
      idempotencyTtlMs: 86400000,
      webUi: true,
      webUiDir: resolve(__dirname, '../../dist/web'),
      live: {
        maxSubscriptionsPerConnection: 20,
        maxSubscriptions: 10000,
        connectionInitTimeoutMs: 3000,
        pingIntervalMs: 12000,
        pollActiveMs: 2000,
        pollIdleMs: 30000,
        pollJitter: 0.2,
        syncAppearMs: 10000,
        callbackUrlPrefixes: [],
      },
      auth: { mode: 'none', introspection: 'authenticated' },
      codatTenants: undefined,
    });
  });

  it('listens on every interface with a real key, on loopback only for the simulator demo', () => {
    expect(loadConfig({ CODAT_API_KEY: 'k', AUTH_MODE: 'none' }).host).toBe('0.0.0.0');
    expect(loadConfig({}).host).toBe('127.0.0.1');
  });

  it('reads every variable', () => {
    const config = loadConfig({
      CODAT_API_KEY: ' key ',
      CODAT_BASE_URL: 'http://127.0.0.1:9999/',
      HOST: '127.0.0.1',
      PORT: '0',
      CODAT_TIMEOUT_MS: '250',
      CODAT_MAX_RETRIES: '0',
      CODAT_MAX_CONCURRENCY: '4',
      MAX_OPERATION_COST: '50',
      STATUS_CACHE_TTL_MS: '0',
      CACHE_MAX_ENTRIES: '500',
      CODAT_DEADLINE_MS: '3000',
      CODAT_CIRCUIT_FAILS: '2',
      CODAT_CIRCUIT_OPEN_MS: '500',
      MAX_QUERY_DEPTH: '6',
      MAX_BODY_BYTES: '65536',
      NODE_ENV: 'production',
      AUTH_MODE: 'none',
    });
    expect(config).toMatchObject({
      codatApiKey: 'key',
      codatBaseUrl: 'http://127.0.0.1:9999',
      host: '127.0.0.1',
      port: 0,
      codatTimeoutMs: 250,
      codatMaxRetries: 0,
      codatMaxConcurrency: 4,
      maxOperationCost: 50,
      statusCacheTtlMs: 0,
      cacheMaxEntries: 500,
      codatDeadlineMs: 3000,
      codatCircuitThreshold: 2,
      codatCircuitOpenMs: 500,
      maxQueryDepth: 6,
      maxBodyBytes: 65536,
      production: true,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a whole number between 0 and 65535, got "eighty"'],
    [{ PORT: '70000' }, 'PORT must be a whole number between 0 and 65535, got "70000"'],
    [{ CODAT_TIMEOUT_MS: '0' }, 'CODAT_TIMEOUT_MS must be a whole number between 1 and 300000, got "0"'],
    [{ CODAT_MAX_CONCURRENCY: '-1' }, 'CODAT_MAX_CONCURRENCY must be a whole number between 1 and 1000, got "-1"'],
    [{ CODAT_MAX_RETRIES: '1.5' }, 'CODAT_MAX_RETRIES must be a whole number'],
    [{ MAX_OPERATION_COST: '0' }, 'MAX_OPERATION_COST must be a whole number between 1 and 100000, got "0"'],
    [{ MAX_OPERATION_COST: '-1' }, 'MAX_OPERATION_COST must be a whole number between 1 and 100000, got "-1"'],
    [{ STATUS_CACHE_TTL_MS: '-5' }, 'STATUS_CACHE_TTL_MS must be a whole number'],
    [{ CACHE_MAX_ENTRIES: '0' }, 'CACHE_MAX_ENTRIES must be a whole number between'],
    [{ MAX_QUERY_DEPTH: '0' }, 'MAX_QUERY_DEPTH must be a whole number between'],
    [{ MAX_BODY_BYTES: '10' }, 'MAX_BODY_BYTES must be a whole number between'],
    [{ CODAT_DEADLINE_MS: 'soon' }, 'CODAT_DEADLINE_MS must be a whole number'],
    [{ CODAT_CIRCUIT_FAILS: '0' }, 'CODAT_CIRCUIT_FAILS must be a whole number between'],
    [{ CODAT_BASE_URL: 'api.codat.io' }, 'CODAT_BASE_URL must be an absolute http(s) URL'],
    [{ CODAT_BASE_URL: 'ftp://api.codat.io' }, 'CODAT_BASE_URL must use http or https'],
    [{ CODAT_BASE_URL: 'https://me:secret@api.codat.io' }, 'CODAT_BASE_URL must not contain credentials'],
    [{ NODE_ENV: 'production' }, 'CODAT_API_KEY is not set'],
  ])('refuses %p, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('operations configuration', () => {
  it('reads LOG_LEVEL, LOG_FORMAT, SHUTDOWN_TIMEOUT_MS and OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    expect(
      loadConfig({
        LOG_LEVEL: 'DEBUG',
        LOG_FORMAT: 'Pretty',
        SHUTDOWN_TIMEOUT_MS: '2500',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      }),
    ).toMatchObject({ logLevel: 'debug', logFormat: 'pretty', shutdownTimeoutMs: 2500, otelEndpoint: 'http://127.0.0.1:4318' });
  });

  it('logs text on a terminal and JSON elsewhere by default (auto), and JSON lines in production', () => {
    expect(loadConfig({}).logFormat).toBe('auto');
    expect(loadConfig({ NODE_ENV: 'production', CODAT_API_KEY: 'k', AUTH_MODE: 'none' }).logFormat).toBe('json');
    expect(loadConfig({ NODE_ENV: 'production', CODAT_API_KEY: 'k', AUTH_MODE: 'none', LOG_FORMAT: 'auto' }).logFormat).toBe('auto');
  });

  it('names the variable when a value is bad', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(
      new ConfigError('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"'),
    );
    expect(() => loadConfig({ LOG_FORMAT: 'yaml' })).toThrow(new ConfigError('LOG_FORMAT must be one of json, pretty, auto, got "yaml"'));
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: 'soon' })).toThrow(/SHUTDOWN_TIMEOUT_MS must be a whole number/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT must/);
  });
});

describe('limits and several instances configuration', () => {
  it('reads CODAT_MAX_CONCURRENCY_PER_COMPANY, CODAT_MAX_REQUESTS_PER_MINUTE, CODAT_QUOTA_RESERVE, STALE_IF_ERROR_MS, REDIS_URL, REDIS_KEY_PREFIX and LIVE_POLL_LEASE_MS', () => {
    expect(
      loadConfig({
        CODAT_MAX_CONCURRENCY_PER_COMPANY: '4',
        CODAT_MAX_REQUESTS_PER_MINUTE: '120',
        CODAT_QUOTA_RESERVE: '0.1',
        STALE_IF_ERROR_MS: '0',
        REDIS_URL: 'redis://:pw@127.0.0.1:6380/2',
        REDIS_KEY_PREFIX: 'staging:',
        LIVE_POLL_LEASE_MS: '3000',
      }),
    ).toMatchObject({
      codatMaxConcurrencyPerCompany: 4,
      codatMaxRequestsPerMinute: 120,
      codatQuotaReserve: 0.1,
      staleIfErrorMs: 0,
      redisUrl: 'redis://:pw@127.0.0.1:6380/2',
      redisKeyPrefix: 'staging:',
      livePollLeaseMs: 3_000,
    });
    expect(loadConfig({ CODAT_QUOTA_RESERVE: '0' }).codatQuotaReserve).toBe(0);
  });

  it.each([
    [{ CODAT_MAX_CONCURRENCY_PER_COMPANY: '0' }, 'CODAT_MAX_CONCURRENCY_PER_COMPANY must be a whole number between 1 and 1000'],
    [{ CODAT_MAX_REQUESTS_PER_MINUTE: 'lots' }, 'CODAT_MAX_REQUESTS_PER_MINUTE must be a whole number'],
    [{ CODAT_QUOTA_RESERVE: '5%' }, 'CODAT_QUOTA_RESERVE must be a decimal fraction'],
    [{ CODAT_QUOTA_RESERVE: '0.95' }, 'CODAT_QUOTA_RESERVE must be between 0 and 0.9'],
    [{ STALE_IF_ERROR_MS: '-1' }, 'STALE_IF_ERROR_MS must be a whole number'],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL must use redis: or rediss:'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL must be a URL'],
    [{ REDIS_KEY_PREFIX: 'has space' }, 'REDIS_KEY_PREFIX must be 1 to 64 characters'],
    [{ LIVE_POLL_LEASE_MS: '100' }, 'LIVE_POLL_LEASE_MS must be a whole number between 300 and 600000'],
  ])('refuses %p, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never puts a REDIS_URL password in its message', () => {
    expect(() => loadConfig({ REDIS_URL: 'http://:hunter2@127.0.0.1' })).not.toThrow(/hunter2/);
  });
});

describe('WEB_UI', () => {
  it('serves the web UI by default outside production, and not in production unless switched on', () => {
    expect(loadConfig({}).webUi).toBe(true);
    expect(loadConfig({ WEB_UI: 'off' }).webUi).toBe(false);
    const production = { NODE_ENV: 'production', CODAT_API_KEY: 'k', AUTH_MODE: 'none' };
    expect(loadConfig(production).webUi).toBe(false);
    expect(loadConfig({ ...production, WEB_UI: 'on' }).webUi).toBe(true);
    expect(loadConfig({ WEB_UI: ' ON ' }).webUi).toBe(true);
  });

  it('names the variable when the value is neither on nor off', () => {
    expect(() => loadConfig({ WEB_UI: 'yes' })).toThrow(new ConfigError('WEB_UI must be on or off, got "yes"'));
  });
});

describe('live tracking configuration', () => {
  it('reads the subscription limits, the WebSocket timers, the poll pace and the callback URLs', () => {
    expect(
      loadConfig({
        MAX_SUBSCRIPTIONS_PER_CONNECTION: '5',
        MAX_SUBSCRIPTIONS: '500',
        WS_CONNECTION_INIT_TIMEOUT_MS: '1000',
        WS_PING_INTERVAL_MS: '0',
        LIVE_POLL_ACTIVE_MS: '1000',
        LIVE_POLL_IDLE_MS: '60000',
        LIVE_SYNC_APPEAR_MS: '5000',
        SUBSCRIPTION_CALLBACK_URLS: 'http://router:4000/callback, https://router.example.com/',
      }).live,
    ).toEqual({
      maxSubscriptionsPerConnection: 5,
      maxSubscriptions: 500,
      connectionInitTimeoutMs: 1000,
      pingIntervalMs: 0,
      pollActiveMs: 1000,
      pollIdleMs: 60000,
      pollJitter: 0.2,
      syncAppearMs: 5000,
      callbackUrlPrefixes: ['http://router:4000/callback', 'https://router.example.com/'],
    });
  });

  it.each([
    [{ MAX_SUBSCRIPTIONS: '0' }, 'MAX_SUBSCRIPTIONS must be a whole number between'],
    [{ MAX_SUBSCRIPTIONS_PER_CONNECTION: 'many' }, 'MAX_SUBSCRIPTIONS_PER_CONNECTION must be a whole number'],
    [{ LIVE_POLL_ACTIVE_MS: '5000', LIVE_POLL_IDLE_MS: '1000' }, 'LIVE_POLL_IDLE_MS (1000) must not be below LIVE_POLL_ACTIVE_MS (5000)'],
    [{ SUBSCRIPTION_CALLBACK_URLS: 'router:4000' }, 'SUBSCRIPTION_CALLBACK_URLS must be a comma-separated list'],
  ])('refuses %p, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
