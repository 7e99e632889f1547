/**
 * Whether year-month-day hour:minute:second names a real instant. `Date.UTC` silently rolls impossible
 * values over (31 February becomes 3 March, 25:00 the next day), so both the Codat date reader
 * (codat/codat-dates.ts) and the DateTime scalar (scalars/date-time.scalar.ts) check with this first.
 */
export function isRealDateTime(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): boolean {
  if (hour > 23 || minute > 59 || second > 59) return false;
  const calendar = new Date(0);
  calendar.setUTCFullYear(year, month - 1, day);
  return calendar.getUTCFullYear() === year && calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
}
