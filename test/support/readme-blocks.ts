/**
 * The GraphQL examples of README.md as test/integration/readme.test.ts runs them: every ```graphql block,
 * in order, with what the lines above its fence say about it and the ```json answer shown after it.
 *
 * Markers are HTML comments on the lines just above the fence (blank lines between are fine), one
 * directive each or several joined by `;`:
 *   <!-- readme-test: skip (it needs a bearer token) -->   not run; the reason is required
 *   <!-- readme-test: expect UPSTREAM_REJECTED -->         meant to fail: errors of that code only
 *   <!-- readme-test: gateway -->                          sent to `npm run supergraph`'s gateway
 * The answer is the next fenced block when it is ```json, comes before any heading or other fence, and
 * holds `data` or `errors` (a GraphQL response, not some other JSON example).
 */
export interface ReadmeBlock {
  /** 1-based line of the opening fence. */
  line: number;
  /** The nearest heading above it. */
  section: string;
  query: string;
  /** Set when the block is not to be run: why. */
  skip?: string;
  /** The `extensions.code` the block is meant to fail with. */
  expectCode?: string;
  target: 'server' | 'gateway';
  /** The response shown after the block, parsed. */
  answer?: unknown;
  /** What is wrong with the markers or the answer block, as written. */
  problems: string[];
}

const FENCE = /^```(\S*)\s*$/;
const MARKER = /^<!--\s*readme-test:\s*(.*?)\s*-->\s*$/;

export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const fences: { line: number; lang: string; body: string[]; end: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (!open) continue;
    const body: string[] = [];
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end] ?? '')) body.push(lines[end++] ?? '');
    fences.push({ line: i, lang: open[1] ?? '', body, end });
    i = end;
  }

  const blocks: ReadmeBlock[] = [];
  fences.forEach((fence, n) => {
    if (fence.lang !== 'graphql') return;
    const block: ReadmeBlock = { line: fence.line + 1, section: '', query: fence.body.join('\n'), target: 'server', problems: [] };
    for (let i = fence.line - 1; i >= 0; i--) {
      const heading = /^#+\s+(.*)$/.exec(lines[i] ?? '');
      if (heading) {
        block.section = heading[1] ?? '';
        break;
      }
    }
    for (let i = fence.line - 1; i >= 0; i--) {
      const text = lines[i] ?? '';
      if (text.trim() === '') continue;
      const marker = MARKER.exec(text);
      if (!marker) break;
      for (const directive of (marker[1] ?? '').split(';').map((d) => d.trim())) applyDirective(block, directive);
    }
    const next = fences[n + 1];
    if (next && next.lang === 'json' && !lines.slice(fence.end + 1, next.line).some((l) => /^#/.test(l))) {
      try {
        const parsed = JSON.parse(next.body.join('\n')) as unknown;
        if (typeof parsed === 'object' && parsed !== null && ('data' in parsed || 'errors' in parsed)) block.answer = parsed;
      } catch (error) {
        block.problems.push(`the json block after it (line ${next.line + 1}) does not parse: ${String(error)}`);
      }
    }
    blocks.push(block);
  });
  return blocks;
}

function applyDirective(block: ReadmeBlock, directive: string): void {
  const skip = /^skip(?:\s*\((.*)\))?$/.exec(directive);
  if (skip) {
    const reason = skip[1]?.trim();
    if (reason) block.skip = reason;
    else block.problems.push('skipped without a reason: write <!-- readme-test: skip (why) -->');
    return;
  }
  const expect = /^expect\s+([A-Z_]+)$/.exec(directive);
  if (expect) {
    block.expectCode = expect[1];
    return;
  }
  if (directive === 'gateway') {
    block.target = 'gateway';
    return;
  }
  block.problems.push(`unknown readme-test directive "${directive}"`);
}

/**
 * What may differ between the answer shown and the one given: ids (UUIDs, Codat's 32-hex correlation ids)
 * and instants, which are new on every run. Everything else must be as shown.
 */
export function comparable(value: unknown): unknown {
  if (typeof value === 'string') {
    return value
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
      .replace(/\b[0-9a-f]{32}\b/g, '<hex id>')
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/g, '<instant>');
  }
  if (Array.isArray(value)) return value.map(comparable);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, comparable(inner)]));
  }
  return value;
}
