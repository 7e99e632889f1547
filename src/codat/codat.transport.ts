import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

import { AxiosError, AxiosHeaders, type AxiosAdapter, type CreateAxiosDefaults, type InternalAxiosRequestConfig } from 'axios';
import { Agent as UndiciAgent } from 'undici';

/**
 * How `CodatClient` moves bytes. axios stays the client API in every case (interceptors, config, errors),
 * only the adapter underneath changes:
 * - `axios-http`: axios's default node:http adapter (Node 20's global agent already keeps connections alive);
 * - `axios-keep-alive`: the same adapter with an explicit keep-alive agent sized to the concurrency bound;
 * - `axios-undici`: an adapter over undici's connection pool (`Agent.request()`), which skips node:http's
 *   per-request machinery. Measured fastest on this project's benchmark (README, "Performance").
 */
export type CodatTransport = 'axios-http' | 'axios-keep-alive' | 'axios-undici';

export const CODAT_TRANSPORTS: readonly CodatTransport[] = ['axios-http', 'axios-keep-alive', 'axios-undici'];

/** The default: the winner of `npm run bench` (see README). */
export const DEFAULT_CODAT_TRANSPORT: CodatTransport = 'axios-undici';

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
      const agent = new UndiciAgent({ connections, keepAliveTimeout: 4_000 });
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
 * Maps undici's own error codes to the node:http codes axios's default adapter would report, so
 * `codat.client.ts` classifies failures the same way whichever transport carried them.
 */
const UNDICI_CODES: Record<string, string> = {
  UND_ERR_SOCKET: 'ECONNRESET',
  UND_ERR_CLOSED: 'ECONNRESET',
  UND_ERR_CONNECT_TIMEOUT: AxiosError.ETIMEDOUT,
  UND_ERR_HEADERS_TIMEOUT: AxiosError.ETIMEDOUT,
  UND_ERR_BODY_TIMEOUT: AxiosError.ETIMEDOUT,
};

/**
 * An axios adapter over an undici dispatcher. It keeps the contract of axios's http adapter for what our
 * client relies on: the whole attempt is bounded by `config.timeout` (an `ETIMEDOUT` AxiosError, or
 * `ECONNABORTED` without `clarifyTimeoutError`), `config.signal` cancels (`ERR_CANCELED`), network failures become AxiosErrors carrying the
 * system code (ECONNREFUSED, ECONNRESET, ...), and the body is handed back as text. Redirects are not
 * followed (our client sets `maxRedirects: 0`).
 */
export function undiciAdapter(agent: UndiciAgent): AxiosAdapter {
  return async (config) => {
    const url = new URL(fullPath(config));
    const timeoutMs = config.timeout ?? 0;
    const controller = new AbortController();
    let timedOut = false;
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, timeoutMs)
        : undefined;
    // The caller's own signal (our client bounds the whole exchange with one) cancels the request too.
    const outer = config.signal as AbortSignal | undefined;
    const cancel = (): void => controller.abort();
    if (outer?.aborted) controller.abort();
    else outer?.addEventListener?.('abort', cancel, { once: true });
    try {
      const response = await agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: (config.method ?? 'get').toUpperCase() as 'GET',
        headers: plainHeaders(config),
        body: typeof config.data === 'string' || Buffer.isBuffer(config.data) ? config.data : undefined,
        signal: controller.signal,
      });
      const data = await response.body.text();
      const headers = new AxiosHeaders();
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const result = { data, status: response.statusCode, statusText: '', headers, config, request: {} };
      if (config.validateStatus && !config.validateStatus(response.statusCode)) {
        throw new AxiosError(`Request failed with status code ${response.statusCode}`, AxiosError.ERR_BAD_RESPONSE, config, {}, result);
      }
      return result;
    } catch (error) {
      if (error instanceof AxiosError) throw error;
      if (timedOut) {
        const code = config.transitional?.clarifyTimeoutError ? AxiosError.ETIMEDOUT : AxiosError.ECONNABORTED;
        throw new AxiosError(`timeout of ${timeoutMs}ms exceeded`, code, config);
      }
      if (outer?.aborted) throw new AxiosError('canceled', AxiosError.ERR_CANCELED, config);
      const raw = (error as { code?: unknown }).code;
      const code = typeof raw === 'string' ? (UNDICI_CODES[raw] ?? raw) : undefined;
      throw new AxiosError(error instanceof Error ? error.message : 'request failed', code, config);
    } finally {
      if (timer) clearTimeout(timer);
      outer?.removeEventListener?.('abort', cancel);
    }
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
