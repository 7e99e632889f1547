/**
 * Operation names come from clients, so as metric labels they must be bounded. The rule:
 * - an operation that failed to parse, validate or resolve is `invalid` (its name was never checked);
 * - an unnamed operation is `anonymous`;
 * - a named one keeps its name (a GraphQL Name, so already [_A-Za-z0-9]), cut to 64 characters,
 *   for the first `limit` distinct names this process sees; every later new name is `other`.
 * Real clients send a few dozen named operations; the cap stops a client that invents names from
 * growing the series without end.
 */
export class OperationLabels {
  private readonly seen = new Set<string>();

  constructor(private readonly limit = 100) {}

  label(name: string | null | undefined, resolved: boolean): string {
    if (!resolved) return 'invalid';
    if (!name) return 'anonymous';
    const cut = name.slice(0, 64);
    if (this.seen.has(cut)) return cut;
    if (this.seen.size >= this.limit) return 'other';
    this.seen.add(cut);
    return cut;
  }
}
