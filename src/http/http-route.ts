import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

import type { Logger } from '../observability/logger';
import type { JsonAnswer } from './json-response';

/** What the edge knows about one request before a route handles it. */
export interface RequestFacts {
  request: IncomingMessage;
  /** The request's URL, parsed when first asked for (routing needs only `path`). */
  url: URL;
  /**
   * `url.pathname` with one trailing slash removed ('/' stays '/'): routes match this, so `/graphql/`
   * is served like `/graphql` (clients and test tools that join a base URL and a path add one).
   */
  path: string;
  /** The caller's `x-request-id` when sane, else a new UUID; echoed on the response. */
  requestId: string;
  /** The service logger with this request's id on every line. */
  logger: Logger;
}

/** One HTTP request given to a route. `caller` is set when the route is not `open` and a resolver is configured. */
export interface HttpExchange<TCaller = unknown> extends RequestFacts {
  response: ServerResponse;
  caller: TCaller | undefined;
}

/** One upgrade request (e.g. a WebSocket handshake) given to an upgrade route: node:http hands over the raw socket. */
export interface UpgradeExchange<TCaller = unknown> extends RequestFacts {
  socket: Duplex;
  head: Buffer;
  caller: TCaller | undefined;
}

/**
 * An entry in the edge's route table. The table is ordered: the first route whose `matches` accepts the
 * path serves the request. Health routes come first and are open; an unknown path is a JSON 404.
 */
export interface HttpRoute<TCaller = unknown> {
  /** For reading the table and for logs. */
  name: string;
  matches(path: string): boolean;
  /** Served without resolving a caller (health checks, metrics, static pages); default false. */
  open?: boolean;
  handle(exchange: HttpExchange<TCaller>): Promise<void>;
}

/** An entry in the table of upgrade routes (same rules as HttpRoute); an unknown path is refused with a 404. */
export interface UpgradeRoute<TCaller = unknown> {
  name: string;
  matches(path: string): boolean;
  /**
   * Handshakes that carry no usable header (graphql-ws sends its token in `connection_init`, after the
   * upgrade) set this and authenticate inside the protocol.
   */
  open?: boolean;
  handle(exchange: UpgradeExchange<TCaller>): Promise<void>;
}

/**
 * Who is calling: resolved once per request from its headers, before the route runs (and before Apollo).
 * Either a caller, whatever the resolver makes of the headers (an anonymous caller included, when the
 * policy lets some operations through without one), or an answer the edge sends instead, such as a 401
 * with `WWW-Authenticate: Bearer`.
 */
export type CallerResolver<TCaller> = (facts: RequestFacts) => Promise<{ caller: TCaller } | { refuse: JsonAnswer }>;

/** A matcher for routes served at exactly these paths (compared with `RequestFacts.path`). */
export function atPaths(...paths: string[]): (path: string) => boolean {
  const set = new Set(paths);
  return (path) => set.has(path);
}

/** A matcher for routes served at `prefix` and everything under it (e.g. static files under /explorer). */
export function underPath(prefix: string): (path: string) => boolean {
  return (path) => path === prefix || path.startsWith(`${prefix}/`);
}

/** The path routes match: one trailing slash removed, the root kept. */
export function routePath(pathname: string): string {
  return pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
}

/**
 * A request target whose path URL parsing gives back as it is: segments of letters, digits, `_`, `-`
 * and `~`, then a query or nothing. No dot segments, escapes, backslashes, empty segments or fragment,
 * which parsing would change or drop.
 */
const PLAIN_TARGET = /^((?:\/[\w~-]+)*\/?)(?:\?|$)/;

/**
 * The route path of a request target (`request.url`): what `routePath(new URL(target, base).pathname)`
 * gives, without parsing the URL when the target is plain (every request of an ordinary client). Parsing
 * cost a request about 2.5 µs of a cached answer's 140 (README, "Performance"); the edge parses the URL
 * only when a route asks for it.
 */
export function routePathOf(target: string): string {
  const plain = PLAIN_TARGET.exec(target);
  return routePath(plain ? plain[1]! : new URL(target, 'http://localhost').pathname);
}
