import type { HttpRoute } from './http-route';
import { sendJson } from './json-response';
import { createStaticSite, sendText, type StaticSite } from './static-files';

/**
 * The web UI (web/, built by Vite into dist/web/ at `npm run build`): the sync health page at `/`, the
 * offline explorer (GraphiQL) at `/explorer`, their hashed files under `/assets/`, and
 * `/web-config.json`, which tells the pages where GraphQL is and which merchants to list first. All
 * open (no caller is resolved): the files are public and hold no data; every GraphQL request the pages
 * then send carries the person's token and goes through the caller check like any other.
 * Registered after GraphQL (src/app.ts), so `/graphql` is never shadowed; any path not listed here is
 * still the edge's JSON 404.
 */

export interface WebUiOptions {
  /** The built folder: dist/web (config.webUiDir). */
  root: string;
  /** Where the pages send GraphQL, e.g. '/graphql'. */
  graphqlPath: string;
  /** The companies of a Codat simulator we talk to (its seeded ones), listed first; none against real Codat. */
  suggestedMerchants: readonly { id: string; name: string }[] | undefined;
}

/** URL path → the built file it serves. */
const PAGES: Readonly<Record<string, string>> = { '/': 'index.html', '/explorer': 'explorer/index.html' };
const EXPLORER_PATH = '/explorer';
const CONFIG_PATH = '/web-config.json';
/** Vite's assetsDir (web/vite.config.mts): every name in it carries a content hash. */
const HASHED_DIR = 'assets';

/**
 * The Content-Security-Policy of every page and file: our own origin only, no inline script, no eval,
 * no plugins, no framing, no <base> rewriting.
 * The explorer adds one thing: inline <style> elements. Monaco, GraphiQL's editor, writes its theme
 * and token colours into <style> elements it creates at run time (monaco-editor's
 * `createStyleSheet`), with no way to give them a nonce; without 'unsafe-inline' for styles the editor
 * renders without colours or cursor. Scripts stay strict there too: its workers are files of our
 * origin (web/src/explorer/explorer.main.tsx), and nothing needs 'unsafe-eval'.
 */
const STRICT_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];
export const PAGE_CSP = STRICT_POLICY.join('; ');
export const EXPLORER_CSP = STRICT_POLICY.map((d) => {
  if (d.startsWith('style-src ')) return `${d} 'unsafe-inline'`;
  if (d.startsWith('font-src ')) return `${d} data:`;
  return d;
}).join('; ');

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // For browsers that predate frame-ancestors.
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

function headersFor(file: string): Readonly<Record<string, string>> {
  const policy = file === PAGES[EXPLORER_PATH] ? EXPLORER_CSP : PAGE_CSP;
  return { ...SECURITY_HEADERS, 'content-security-policy': policy };
}

/** The built file a path serves: a page, or a file of the build by its own path; undefined when none. */
export function fileForPath(site: Pick<StaticSite, 'has'>, path: string): string | undefined {
  const page = PAGES[path];
  if (page !== undefined) return page;
  const file = path.slice(1);
  // Only the build's hashed files and top-level files (a favicon); pages are reached by their path.
  if (file.endsWith('.html') || !site.has(file)) return undefined;
  return file;
}

export function webUiRoutes(options: WebUiOptions): HttpRoute[] {
  const site = createStaticSite({ root: options.root, hashedDir: HASHED_DIR, headersFor });
  const config = {
    graphqlPath: options.graphqlPath,
    explorerPath: EXPLORER_PATH,
    upstream: options.suggestedMerchants ? 'simulator' : 'codat',
    merchants: (options.suggestedMerchants ?? []).map(({ id, name }) => ({ id, name })),
  };
  return [
    {
      name: 'web-config',
      open: true,
      matches: (path) => path === CONFIG_PATH,
      async handle({ response }) {
        sendJson(response, { status: 200, body: config, headers: { 'cache-control': 'no-store', ...SECURITY_HEADERS } });
      },
    },
    {
      name: 'web-ui',
      open: true,
      // Unbuilt, the pages' own paths still answer, saying how to build them.
      matches: (path) => (site.built ? fileForPath(site, path) !== undefined : PAGES[path] !== undefined),
      async handle(exchange) {
        const file = fileForPath(site, exchange.path);
        if (!site.built || file === undefined) {
          sendText(exchange.response, 503, 'The web UI has not been built: run `npm run build`, then restart. GraphQL is at /graphql.\n', {
            'cache-control': 'no-store',
            ...SECURITY_HEADERS,
          });
          return;
        }
        await site.serve(exchange, file);
      },
    },
  ];
}
