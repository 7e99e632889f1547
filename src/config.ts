import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { parseApiKeysFile } from './auth/api-keys';
import type { AuthMode, AuthSettings, JwtSettings } from './auth/auth.settings';
import { DEFAULT_TENANT } from './auth/caller';
import { checkHs256Secret, readPublicKey } from './auth/jwt';
import { parseTenantsFile, type TenantUpstream } from './auth/tenants';
import type { CodatTransport } from './codat/codat.transport';
import type { BackoffOptions } from './codat/retry';
import { ConfigError } from './config-error';
import { packageRoot } from './lib/package-root';
import type { LogFormat } from './observability/log-destination';

export { ConfigError };

/**
 * Configuration: read from the environment once, validated, typed. A bad value stops the start with a
 * message naming the variable (README, "Configuration"). Every default of the service is defined here
 * and nowhere else: the modules below take their settings from the composition root (app.ts), which
 * reads them from a `Config`.
 */
export interface Config {
  /** `CODAT_API_KEY`; undefined means "run against the embedded Codat simulator". */
  codatApiKey: string | undefined;
  /** `CODAT_BASE_URL`: Codat's API root. Ignored when the simulator is used. */
  codatBaseUrl: string;
  /** `HOST` / `PORT`: where the HTTP server listens; GraphQL is at /graphql. HOST defaults to 0.0.0.0 with a key, 127.0.0.1 on the simulator. */
  host: string;
  port: number;
  /** `CODAT_TIMEOUT_MS`: bound on one upstream attempt. */
  codatTimeoutMs: number;
  /** `CODAT_MAX_RETRIES`: how often an idempotent GET may be retried. */
  codatMaxRetries: number;
  /** `CODAT_MAX_CONCURRENCY`: upstream requests in flight per instance, all companies together: a safety bound on sockets. */
  codatMaxConcurrency: number;
  /** `CODAT_DEADLINE_MS`: bound on one upstream call with its retries; keep it under the gateway's subgraph timeout. */
  codatDeadlineMs: number;
  /** `CODAT_CIRCUIT_FAILS`: failing attempts in a row (5xx, timeouts, network) that open the circuit to Codat. */
  codatCircuitThreshold: number;
  /** `CODAT_CIRCUIT_OPEN_MS`: how long an open circuit fails fast before one probe is let through. */
  codatCircuitOpenMs: number;
  /** Waits between GET retries (retry.ts). Not an environment variable: Codat's own SDKs use 500 ms, x1.5, capped at 5 s. */
  codatBackoff: BackoffOptions;
  /** What carries the bytes under axios (codat.transport.ts); not an environment variable. */
  codatTransport: CodatTransport;
  /** `MAX_OPERATION_COST`: upstream calls one GraphQL operation may need. */
  maxOperationCost: number;
  /** `STATUS_CACHE_TTL_MS`: how long a Codat read that can change is reused across requests; 0 = no cache (codat.cache.ts). */
  statusCacheTtlMs: number;
  /**
   * Bound on the reuse of an answer showing a sync in progress (1xxx): it changes soonest. One second,
   * the smallest non-zero `@cacheControl` maxAge, so the hint published for it matches; never above
   * `statusCacheTtlMs`. Not an environment variable.
   */
  inProgressCacheTtlMs: number;
  /** Reuse of a finished sync fetched by id (get-sync-by-id): it never changes again. Not an environment variable. */
  finishedSyncCacheTtlMs: number;
  /** `CACHE_MAX_ENTRIES`: bound on the in-memory cache (least recently used entries go first). */
  cacheMaxEntries: number;
  /** `MAX_QUERY_DEPTH`: deepest field nesting one operation may have (introspection excepted). */
  maxQueryDepth: number;
  /** `MAX_BODY_BYTES`: largest request body accepted; larger ones are answered 413. */
  maxBodyBytes: number;
  /** `LOG_LEVEL`: pino level for the log lines on stdout. */
  logLevel: LogLevel;
  /**
   * `LOG_FORMAT`: `json` (one JSON object per line, for log shippers), `pretty` (pino-pretty's text, for a
   * terminal) or `auto`: text on a terminal, JSON otherwise. Default `auto`, `json` in production.
   */
  logFormat: LogFormat;
  /** `SHUTDOWN_TIMEOUT_MS`: on SIGTERM/SIGINT, how long in-flight requests may run before their sockets close. */
  shutdownTimeoutMs: number;
  /** `OTEL_EXPORTER_OTLP_ENDPOINT`: set turns tracing on (OTLP over HTTP); unset, no tracing SDK is loaded. */
  otelEndpoint: string | undefined;
  /** `NODE_ENV === 'production'`: no landing page, no simulator. */
  production: boolean;

