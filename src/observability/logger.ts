import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

import { createLogDestination } from './log-destination';

export type { Logger };

/**
 * The keys censored wherever a line has them, at the top level or up to two levels down: Codat keys
 * (`apiKey`, `codatApiKey`, a tenants dump's `codatTenants.<name>.apiKey`), callers' credentials
 * (src/auth/: `authorization`, `x-api-key`, a WebSocket payload's `token`) and the HS256 secret.
 */
const SECRET_KEYS = ['authorization', 'Authorization', 'apiKey', 'codatApiKey', 'x-api-key', 'token', 'hs256Secret'] as const;

/**
 * Paths pino censors before a line is written. Our own log calls never pass headers, keys or tokens, but
 * an error object or a config dump logged in haste might: redaction is configured, not hoped for.
 * These are pino's literal paths (each costs nothing on a line that lacks its first key); "one or two
 * levels down" (`req.authorization`, `headers["x-api-key"]`, `codatTenants.acme.apiKey`, ...) is
 * `censorNestedSecrets` below, because pino's wildcard paths run its slow redactor over every value of
 * every line.
 */
export const REDACT_PATHS = [
  ...SECRET_KEYS.map((key) => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`)),
  'req.headers.authorization',
  'req.headers.Authorization',
  'req.headers["x-api-key"]',
  'req.headers.token',
  'config.headers.Authorization',
  'config.headers.authorization',
  'auth.jwt.hs256Secret',
];

const CENSOR = '[redacted]';

/**
 * SECRET_KEYS one or two levels down: a line's object (or a child's bindings) holding any of them is
 * copied with those values censored (the original is left as it was); the usual line, whose values are
 * strings, numbers and an array of codes, is returned as it is after one look at each value.
 */
export function censorNestedSecrets(object: Record<string, unknown>, levels = 2): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key in object) {
    const value = object[key];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    const inner = value as Record<string, unknown>;
    let censored = levels > 1 ? censorNestedSecrets(inner, levels - 1) : inner;
    if (SECRET_KEYS.some((secret) => Object.hasOwn(censored, secret))) {
      if (censored === inner) censored = { ...inner };
      for (const secret of SECRET_KEYS) if (Object.hasOwn(censored, secret)) censored[secret] = CENSOR;
    }
    if (censored === inner) continue;
    copy ??= { ...object };
    copy[key] = censored;
  }
  return copy ?? object;
}

/**
 * pino's `isoTime` (`,"time":"2026-11-27T17:15:53.971Z"`), without a `Date` and its `toISOString()` on
 * every line (a third of what a line cost): the text up to the second is made once per second, and only
 * the milliseconds are added per line.
 */
let secondStart = Number.NaN;
let secondText = '';
export function isoTimestamp(now = Date.now()): string {
  const ms = now % 1000;
  if (now - ms !== secondStart) {
    secondStart = now - ms;
    secondText = new Date(secondStart).toISOString().slice(0, 20); // "2026-11-27T17:15:53."
  }
  return `,"time":"${secondText}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z"`;
}

/** A value `writePlainLine` writes as it is: what JSON.stringify and pino's serialiser both write alike. */
export type PlainJson = string | number | boolean | null | readonly PlainJson[];

const symbols = pino.symbols;

/** What `writePlainLine` reads off a pino logger, under the symbols pino exports for integrations. */
interface PinoLineParts {
  /** Each level's opening text by level number (`{"level":"info"`, our level formatter's). */
  [symbols.lsCacheSym]: Record<number, string>;
  /** The timestamp text (isoTimestamp below). */
  [symbols.timeSym]: () => string;
  /** The base bindings and a child's (`,"service":"codat-commerce-subgraph"`). */
  [symbols.chindingsSym]: string;
  /** `}` and the end of line. */
  [symbols.endSym]: string;
  [symbols.streamSym]: DestinationStream & { [symbols.needsMetadataGsym]?: boolean };
}

/**
 * `logger[level](fields, msg)` for a line whose values are plain JSON (PlainJson) under keys that
 * nothing here censors: the same text, made with one `JSON.stringify` of the fields instead of pino's
 * walk over them. That walk looks every key up for a serialiser and a redaction and runs the `log`
 * formatter (censorNestedSecrets); none of them changes such a line, and in a loaded server it cost the
 * access line about 3 µs, a few per cent of a cached answer (README, "Performance"). The line's start
 * (level, time, bindings), its end and its stream are pino's own, read through `pino.symbols`, which pino
 * exports for integrations that need its speed. A stream that wants pino's per-line metadata (pino's
 * multistream) gets the line from pino itself. test/unit/observability.test.ts checks that both ways
 * write the same text.
 */
export function writePlainLine(logger: Logger, level: 'info' | 'warn', fields: Readonly<Record<string, PlainJson>>, msg: string): void {
  if (!logger.isLevelEnabled(level)) return;
  const parts = logger as unknown as PinoLineParts;
  const stream = parts[symbols.streamSym];
  if (stream[symbols.needsMetadataGsym] === true) {
    logger[level](fields, msg);
    return;
  }
  const json = JSON.stringify(fields);
  const props = json.length > 2 ? `,${json.slice(1, -1)}` : '';
  stream.write(
    `${parts[symbols.lsCacheSym][logger.levels.values[level]!]}${parts[symbols.timeSym]()}${parts[symbols.chindingsSym]}${props},"msg":${JSON.stringify(msg)}${parts[symbols.endSym]}`,
  );
}

export interface LoggerOptions {
  /** `LOG_LEVEL`; default 'info'. */
  level?: LevelWithSilent;
  /**
   * Where lines go; default JSON lines to stdout through the asynchronous destination (log-destination.ts,
   * where LOG_FORMAT is applied: observability.ts passes the configured one). Tests pass a stream that collects lines.
   */
  destination?: DestinationStream;
}

/** One JSON object per line, ISO timestamps, level as a word so log tools need no mapping table. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: { service: 'codat-commerce-subgraph' },
      timestamp: isoTimestamp,
      formatters: { level: (label) => ({ level: label }), log: censorNestedSecrets },
      redact: { paths: REDACT_PATHS, censor: CENSOR },
    },
    options.destination ?? createLogDestination({ format: 'json' }),
  );
  // A child's bindings are serialised once, when it is made, without the `log` formatter: censor them
  // there. Children inherit this method, and `this` is the parent they are made from.
  const child = logger.child;
  logger.child = function censoredChild(this: Logger, bindings, childOptions) {
    return child.call(this, censorNestedSecrets(bindings), childOptions);
  } as Logger['child'];
  return logger;
}
