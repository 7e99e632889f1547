// Dates the way Codat puts them on the wire.
//
// Codat's API is .NET; System.Text.Json writes a UTC DateTime in its shortest round-trip form: the
// fraction has up to 7 digits (100 ns ticks) with trailing zeros dropped, and no fraction at all when
// it is zero. That is why the spec's examples mix `2023-04-12T10:52:54.5359678Z` (syncUtc, lastSync)
// with `2023-06-14T11:39:00Z` (created). The simulator emits both forms through one formatter.
//
// On input, the spec's date-time schema (`Connection.properties.created`) allows `2022-10-23`,
// `2021-11-15T01:00:00` (no zone) and offsets; the simulator accepts all of them and, like Codat does
// for sync dates, reads a value without a zone as UTC.

const CODAT_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** Milliseconds since the epoch, or undefined when the text is not a date-time Codat would accept. */
export function parseCodatDateTime(text: string): number | undefined {
  const match = CODAT_DATE_TIME.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4] ?? '0');
  const minute = Number(match[5] ?? '0');
  const second = Number(match[6] ?? '0');
  // Ticks below a millisecond cannot be held by a JS Date; they only matter for display.
  const millisecond = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  if (hour > 23 || minute > 59 || second > 59) return undefined;

  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0-99 to 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millisecond);
  // Reject dates that JS would roll over (2023-02-30 becomes 2023-03-02).
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }

  const zone = match[8];
  if (zone === undefined || zone === 'Z') return date.getTime();
  const sign = zone.startsWith('-') ? -1 : 1;
  const offsetHours = Number(zone.slice(1, 3));
  const offsetMinutes = Number(zone.slice(4, 6));
  if (offsetHours > 14 || offsetMinutes > 59) return undefined;
  return date.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}

/**
 * Formats an instant as Codat does: UTC, `Z`, fraction trimmed of trailing zeros.
 * `subMillisecondTicks` (0-9999) supplies the 100 ns digits a JS Date does not have.
 */
export function formatCodatDateTime(epochMs: number, subMillisecondTicks = 0): string {
  const wholeSeconds = new Date(epochMs).toISOString().slice(0, 19);
  const ticks = (((epochMs % 1000) + 1000) % 1000) * 10_000 + subMillisecondTicks;
  const fraction = ticks === 0 ? '' : `.${String(ticks).padStart(7, '0').replace(/0+$/, '')}`;
  return `${wholeSeconds}${fraction}Z`;
}

/**
 * Sub-millisecond ticks whose last digit is never 0, so that a fresh `syncUtc` always shows the full
 * 7 fractional digits seen in Codat's examples (a trailing 0 would be trimmed to 6).
 */
export function randomSubMillisecondTicks(): number {
  const ticks = Math.floor(Math.random() * 10_000);
  return ticks % 10 === 0 ? ticks + 1 : ticks;
}

/** Midnight UTC at the start of the day holding `epochMs`. */
export function startOfUtcDay(epochMs: number): number {
  return epochMs - (((epochMs % 86_400_000) + 86_400_000) % 86_400_000);
}

export const DAY_MS = 86_400_000;