  // Codat's limits, and several instances sharing them (README, "Running several instances").
  /** `CODAT_MAX_CONCURRENCY_PER_COMPANY`: upstream requests in flight per company (Codat allows 10); fleet-wide with REDIS_URL. */
  codatMaxConcurrencyPerCompany: number;
  /** `CODAT_MAX_REQUESTS_PER_MINUTE`: upstream requests this instance sends in any minute, under Codat's 1,000 a minute per client IP. */
  codatMaxRequestsPerMinute: number;
  /** `CODAT_QUOTA_RESERVE`: fraction of Codat's daily quota kept for sync requests; under it reads are served stale or refused (codat/codat.quota.ts). */
  codatQuotaReserve: number;
  /** `STALE_IF_ERROR_MS`: how old a cached read may be to answer (marked stale) while Codat refuses or fails; 0 = never. */
  staleIfErrorMs: number;
  /** `REDIS_URL`: unset keeps every shared structure in memory (one instance); set shares them through Redis (src/shared-state/). */
  redisUrl: string | undefined;
  /** `REDIS_KEY_PREFIX`: the start of every Redis key, so that several deployments can share one Redis. */
  redisKeyPrefix: string;
  /**
   * How long an instance waits for another instance's identical read before making its own, and so the
   * life of the fleet-wide flight marker (a crashed instance's marker is gone by then). Not an environment variable.
   */
  sharedFlightWaitMs: number;
  /** Bound on one Redis command; a slower Redis counts as down for that call (local structures answer). Not an environment variable. */
  redisCommandTimeoutMs: number;
  /**
   * `LIVE_POLL_LEASE_MS`: with REDIS_URL, the life of the lease an instance holds to poll a company for the
   * whole fleet (renewed every third of it); a crashed holder's company is taken over within about this long.
   */
  livePollLeaseMs: number;
  /** How long an idempotency record answers a repeated key: 24 h (DESIGN of the sync mutations). Not an environment variable. */
  idempotencyTtlMs: number;
  /** `WEB_UI` (on|off): serve the sync health page at / and the explorer at /explorer. Default on, off in production. */
  webUi: boolean;
  /** Where the built web UI is (Vite's output, web/vite.config.mts): dist/web under the package root. Not an environment variable. */
  webUiDir: string;
  /** Live tracking (subscriptions, src/live/): limits and the shared pollers' pace. */
  live: LiveConfig;
  /** `AUTH_*`: how callers authenticate (src/auth/auth.settings.ts, README "Authentication"). */
  auth: AuthSettings;
  /**
   * `CODAT_TENANTS_FILE`: the Codat accounts served, by tenant name (src/auth/tenants.ts). Undefined: one
   * tenant, `default`, from CODAT_API_KEY / CODAT_BASE_URL (or the embedded simulator).
   */
  codatTenants: ReadonlyMap<string, TenantUpstream> | undefined;
}

