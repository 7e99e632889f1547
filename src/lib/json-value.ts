/** A parsed JSON object (not an array, not null): what the configuration file readers expect at each level. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
