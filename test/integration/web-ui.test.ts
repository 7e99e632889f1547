import { mkdtempSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

import { buildASTSchema, parse, printType, type GraphQLObjectType, type GraphQLUnionType } from 'graphql';

import { loadConfig } from '../../src/config';
import { createStaticSite, contentTypeOf } from '../../src/http/static-files';
import { EXPLORER_CSP, PAGE_CSP } from '../../src/http/web-ui.routes';
import { buildCommerceSchema } from '../../src/schema';
import { SEEDED_COMPANIES } from '../../src/simulator';
import { startHarness, useHarness } from '../support/harness';

// What the server sends for the web UI (src/http/web-ui.routes.ts over src/http/static-files.ts), over
// HTTP to the real server: content types, caching, security headers, the refusals. What the pages do
// in a browser is test/browser/web-ui.browser.test.ts.

const root = resolve(__dirname, '../..');
const webDir = loadConfig({}).webUiDir;

/** A request sent exactly as written (fetch would resolve `..` and encoded slashes before sending). */
function rawGet(base: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolveAnswer, reject) => {
    const req = httpRequest({ host: hostname, port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolveAnswer({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The hashed files a built page loads (its <script src> and <link href>), as URL paths. */
function assetsOf(html: string, pagePath: string): string[] {
  const refs = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1] ?? '');
  return refs.map((ref) => new URL(ref, `http://x${pagePath.endsWith('/') ? pagePath : `${pagePath}/`}`).pathname);
}

describe('the web UI over HTTP', () => {
  const h = useHarness();

  it('serves the page at / as HTML that is revalidated, under a strict Content-Security-Policy', async () => {
    const res = await fetch(`${h.baseUrl}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe(PAGE_CSP);
    expect(PAGE_CSP).toContain("default-src 'self'");
    expect(PAGE_CSP).toContain("script-src 'self'");
    expect(PAGE_CSP).toContain("style-src 'self'");
    expect(PAGE_CSP).not.toContain('unsafe');
    const html = await res.text();
    // No inline script or style for the policy to allow: only files of our own.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|style="/);
    expect(html).not.toMatch(/https?:\/\//);

    const again = await fetch(`${h.baseUrl}/`, { headers: { 'if-none-match': res.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
  });

  it('serves the explorer at /explorer (and /explorer/), allowing only the inline styles its editor needs', async () => {
    for (const path of ['/explorer', '/explorer/']) {
      const res = await fetch(`${h.baseUrl}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(EXPLORER_CSP);
      expect(await res.text()).toContain('<div id="explorer">');
    }
    expect(EXPLORER_CSP).toContain("style-src 'self' 'unsafe-inline'");
    expect(EXPLORER_CSP).toContain("script-src 'self';");
    expect(EXPLORER_CSP).not.toContain('unsafe-eval');
  });

  it("serves the pages' hashed files as immutable, with their content types, gzipped when asked", async () => {
    const pages = { '/': await (await fetch(`${h.baseUrl}/`)).text(), '/explorer': await (await fetch(`${h.baseUrl}/explorer`)).text() };
    const assets = Object.entries(pages).flatMap(([path, html]) => assetsOf(html, path));
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/assets\/[\w.-]+-[\w-]{8}\.(js|css)$/);
      const res = await fetch(`${h.baseUrl}${asset}`, { headers: { 'accept-encoding': 'identity' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('content-type')).toBe(asset.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-encoding')).toBeNull();
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.equals(readFileSync(join(webDir, ...asset.slice(1).split('/'))))).toBe(true);
    }

    const js = assets.find((a) => a.endsWith('.js')) ?? '';
    const gzipped = await new Promise<{ encoding: string | undefined; body: Buffer }>((resolveAnswer, reject) => {
      const { hostname, port } = new URL(h.baseUrl);
      httpRequest({ host: hostname, port, path: js, headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolveAnswer({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
      })
        .on('error', reject)
        .end();
    });
    expect(gzipped.encoding).toBe('gzip');
    expect(gunzipSync(gzipped.body).equals(readFileSync(join(webDir, ...js.slice(1).split('/'))))).toBe(true);
  });

  it('knows the content type of every file the build emits', () => {
    const site = createStaticSite({ root: webDir, hashedDir: 'assets', headersFor: () => ({}) });
    expect(site.built).toBe(true);
    const unknown = site.files().filter((file) => contentTypeOf(file) === 'application/octet-stream');
    expect(unknown).toEqual([]);
  });

  it('serves nothing outside the build: traversal, encoded slashes, sources, unknown paths', async () => {
    const secretish = readFileSync(join(root, 'package.json'), 'utf8').slice(0, 40);
    for (const path of [
      '/../package.json',
      '/assets/../../package.json',
      '/assets/..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/package.json',
      '/explorer/../../../etc/passwd',
      '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      '/src/page/page.main.tsx',
      '/web/index.html',
      '/assets/',
      '/assets',
      '/index.html',
      '/nothing-here',
    ]) {
      const res = await rawGet(h.baseUrl, path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.body).not.toContain(secretish);
      expect(res.body).not.toContain('root:');
    }
  });

  it('answers only GET and HEAD', async () => {
    const post = await fetch(`${h.baseUrl}/`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${h.baseUrl}/explorer`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
  });

  it("tells the pages where GraphQL is and which merchants to list: the simulator's seeded ones", async () => {
    const res = await fetch(`${h.baseUrl}/web-config.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({
      graphqlPath: '/graphql',
      explorerPath: '/explorer',
      upstream: 'simulator',
      merchants: SEEDED_COMPANIES.map(({ id, name }) => ({ id, name })),
    });
    // Nothing of this reached Codat.
    expect(h.simulator.requests()).toHaveLength(0);
  });

  it("keeps web/src/graphql/federation.graphql (the page's `_entities` types) true to the schema the server runs", () => {
    const served = buildCommerceSchema();
    const declared = buildASTSchema(
      parse(
        `${readFileSync(join(root, 'schema.graphql'), 'utf8')}\n${readFileSync(join(root, 'web/src/graphql/federation.graphql'), 'utf8')}`,
      ),
      {
        assumeValidSDL: true,
      },
    );
    const field = (schema: typeof served) => (schema.getQueryType() as GraphQLObjectType).getFields()._entities;
    expect(String(field(declared)?.type)).toBe(String(field(served)?.type));
    expect(field(declared)?.args.map((a) => `${a.name}: ${String(a.type)}`)).toEqual(
      field(served)?.args.map((a) => `${a.name}: ${String(a.type)}`),
    );
    expect(printType(declared.getType('_Entity') as GraphQLUnionType)).toBe(printType(served.getType('_Entity') as GraphQLUnionType));
  });
});

describe('the web UI switched off or not built', () => {
  it('with WEB_UI=off serves none of it: /, /explorer and /web-config.json are the JSON 404', async () => {
    const h = await startHarness({ config: { webUi: false } });
    try {
      for (const path of ['/', '/explorer', '/web-config.json']) {
        const res = await fetch(`${h.baseUrl}${path}`);
        expect(res.status).toBe(404);
        expect(await res.json()).toEqual({ error: 'Not found. GraphQL is served at /graphql.' });
      }
    } finally {
      await h.close();
    }
  });

  it('without a build, says how to make one at / and /explorer', async () => {
    const h = await startHarness({ config: { webUiDir: mkdtempSync(join(tmpdir(), 'ccs-no-web-')) } });
    try {
      for (const path of ['/', '/explorer']) {
        const res = await fetch(`${h.baseUrl}${path}`);
        expect(res.status).toBe(503);
        expect(await res.text()).toContain('The web UI has not been built: run `npm run build`');
      }
      expect((await fetch(`${h.baseUrl}/assets/x.js`)).status).toBe(404);
    } finally {
      await h.close();
    }
  });
});
