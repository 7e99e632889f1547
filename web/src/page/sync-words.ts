// How sync facts read on the page. Pure, like error-words.ts (test/unit/web-words.test.ts).

/** The label of a sync state (SyncState, schema.graphql); unknown values, including ones added later, read as themselves. */
export function stateLabel(state: string, commerceSyncId: string | null | undefined): string {
  if (!commerceSyncId) return 'Never synced';
  switch (state) {
    case 'SUCCEEDED':
      return 'Succeeded';
    case 'FAILED':
      return 'Failed';
    case 'IN_PROGRESS':
      return 'In progress';
    case 'NOT_STARTED':
      return 'Not started';
    case 'UNKNOWN':
      return 'Unknown';
    default:
      return state.charAt(0) + state.slice(1).toLowerCase().replace(/_/g, ' ');
  }
}

/** The CSS modifier for a state: the colour always comes with the words, never alone. */
export function stateTone(state: string, commerceSyncId: string | null | undefined): 'ok' | 'bad' | 'busy' | 'none' {
  if (!commerceSyncId) return 'none';
  if (state === 'SUCCEEDED') return 'ok';
  if (state === 'FAILED') return 'bad';
  if (state === 'IN_PROGRESS') return 'busy';
  return 'none';
}

/** "2025-06-04 00:12 UTC": what support teams compare with Codat's portal and logs. */
export function utcWords(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "9 hours ago", "yesterday", "just now". */
export function ageWords(iso: string, nowMs: number): string {
  const seconds = Math.round((nowMs - Date.parse(iso)) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(-Math.floor(seconds / size), unit);
  }
  return 'just now';
}

/** Codat's connection status words: LINKED → "Linked", PENDING_AUTH → "Pending auth". */
export function connectionStatusLabel(status: string): string {
  return status.charAt(0) + status.slice(1).toLowerCase().replace(/_/g, ' ');
}

/** A Codat company id: a UUID. Checked before anything is sent, to say so at once. */
export function isCompanyId(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value.trim());
}
