import type { DestinationStream } from 'pino';

/**
 * The value of one Prometheus sample in text exposition format, or undefined when absent. Labels must
 * match exactly the given ones (order free); extra labels on the sample do not match.
 */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const found: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) found[pair[1] ?? ''] = pair[2] ?? '';
    const keys = Object.keys(labels);
    if (keys.length !== Object.keys(found).length || keys.some((k) => found[k] !== labels[k])) continue;
    return Number(match[3]);
  }
  return undefined;
}

/** A pino destination that keeps every line, parsed, for assertions. */
export function captureLogs(): { destination: DestinationStream; raw: string[]; lines: () => Record<string, unknown>[] } {
  const raw: string[] = [];
  return {
    destination: { write: (chunk: string) => void raw.push(chunk) },
    raw,
    lines: () =>
      raw
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