/** Subscriptions and the pollers behind them (README, "Live tracking"). */
export interface LiveConfig {
  /** `MAX_SUBSCRIPTIONS_PER_CONNECTION`: subscriptions one WebSocket may hold at once. */
  maxSubscriptionsPerConnection: number;
  /** `MAX_SUBSCRIPTIONS`: subscriptions this instance serves at once, every transport together. */
  maxSubscriptions: number;
  /** `WS_CONNECTION_INIT_TIMEOUT_MS`: how long a new WebSocket may take to send `connection_init`. */
  connectionInitTimeoutMs: number;
  /** `WS_PING_INTERVAL_MS`: WebSocket ping every this often; a socket that has not answered the last one is dropped (0 = off). */
  pingIntervalMs: number;
  /** `LIVE_POLL_ACTIVE_MS`: a company's poll interval while a sync is in progress (or a subscriber waits for one). */
  pollActiveMs: number;
  /** `LIVE_POLL_IDLE_MS`: a company's poll interval otherwise; also the cap of the backoff after failed polls. */
  pollIdleMs: number;
  /** Share of each interval drawn at random, up or down, so pollers started together drift apart. Not an environment variable. */
  pollJitter: number;
  /** `LIVE_SYNC_APPEAR_MS`: how long commerceSyncProgress waits for its sync to show as the company's latest before NOT_FOUND. */
  syncAppearMs: number;
  /**
   * `SUBSCRIPTION_CALLBACK_URLS`: comma-separated URL prefixes a router's callback URL must start with
   * (Apollo Router's HTTP callback protocol); empty accepts any. Set it in production: the subgraph POSTs
   * to whatever callback URL a request names.
   */
  callbackUrlPrefixes: readonly string[];
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty', 'auto'];

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  // One wording for every bad value, so "-1" or "1.5" is told the range as well as "lots" or "99999999".
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!(value >= min && value <= max)) throw new ConfigError(`${name} must be a whole number between ${min} and ${max}, got "${raw}"`);
  return value;
}

function url(env: Env, name: string, fallback: string): string {
  const raw = env[name]?.trim() || fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL, got "${raw}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`${name} must use http or https, got "${parsed.protocol}"`);
  }
  if (parsed.username || parsed.password) {
    throw new ConfigError(`${name} must not contain credentials${name === 'CODAT_BASE_URL' ? '; use CODAT_API_KEY' : ''}`);
  }
  return raw.replace(/\/+$/, '');
}

