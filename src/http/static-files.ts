import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

import { headerValue } from '../lib/headers';
import type { HttpExchange } from './http-route';

/**
 * Serving the files of one built folder (the web UI's dist/web/, src/http/web-ui.routes.ts):
 * - the folder is listed once, when the site is created: only files found then can be served, and a
 *   URL is looked up in that list, never joined onto a path, so `..`, encoded slashes or symlinks
 *   cannot reach anything else;
 * - content types from a closed table of what the build emits (anything else is octet-stream, which
 *   `nosniff` keeps from being run);
 * - hashed files (under the build's assets folder) are immutable for a year; everything else, the HTML
 *   above all, is `no-cache` with an ETag, so a new build is picked up at the next load;
 * - text is gzipped when the client accepts it, once per file, kept in memory with the file.
 */

/** What the build emits, and how a browser must read it. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.map', '.svg', '.ttf', '.txt', '.wasm']);

/** A year: the longest max-age browsers honour; hashed names change whenever the content does. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export interface StaticSiteOptions {
  /** The folder to serve, e.g. dist/web. */
  root: string;
  /** Folder (relative to root) of hashed file names: served as immutable. */
  hashedDir: string;
  /** Headers on every file this site serves (security headers); `headersFor` may add per-file ones. */
  headersFor(file: string): Readonly<Record<string, string>>;
}

export interface StaticSite {
  /** False when the folder did not exist or held no file (the build has not run). */
  built: boolean;
  /** Every servable file, as a path relative to root with forward slashes ('index.html', 'assets/x.js'). */
  files(): string[];
  has(file: string): boolean;
  /** Answers a GET or HEAD with `file` (which must be one of files()). */
  serve(exchange: Pick<HttpExchange, 'request' | 'response'>, file: string): Promise<void>;
}

interface Loaded {
  body: Buffer;
  etag: string;
  gzipped: Promise<Buffer> | undefined;
}

const gzipAsync = promisify(gzip);

export function createStaticSite(options: StaticSiteOptions): StaticSite {
  const files = new Set(listFiles(options.root));
  const loaded = new Map<string, Promise<Loaded>>();
  const hashedPrefix = `${options.hashedDir.replace(/\/+$/, '')}/`;

  function load(file: string): Promise<Loaded> {
    let entry = loaded.get(file);
    if (!entry) {
      entry = readFile(join(options.root, ...file.split('/'))).then((body) => ({
        body,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
        gzipped: undefined,
      }));
      // A failed read (the file was deleted under us) is not kept: the next request tries again.
      entry.catch(() => loaded.delete(file));
      loaded.set(file, entry);
    }
    return entry;
  }

  return {
    built: files.size > 0,
    files: () => [...files],
    has: (file) => files.has(file),
    async serve({ request, response }, file) {
      const method = (request.method ?? 'GET').toUpperCase();
      if (method !== 'GET' && method !== 'HEAD') {
        sendText(response, 405, 'Method not allowed: this is a static file.\n', { allow: 'GET, HEAD' });
        request.resume();
        return;
      }
      const entry = await load(file);
      const extension = extname(file).toLowerCase();
      for (const [name, value] of Object.entries(options.headersFor(file))) response.setHeader(name, value);
      response.setHeader('content-type', contentTypeOf(file));
      response.setHeader('cache-control', file.startsWith(hashedPrefix) ? IMMUTABLE : REVALIDATE);
      response.setHeader('etag', entry.etag);
      const compressible = COMPRESSIBLE.has(extension);
      if (compressible) response.setHeader('vary', 'accept-encoding');

      if (matchesEtag(headerValue(request.headers['if-none-match']), entry.etag)) {
        response.statusCode = 304;
        response.end();
        return;
      }
      let body = entry.body;
      if (compressible && acceptsGzip(headerValue(request.headers['accept-encoding'])) && body.length > 1024) {
        entry.gzipped ??= gzipAsync(entry.body);
        body = await entry.gzipped;
        response.setHeader('content-encoding', 'gzip');
      }
      response.statusCode = 200;
      response.setHeader('content-length', String(body.length));
      response.end(method === 'HEAD' ? undefined : body);
    },
  };
}

/** Regular files under root, recursively, relative with '/'; none when root is missing. Symlinks are not followed. */
function listFiles(root: string): string[] {
  let entries;
  try {
    entries = readdirSync(root, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((file) => !file.startsWith('../') && statSync(join(root, file)).isFile());
}

/** `If-None-Match` with our tag among its values, or `*` (RFC 9110 section 13.1.2; weak comparison). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}

/** gzip listed in `Accept-Encoding` without `q=0`. */
function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false;
    return !params.some((p) => /^\s*q\s*=\s*0(\.0{0,3})?\s*$/.test(p));
  });
}

/** A short plain-text answer (a page that is not built, a refused method). */
export function sendText(response: ServerResponse, status: number, text: string, headers: Readonly<Record<string, string>> = {}): void {
  response.statusCode = status;
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.setHeader('content-type', 'text/plain; charset=utf-8');
  response.end(text);
}
