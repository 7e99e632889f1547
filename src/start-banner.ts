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
  /** The embedded simulator, the real Codat API root, or the tenants of CODAT_TENANTS_FILE by name. */
  upstream: { kind: 'simulator'; url: string } | { kind: 'codat'; url: string } | { kind: 'tenants'; names: string[] };
  /** Who may call, in one sentence; absent on the open demo, where it goes without saying. */
  callers?: string;
  /** Companies to try (the simulator's seeded ones); empty against the real Codat. */
  companies: { id: string; name: string; description: string }[];
  /** A command that answers as pasted, on the simulator. */
  tryCommand?: string;
}

/**
 * The URLs the banner names, in order. The landing page (Apollo Sandbox, loaded from Apollo's CDN) is
 * served outside production only (src/apollo/apollo-server.ts); with WEB_UI on, the sync health page
 * and the offline explorer come first (src/http/web-ui.routes.ts): they are where a person starts.
 */
export function startLinks(options: { production: boolean; webUi: boolean }): StartLink[] {
  return [
    ...(options.webUi
      ? [
          { label: 'Sync health', path: '/', note: "the merchants' commerce syncs, in a browser" },
          { label: 'Explorer', path: '/explorer', note: 'GraphiQL with docs, served from here: works offline' },
        ]
      : []),
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
  auth: { mode: string; introspection: string };
  /** Tenant names, when CODAT_TENANTS_FILE configures them. */
  tenants?: readonly string[];
}

function callersOf(facts: StartFacts): string | undefined {
  if (facts.auth.mode !== 'none') return `Callers: AUTH_MODE=${facts.auth.mode}, introspection ${facts.auth.introspection}.`;
  // Against a real Codat account an open door deserves a sentence; on the simulator it is the point.
  if (!facts.simulator) return 'Callers: AUTH_MODE=none, every caller may read and start syncs for every company.';
  return undefined;
}

function upstreamOf(facts: StartFacts): StartBanner['upstream'] {
  if (facts.simulator) return { kind: 'simulator', url: facts.simulator.url };
  if (facts.tenants) return { kind: 'tenants', names: [...facts.tenants] };
  return { kind: 'codat', url: facts.codatBaseUrl };
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
    upstream: upstreamOf(facts),
    ...(callersOf(facts) && { callers: callersOf(facts) }),
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
  if (banner.callers) lines.push(banner.callers);
  if (banner.upstream.kind === 'codat') {
    lines.push(`Upstream: ${banner.upstream.url}`);
    return lines;
  }
  if (banner.upstream.kind === 'tenants') {
    lines.push(`Upstream: ${banner.upstream.names.length} Codat tenant(s): ${banner.upstream.names.join(', ')}`);
    return lines;
  }
  lines.push(`No CODAT_API_KEY: using the embedded Codat simulator at ${banner.upstream.url}. Companies to try:`);
  for (const company of banner.companies) lines.push(`  ${company.id}  ${company.name}: ${company.description}`);
  if (banner.tryCommand) lines.push(`Try: ${banner.tryCommand}`);
  return lines;
}
