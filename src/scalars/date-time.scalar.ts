import { GraphQLScalarType, Kind } from 'graphql';

import { badUserInput } from '../errors';
import { isRealDateTime } from '../lib/calendar';

/**
 * RFC 3339 date-time that names its zone. A zone-less value is refused rather than guessed: "midnight"
 * in the merchant's zone and in UTC can be a day apart in a sync range.
 */
const RFC3339_WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** Parses client input; throws BAD_USER_INPUT with a message that says what is expected. */
export function parseDateTimeInput(value: unknown): Date {
  if (typeof value !== 'string') {
    throw badUserInput('DateTime must be a string such as "2024-05-01T00:00:00Z"');
  }
  const match = RFC3339_WITH_ZONE.exec(value);
  if (!match) {
    throw badUserInput(
      `DateTime "${value.slice(0, 64)}" must be an RFC 3339 date-time with Z or an offset, such as "2024-05-01T00:00:00Z" or "2024-05-01T02:00:00+02:00"`,
    );
  }
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(value);
  if (!isRealDateTime(y, mo, d, h, mi, s) || Number.isNaN(date.getTime())) {
    throw badUserInput(`DateTime "${value.slice(0, 64)}" is not a real date and time`);
  }
  return date;
}

/**
 * `toISOString()` of each Date once (about a microsecond each): a cached answer's mapped dates are the
 * same objects for every request and alias (src/sync/sync.reads.ts). The instant is checked on every use,
 * so a Date changed after its first serialisation is serialised again.
 */
const serialized = new WeakMap<Date, { time: number; text: string }>();
function isoText(date: Date): string {
  const time = date.getTime();
  const known = serialized.get(date);
  if (known?.time === time) return known.text;
  const text = date.toISOString();
  serialized.set(date, { time, text });
  return text;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description:
    'A point in time. Output: always UTC, RFC 3339 with milliseconds, e.g. "2023-04-12T10:52:54.535Z" (Codat\'s 7-digit fractions are truncated to milliseconds; Codat timestamps without a zone are read as UTC). Input: an RFC 3339 date-time that carries "Z" or an offset such as "+02:00"; values without a zone are rejected with BAD_USER_INPUT.',
  specifiedByURL: 'https://datatracker.ietf.org/doc/html/rfc3339#section-5.6',
  serialize(value: unknown): string {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return isoText(value);
    throw new TypeError('DateTime cannot represent a value that is not a valid Date');
  },
  parseValue: parseDateTimeInput,
  parseLiteral(ast): Date {
    if (ast.kind !== Kind.STRING) throw badUserInput('DateTime must be a string such as "2024-05-01T00:00:00Z"');
    return parseDateTimeInput(ast.value);
  },
});
