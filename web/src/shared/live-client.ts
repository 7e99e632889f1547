// The WebSocket to the subgraph's subscriptions (graphql-ws, `graphql-transport-ws`, on the same
// /graphql path), shared by everything on a page and opened only when a subscription starts. The
// caller's token goes in `connection_init` (a browser cannot set headers on a WebSocket), read when
// the socket opens, so a token set after the page loaded is used by the next connection.
import { createClient, type Client } from 'graphql-ws';

import { readToken } from './auth-token';

/** ws(s)://<this origin><graphqlPath>: the same origin, so the CSP's connect-src 'self' covers it. */
export function liveUrl(graphqlPath: string): string {
  const url = new URL(graphqlPath, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

export function createLiveClient(graphqlPath: string): Client {
  return createClient({
    url: liveUrl(graphqlPath),
    lazy: true,
    // Idle for a moment after the last subscription ends, then close: a page follows syncs now and then.
    lazyCloseTimeout: 5_000,
    connectionParams: () => {
      const token = readToken();
      return token ? { Authorization: `Bearer ${token}` } : {};
    },
    retryAttempts: 2,
  });
}