/** A decimal fraction in [min, max], e.g. `0.05`. */
function fraction(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+(\.\d+)?$/.test(raw.trim())) throw new ConfigError(`${name} must be a decimal fraction such as 0.05, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** A Redis URL (redis:// or rediss://), or undefined when unset. Never echoed: it may hold a password. */
function redisUrl(env: Env): string | undefined {
  const raw = env.REDIS_URL?.trim();
  if (!raw) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError('REDIS_URL must be a URL such as redis://127.0.0.1:6379');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ConfigError(`REDIS_URL must use redis: or rediss:, got "${parsed.protocol}"`);
  }
  return raw;
}

function keyPrefix(env: Env): string {
  const raw = env.REDIS_KEY_PREFIX;
  if (raw === undefined || raw === '') return 'ccs:';
  if (!/^[A-Za-z0-9_.:{}-]{1,64}$/.test(raw)) {
    throw new ConfigError(`REDIS_KEY_PREFIX must be 1 to 64 characters of A-Z a-z 0-9 _ . : { } -, got "${raw}"`);
  }
  return raw;
}

function onOff(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (raw === 'on') return true;
  if (raw === 'off') return false;
  throw new ConfigError(`${name} must be on or off, got "${env[name]}"`);
}

function logLevel(env: Env): LogLevel {
  const raw = env.LOG_LEVEL?.trim().toLowerCase();
  if (!raw) return 'info';
  const level = LOG_LEVELS.find((l) => l === raw);
  if (!level) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  return level;
}

function logFormat(env: Env, production: boolean): LogFormat {
  const raw = env.LOG_FORMAT?.trim().toLowerCase();
  // A newcomer's `npm start` in a terminal reads text (the banner's curl line pastes as printed); pipes,
  // containers and production get JSON lines.
  if (!raw) return production ? 'json' : 'auto';
  const format = LOG_FORMATS.find((f) => f === raw);
  if (!format) throw new ConfigError(`LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}, got "${env.LOG_FORMAT}"`);
  return format;
}

export function loadConfig(env: Env = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const key = env.CODAT_API_KEY?.trim();
  const codatApiKey = key ? key : undefined;
  const codatBaseUrl = url(env, 'CODAT_BASE_URL', 'https://api.codat.io');
  const codatTenants = tenantsFrom(env, codatBaseUrl);
  if (production && !codatApiKey && !codatTenants) {
    throw new ConfigError(
      'CODAT_API_KEY is not set. In production (NODE_ENV=production) the subgraph will not fall back to the embedded Codat simulator; set CODAT_API_KEY to your Codat API key (or CODAT_TENANTS_FILE to your tenants).',
    );
  }
  // With no key we run the embedded simulator: a demo, so it listens on loopback only unless told otherwise.
  const demo = !codatApiKey && !codatTenants;
  const host = env.HOST?.trim() || (demo ? '127.0.0.1' : '0.0.0.0');
  const statusCacheTtlMs = integer(env, 'STATUS_CACHE_TTL_MS', 2_000, 0, 3_600_000);
  return {
    codatApiKey,
    codatBaseUrl,
    host,
    port: integer(env, 'PORT', 4000, 0, 65535),
    codatTimeoutMs: integer(env, 'CODAT_TIMEOUT_MS', 10_000, 1, 300_000),
    codatMaxRetries: integer(env, 'CODAT_MAX_RETRIES', 3, 0, 10),
    codatMaxConcurrency: integer(env, 'CODAT_MAX_CONCURRENCY', 64, 1, 1000),
    codatDeadlineMs: integer(env, 'CODAT_DEADLINE_MS', 25_000, 1, 600_000),
    codatCircuitThreshold: integer(env, 'CODAT_CIRCUIT_FAILS', 5, 1, 1000),
    codatCircuitOpenMs: integer(env, 'CODAT_CIRCUIT_OPEN_MS', 10_000, 1, 600_000),
    codatBackoff: { baseDelayMs: 500, factor: 1.5, maxDelayMs: 5_000 },
    // node:http under axios: Codat's limits keep calls to a few a second, where undici's speed buys nothing
    // and its memory costs every replica (README, "The transport").
    codatTransport: 'axios-keep-alive',
    maxOperationCost: integer(env, 'MAX_OPERATION_COST', 200, 1, 100_000),
    statusCacheTtlMs,
    inProgressCacheTtlMs: Math.min(1_000, statusCacheTtlMs),
    finishedSyncCacheTtlMs: 10 * 60_000,
    cacheMaxEntries: integer(env, 'CACHE_MAX_ENTRIES', 10_000, 1, 10_000_000),
    maxQueryDepth: integer(env, 'MAX_QUERY_DEPTH', 10, 1, 1000),
    maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
    logLevel: logLevel(env),
    logFormat: logFormat(env, production),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    otelEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() ? url(env, 'OTEL_EXPORTER_OTLP_ENDPOINT', '') : undefined,
    production,
    codatMaxConcurrencyPerCompany: integer(env, 'CODAT_MAX_CONCURRENCY_PER_COMPANY', 10, 1, 1000),
    // Codat's ceiling is about 1,000 a minute per client IP; 600 leaves room for a second instance
    // behind the same egress address, or for other clients of the same account.
    codatMaxRequestsPerMinute: integer(env, 'CODAT_MAX_REQUESTS_PER_MINUTE', 600, 1, 1_000_000),
    codatQuotaReserve: fraction(env, 'CODAT_QUOTA_RESERVE', 0.05, 0, 0.9),
    staleIfErrorMs: integer(env, 'STALE_IF_ERROR_MS', 300_000, 0, 86_400_000),
    redisUrl: redisUrl(env),
    redisKeyPrefix: keyPrefix(env),
    sharedFlightWaitMs: 5_000,
    redisCommandTimeoutMs: 1_000,
    livePollLeaseMs: integer(env, 'LIVE_POLL_LEASE_MS', 10_000, 300, 600_000),
    idempotencyTtlMs: 24 * 60 * 60_000,
    // A page for people, so not on a production API unless asked for (README, "Web UI").
    webUi: onOff(env, 'WEB_UI', !production),
    webUiDir: resolve(packageRoot(), 'dist', 'web'),
    live: liveConfig(env),
    auth: authFrom(env, { production, demo, tenants: new Set(codatTenants?.keys() ?? [DEFAULT_TENANT]) }),
    codatTenants,
  };
}

// Callers and tenants (src/auth/, README "Authentication"). Secrets (keys, the HS256 secret) are read,
// checked and kept, never quoted in an error.

const AUTH_MODES: readonly AuthMode[] = ['none', 'jwt', 'api-key'];
const JWT_VARIABLES = ['AUTH_JWKS_URL', 'AUTH_PUBLIC_KEY', 'AUTH_HS256_SECRET', 'AUTH_ISSUER', 'AUTH_AUDIENCE'];

function set(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function fileText(env: Env, name: string): string | undefined {
  const path = set(env, name);
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`${name} names a file that cannot be read (${code}): ${path}`);
  }
}

function tenantsFrom(env: Env, codatBaseUrl: string): ReadonlyMap<string, TenantUpstream> | undefined {
  const text = fileText(env, 'CODAT_TENANTS_FILE');
  return text === undefined ? undefined : parseTenantsFile(text, { baseUrl: codatBaseUrl });
}

/**
 * AUTH_MODE defaults to `none` only for the embedded demo (no Codat key, no tenants) outside
 * production: anywhere real Codat accounts are reachable, leaving callers unchecked must be a choice.
 */
function authFrom(env: Env, context: { production: boolean; demo: boolean; tenants: ReadonlySet<string> }): AuthSettings {
  const raw = set(env, 'AUTH_MODE')?.toLowerCase();
  let mode: AuthMode;
  if (raw === undefined) {
    if (context.production) {
      throw new ConfigError(
        'AUTH_MODE is not set. In production (NODE_ENV=production) choose it: jwt, api-key, or none to let every caller in.',
      );
    }
    if (!context.demo) {
      throw new ConfigError(
        'AUTH_MODE is not set. With a Codat key (CODAT_API_KEY or CODAT_TENANTS_FILE) choose it: jwt, api-key, or none to let every caller in.',
      );
    }
    mode = 'none';
  } else {
    const known = AUTH_MODES.find((m) => m === raw);
    if (!known) throw new ConfigError(`AUTH_MODE must be one of ${AUTH_MODES.join(', ')}, got "${env.AUTH_MODE}"`);
    mode = known;
  }
  const stray = [...(mode === 'jwt' ? [] : JWT_VARIABLES), ...(mode === 'api-key' ? [] : ['AUTH_API_KEYS_FILE'])].find((n) => set(env, n));
  if (stray) throw new ConfigError(`${stray} is set but AUTH_MODE is ${mode}; set AUTH_MODE or remove ${stray}`);

  const rawIntrospection = set(env, 'AUTH_INTROSPECTION')?.toLowerCase() ?? 'authenticated';
  if (rawIntrospection !== 'open' && rawIntrospection !== 'authenticated') {
    throw new ConfigError(`AUTH_INTROSPECTION must be open or authenticated, got "${env.AUTH_INTROSPECTION}"`);
  }
  const settings: AuthSettings = { mode, introspection: rawIntrospection };

  if (mode === 'none' && !context.tenants.has(DEFAULT_TENANT)) {
    throw new ConfigError(`AUTH_MODE=none serves one tenant, "${DEFAULT_TENANT}", and CODAT_TENANTS_FILE has none of that name`);
  }
  if (mode === 'jwt') settings.jwt = jwtFrom(env);
  if (mode === 'api-key') {
    const text = fileText(env, 'AUTH_API_KEYS_FILE');
    if (text === undefined) throw new ConfigError('AUTH_MODE=api-key needs AUTH_API_KEYS_FILE: the SHA-256 hashes of the keys it accepts');
    settings.apiKeys = parseApiKeysFile(text, context.tenants);
  }
  return settings;
}

function jwtFrom(env: Env): JwtSettings {
  const jwksUrl = set(env, 'AUTH_JWKS_URL') ? url(env, 'AUTH_JWKS_URL', '') : undefined;
  if (jwksUrl) {
    const { protocol, hostname } = new URL(jwksUrl);
    // Keys fetched in clear could be swapped on the way; loopback (a sidecar, a test) is the exception.
    if (protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(hostname)) {
      throw new ConfigError('AUTH_JWKS_URL must use https (http only on 127.0.0.1, localhost or [::1])');
    }
  }
  // A PEM in one environment variable often arrives with its line breaks written as \n.
  const publicKeyPem = set(env, 'AUTH_PUBLIC_KEY')?.replace(/\\n/g, '\n');
  if (publicKeyPem) readPublicKey(publicKeyPem);
  const hs256Secret = env.AUTH_HS256_SECRET ? checkHs256Secret(env.AUTH_HS256_SECRET) : undefined;
  if (jwksUrl && publicKeyPem) throw new ConfigError('AUTH_JWKS_URL and AUTH_PUBLIC_KEY are both set; choose one');
  if (!jwksUrl && !publicKeyPem && !hs256Secret) {
    throw new ConfigError('AUTH_MODE=jwt needs AUTH_JWKS_URL or AUTH_PUBLIC_KEY (or, on purpose, AUTH_HS256_SECRET)');
  }
  const issuer = set(env, 'AUTH_ISSUER');
  const audience = set(env, 'AUTH_AUDIENCE');
  if (!issuer) throw new ConfigError('AUTH_MODE=jwt needs AUTH_ISSUER: the iss claim of the tokens to accept');
  if (!audience) throw new ConfigError('AUTH_MODE=jwt needs AUTH_AUDIENCE: the aud claim that names this subgraph');
  return {
    jwksUrl,
    publicKeyPem,
    hs256Secret,
    issuer,
    audience,
    jwksTimeoutMs: integer(env, 'AUTH_JWKS_TIMEOUT_MS', 5_000, 1, 60_000),
    // jose's own defaults: a made-up kid triggers at most one fetch per 30 s; keys are refreshed every 10 min.
    jwksCooldownMs: 30_000,
    jwksCacheMaxAgeMs: 600_000,
    clockToleranceSeconds: 30,
  };
}

function liveConfig(env: Env): LiveConfig {
  const pollActiveMs = integer(env, 'LIVE_POLL_ACTIVE_MS', 2_000, 100, 600_000);
  const pollIdleMs = integer(env, 'LIVE_POLL_IDLE_MS', 30_000, 100, 3_600_000);
  if (pollIdleMs < pollActiveMs)
    throw new ConfigError(`LIVE_POLL_IDLE_MS (${pollIdleMs}) must not be below LIVE_POLL_ACTIVE_MS (${pollActiveMs})`);
  return {
    maxSubscriptionsPerConnection: integer(env, 'MAX_SUBSCRIPTIONS_PER_CONNECTION', 20, 1, 10_000),
    maxSubscriptions: integer(env, 'MAX_SUBSCRIPTIONS', 10_000, 1, 10_000_000),
    connectionInitTimeoutMs: integer(env, 'WS_CONNECTION_INIT_TIMEOUT_MS', 3_000, 1, 600_000),
    pingIntervalMs: integer(env, 'WS_PING_INTERVAL_MS', 12_000, 0, 600_000),
    pollActiveMs,
    pollIdleMs,
    pollJitter: 0.2,
    syncAppearMs: integer(env, 'LIVE_SYNC_APPEAR_MS', 10_000, 0, 600_000),
    callbackUrlPrefixes: urlPrefixes(env, 'SUBSCRIPTION_CALLBACK_URLS'),
  };
}

function urlPrefixes(env: Env, name: string): string[] {
  const raw = env[name]?.trim();
  if (!raw) return [];
  return raw.split(',').map((part) => {
    const prefix = part.trim();
    try {
      const parsed = new URL(prefix);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
    } catch {
      throw new ConfigError(`${name} must be a comma-separated list of http(s) URL prefixes, got "${prefix}"`);
    }
    return prefix;
  });
}
