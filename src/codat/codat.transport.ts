import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

import { AxiosHeaders, type AxiosAdapter, type CreateAxiosDefaults, type InternalAxiosRequestConfig } from 'axios';
import type { Agent as UndiciAgent } from 'undici';

import { headerValue } from '../lib/headers';

/**
 * How `CodatClient` moves bytes. axios stays the client API in every case (interceptors, config, errors),
 * only the adapter underneath changes:
 * - `axios-http`: axios's default node:http adapter (Node's global agent already keeps connections alive);
 * - `axios-keep-alive` (the default, src/config.ts): the same adapter with an explicit keep-alive agent
 *   sized to the concurrency bound;
 * - `axios-undici`: an adapter over undici's connection pool (`Agent.request()`), which skips node:http's
 *   per-request machinery: the fastest client, but loading it cost the shipped server 12 to 15 MB of peak
 *   memory under load (README, "The transport"), so undici is loaded only for this transport.
 */
export type CodatTransport = 'axios-http' | 'axios-keep-alive' | 'axios-undici';

export const CODAT_TRANSPORTS: readonly CodatTransport[] = ['axios-http', 'axios-keep-alive', 'axios-undici'];

export interface TransportSetup {
  /** Merged into `axios.create()`. */
  axiosDefaults: CreateAxiosDefaults;
  /** Closes pooled connections, aborting exchanges still in flight (idempotent). */
  close(): Promise<void>;
}

/** Builds the axios defaults for a transport; `connections` bounds sockets per upstream origin. */
export function createTransport(transport: CodatTransport, connections: number): TransportSetup {
  switch (transport) {
    case 'axios-http':
      return { axiosDefaults: {}, close: async () => {} };
    case 'axios-keep-alive': {
      const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: connections });
      const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: connections });
      return {
        axiosDefaults: { httpAgent, httpsAgent },
        close: async () => {
          httpAgent.destroy();
          httpsAgent.destroy();
        },
      };
    }
    case 'axios-undici': {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Agent } = require('undici') as { Agent: typeof UndiciAgent };
      const agent = new Agent({ connections, keepAliveTimeout: 4_000 });
      let closed: Promise<void> | undefined;
      return {
        axiosDefaults: { adapter: undiciAdapter(agent) },
        // destroy, not close: close() would wait for exchanges still hanging on Codat, and stop() runs
        // after the server has already given up on them.
        close: () => (closed ??= agent.destroy()),
      };
    }
  }
}

/**
 * An axios adapter over an undici dispatcher: it moves bytes and nothing else. No timer and no error
 * translation of its own: the attempt's one timer (codat.send.ts) cancels through `config.signal`, and
 * whatever undici throws goes up unchanged, for codat.translate.ts to read its code. Every status is
 * handed back as an answer (the client reads each one itself), the body as text, and redirects are not
 * followed (the client sets `maxRedirects: 0`).
 */
export function undiciAdapter(agent: UndiciAgent): AxiosAdapter {
  return async (config) => {
    const url = new URL(fullPath(config));
    const response = await agent.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: (config.method ?? 'get').toUpperCase() as 'GET',
      headers: plainHeaders(config),
      body: typeof config.data === 'string' || Buffer.isBuffer(config.data) ? config.data : undefined,
      signal: config.signal as AbortSignal | undefined,
    });
    const data = await response.body.text();
    const headers = new AxiosHeaders();
    for (const [name, value] of Object.entries(response.headers)) {
      const joined = headerValue(value);
      if (joined !== undefined) headers.set(name, joined);
    }
    return { data, status: response.statusCode, statusText: '', headers, config, request: {} };
  };
}

function fullPath(config: InternalAxiosRequestConfig): string {
  const url = config.url ?? '';
  if (/^https?:\/\//i.test(url) || !config.baseURL) return url;
  return `${config.baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

function plainHeaders(config: InternalAxiosRequestConfig): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers.toJSON())) {
    if (value === undefined || value === null) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return headers;
}
