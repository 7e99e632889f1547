/**
 * What `npm start` tells whoever started it, once it listens: where to send GraphQL (and, with the web
 * UI, where to point a browser), the plain HTTP endpoints, which Codat it talks to and, on the embedded
 * simulator, the seeded companies to try with a command that works as pasted. The content is decided
 * here; how it is written out (plain text, a log line) is the entry point's business (src/index.ts).
 */

/** One URL worth naming at start. */
export interface StartLink {
  label: string;
  /** Path under the server's base URL, e.g. `/graphql`. */
  path: string;
  /** What it is for, in a few words. */
  note: string;
}

export interface StartBanner {
  /** e.g. http://127.0.0.1:4000 */
  baseUrl: string;
  links: { label: string; url: string; note: string }[];
  /** The embedded simulator, or the real Codat API root. */
  upstream: { kind: 'simulator'; url: string } | { kind: 'codat'; url: string };
  /** Companies to try (the simulator's seeded ones); empty against the real Codat. */
  companies: { id: string; name: string; description: string }[];
  /** A command that answers as pasted, on the simulator. */
  tryCommand?: string;
}

/**
 * The URLs the banner names, in order. The landing page (Apollo Sandbox, loaded from Apollo's CDN) is
 * served outside production only (src/apollo/apollo-server.ts); further pages add their entry here.
 */
export function startLinks(options: { production: boolean }): StartLink[] {
  return [
    {
      label: 'GraphQL',
      path: '/graphql',
      note: options.production ? 'POST queries and mutations' : "POST queries; in a browser, Apollo Sandbox, loaded from Apollo's CDN",
    },
    { label: 'Health', path: '/healthz', note: 'liveness; /readyz readiness; /metrics Prometheus' },
  ];
}

export interface StartFacts {
  /** Where the server listens, as `listen()` resolved it. */
  listenUrl: string;
  links: readonly StartLink[];
  simulator?: { url: string; companies: readonly { id: string; name: string; description: string }[] };
  codatBaseUrl: string;
}

/** The banner's content. A wildcard listen address is shown as localhost, which is where a browser on this machine finds it. */
export function describeStart(facts: StartFacts): StartBanner {
  const baseUrl = facts.listenUrl.replace('//0.0.0.0', '//localhost').replace('//[::]', '//localhost');
  const graphql = `${baseUrl}/graphql`;
  const companies = facts.simulator ? [...facts.simulator.companies] : [];
  const first = companies[0];
  const query = first ? `{ commerceSyncStatus(companyId: \\"${first.id}\\") { state syncStatus syncUtc } }` : undefined;
  return {
    baseUrl,
    links: facts.links.map((link) => ({ label: link.label, url: `${baseUrl}${link.path}`, note: link.note })),
    upstream: facts.simulator ? { kind: 'simulator', url: facts.simulator.url } : { kind: 'codat', url: facts.codatBaseUrl },
    companies,
    ...(query && { tryCommand: `curl -s ${graphql} -H 'content-type: application/json' -d '{"query":"${query}"}'` }),
  };
}

/**
 * The banner as lines of text. The first says where GraphQL is; the last starts with "Try:" on the
 * simulator, "Upstream:" against Codat (test/support/entry-process.ts waits for it).
 */
export function bannerLines(banner: StartBanner): string[] {
  const graphql = banner.links.find((link) => link.label === 'GraphQL')?.url ?? `${banner.baseUrl}/graphql`;
  const width = Math.max(...banner.links.map((link) => link.label.length));
  const lines = [`codat-commerce-subgraph ready at ${graphql}`];
  for (const link of banner.links) lines.push(`  ${link.label.padEnd(width)}  ${link.url}  (${link.note})`);
  if (banner.upstream.kind === 'codat') {
    lines.push(`Upstream: ${banner.upstream.url}`);
    return lines;
  }
  lines.push(`No CODAT_API_KEY: using the embedded Codat simulator at ${banner.upstream.url}. Companies to try:`);
  for (const company of banner.companies) lines.push(`  ${company.id}  ${company.name}: ${company.description}`);
  if (banner.tryCommand) lines.push(`Try: ${banner.tryCommand}`);
  return lines;
}
