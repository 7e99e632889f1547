/**
 * Reads an HTTP `Retry-After` header (RFC 9110 section 10.2.3): either a number of seconds or an HTTP date.
 * Returns whole seconds from `now`, never negative; undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | undefined | null, now: number = Date.now()): number | undefined {
  if (header === undefined || header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text);
  // An HTTP date names its day and month ("Sun, 06 Nov 1994 08:49:37 GMT"); Date.parse alone would read "-3" as a year.
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
