import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      codatApiKey: undefined,
      codatBaseUrl: 'https://api.codat.io',
      host: '0.0.0.0',
      port: 4000,
      codatTimeoutMs: 10000,
      codatMaxRetries: 3,
      codatMaxConcurrency: 10,
      maxOperationCost: 200,
      statusCacheTtlMs: 2000,
      cacheMaxEntries: 10000,
      production: false,
    });
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
      NODE_ENV: 'production',
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
      production: true,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a whole number'],
    [{ PORT: '70000' }, 'PORT must be between 0 and 65535'],
    [{ CODAT_TIMEOUT_MS: '0' }, 'CODAT_TIMEOUT_MS must be between'],
    [{ CODAT_MAX_CONCURRENCY: '-1' }, 'CODAT_MAX_CONCURRENCY must be a whole number'],
    [{ CODAT_MAX_RETRIES: '1.5' }, 'CODAT_MAX_RETRIES must be a whole number'],
    [{ MAX_OPERATION_COST: '0' }, 'MAX_OPERATION_COST must be between'],
    [{ STATUS_CACHE_TTL_MS: '-5' }, 'STATUS_CACHE_TTL_MS must be a whole number'],
    [{ CACHE_MAX_ENTRIES: '0' }, 'CACHE_MAX_ENTRIES must be between'],
    [{ CODAT_BASE_URL: 'api.codat.io' }, 'CODAT_BASE_URL must be an absolute http(s) URL'],
    [{ CODAT_BASE_URL: 'ftp://api.codat.io' }, 'CODAT_BASE_URL must use http or https'],
    [{ CODAT_BASE_URL: 'https://me:secret@api.codat.io' }, 'CODAT_BASE_URL must not contain credentials'],
    [{ NODE_ENV: 'production' }, 'CODAT_API_KEY is not set'],
  ])('refuses %p, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
