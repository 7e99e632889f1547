import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/**
 * Paths pino censors before a line is written. Our own log calls never pass headers, keys or tokens, but
 * an error object or a config dump logged in haste might: redaction is configured, not hoped for.
 * Wildcards cover one level of nesting (`*.authorization` matches `req.authorization`, `headers.authorization`).
 * Callers' credentials (src/auth/): `authorization`, `x-api-key` and a WebSocket payload's `token`; the
 * tenants' Codat keys (`codatTenants.<name>.apiKey`) and the HS256 secret of a config dump.
 */
export const REDACT_PATHS = [
  'authorization',
  'Authorization',
  'apiKey',
  'codatApiKey',
  'headers.authorization',
  'headers.Authorization',
  'req.headers.authorization',
  'req.headers.Authorization',
  'config.headers.Authorization',
  'config.headers.authorization',
  '*.authorization',
  '*.Authorization',
  '*.apiKey',
  '*.codatApiKey',
  '["x-api-key"]',
  '*["x-api-key"]',
  'req.headers["x-api-key"]',
  'token',
  '*.token',
  'req.headers.token',
  '*.*.apiKey',
  'hs256Secret',
  '*.hs256Secret',
  'auth.jwt.hs256Secret',
];

export interface LoggerOptions {
  /** `LOG_LEVEL`; default 'info'. */
  level?: LevelWithSilent;
  /** Where JSON lines go; default stdout. Tests pass a stream that collects lines. */
  destination?: DestinationStream;
}

/** One JSON object per line, ISO timestamps, level as a word so log tools need no mapping table. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'codat-commerce-subgraph' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
