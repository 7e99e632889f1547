import { isRealDateTime } from '../lib/calendar';

/**
 * Codat's dates, read leniently.
 *
 * The spec (`Connection.properties.created`) warns that Codat sends three forms:
 *   - UTC:                       2021-11-15T06:00:00Z
 *   - unqualified local time:    2021-11-15T01:00:00
 *   - UTC offsets:               2021-11-15T01:00:00-05:00
 * and .NET serialisation adds up to 7 fractional digits (2023-04-12T10:52:54.5359678Z), which
 * `Date.parse` handles inconsistently. Sync timestamps (`syncUtc`, `lastSync`, ranges) are UTC by name,
 * so a zone-less value is read as UTC rather than in this process's local zone.
 */
const CODAT_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Parses a Codat date string; returns undefined for null, empty or unparsable input. */
export function parseCodatDate(value: string | null | undefined): Date | undefined {
  if (value === null || value === undefined) return undefined;
  const match = CODAT_DATE.exec(value.trim());
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone] = match;
  const [y, mo, d, h, mi, sec] = [year, month, day, hour, minute, second].map(Number) as [number, number, number, number, number, number];
  // Reject impossible values (month 13, 31 February, 25:00) that Date.UTC would silently roll over.
  if (!isRealDateTime(y, mo, d, h, mi, sec)) return undefined;
  // Keep millisecond precision: JavaScript dates cannot hold Codat's 100 ns ticks.
  const millis = Number((fraction + '000').slice(0, 3));
  let epoch = Date.UTC(y, mo - 1, d, h, mi, sec, millis);
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
    epoch -= sign * offsetMinutes * 60_000;
  }
  return new Date(epoch);
}

/** Formats a date the way we send it to Codat: UTC, milliseconds, `Z`. */
export function formatCodatDate(date: Date): string {
  return date.toISOString();
}
