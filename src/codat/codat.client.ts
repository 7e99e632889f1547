import axios, { AxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import { AsyncResource } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';

import pLimit, { type Limit } from 'p-limit';

import type { CodatApi, CodatOperation } from './codat.api';
import { formatCodatDate } from './codat-dates';
import type * as Codat from './codat.dto';
import { UpstreamError, type UpstreamErrorDetails, type UpstreamFailureKind } from './codat.errors';
import {
  parseCompanySyncStatus,
  parseCompanySyncStatusList,
  parseErrorMessage,
  parseSyncStatus,
  parseSyncSummary,
  type ParseResult,
} from './codat.parse';
import { parseRetryAfter } from './retry-after';

/** One HTTP exchange with Codat, reported after it ends (for metrics, logs and traces). */
export interface CodatAttemptEvent {
  operation: CodatOperation;
  method: 'GET' | 'POST';
  /** Path only; it holds a company id, so keep it out of metric labels. */
  path: string;
  /** 1 for the first try. */
  attempt: number;
  /** HTTP status, when Codat answered. */
  status?: number;
  durationMs: number;
  /** 'ok', or why the attempt failed. */
  outcome: 'ok' | UpstreamFailureKind;
  correlationId?: string;
}

/** Observers of the client. They must not throw; they see no headers and no key. */
export interface CodatClientHooks {
  onAttempt?(event: CodatAttemptEvent): void;
}

export interface CodatClientOptions {
  /** e.g. https://api.codat.io (no trailing slash needed). */
  baseUrl: string;
  /** Codat API key; sent as `Authorization: Basic base64(key)` as the spec's `auth_header` scheme says. */
  apiKey: string;
  /** Bound on one attempt, connect to last byte. */
  timeoutMs: number;
  /**
   * Upstream requests in flight for this client, across all GraphQL requests. Codat allows 10 concurrent
   * requests per company; bounding the whole instance keeps one wide query from starving the rest.
   */
  maxConcurrency: number;
  hooks?: CodatClientHooks;
}

interface Call<T> {
  operation: CodatOperation;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  parse: (body: unknown) => ParseResult<T>;
}

/** Encodes a path segment; callers validate ids first, this is defence in depth against `../`. */
const seg = (value: string): string => encodeURIComponent(value);

/**
 * The axios-backed `CodatApi`. Every call goes through `request()`, which owns the base URL, auth,
 * timeout, concurrency bound, parsing and error translation; the public methods are one-liners.
 */
export class CodatClient implements CodatApi {
  private readonly http: AxiosInstance;
  private readonly limit: Limit;

  constructor(private readonly options: CodatClientOptions) {
    this.limit = pLimit(options.maxConcurrency);
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      timeout: options.timeoutMs,
      headers: {
        Authorization: `Basic ${Buffer.from(options.apiKey, 'utf8').toString('base64')}`,
        Accept: 'application/json',
      },
      // We read every status ourselves and parse JSON ourselves, so that a non-JSON 2xx is detected
      // rather than silently handed on as a string.
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      // Report timeouts as ETIMEDOUT rather than the ambiguous ECONNABORTED.
      transitional: { clarifyTimeoutError: true },
      maxRedirects: 0,
    });
  }

  getSyncStatus(companyId: string): Promise<Codat.SyncStatus> {
    return this.request({
      operation: 'get-sync-status',
      method: 'GET',
      path: `/meta/companies/${seg(companyId)}/sync/commerce/status`,
      parse: parseSyncStatus,
    });
  }

  listSyncs(companyId: string): Promise<Codat.CompanySyncStatus[]> {
    return this.request({
      operation: 'list-syncs',
      method: 'GET',
      path: `/companies/${seg(companyId)}/sync/commerce/syncs/list/status`,
      parse: parseCompanySyncStatusList,
    });
  }

  getLatestSync(companyId: string): Promise<Codat.CompanySyncStatus> {
    return this.request({
      operation: 'get-latest-sync',
      method: 'GET',
      path: `/companies/${seg(companyId)}/sync/commerce/syncs/latest/status`,
      parse: parseCompanySyncStatus,
    });
  }

  getLastSuccessfulSync(companyId: string): Promise<Codat.CompanySyncStatus> {
    return this.request({
      operation: 'get-last-successful-sync',
      method: 'GET',
      path: `/companies/${seg(companyId)}/sync/commerce/syncs/lastSuccessful/status`,
      parse: parseCompanySyncStatus,
    });
  }

  getSyncById(companyId: string, syncId: string): Promise<Codat.CompanySyncStatus> {
    return this.request({
      operation: 'get-sync-by-id',
      method: 'GET',
      path: `/companies/${seg(companyId)}/sync/commerce/syncs/${seg(syncId)}/status`,
      parse: parseCompanySyncStatus,
    });
  }

  requestSync(companyId: string, options: { syncTo?: Date } = {}): Promise<Codat.SyncSummary> {
    // The spec's SyncToLatestArgs: `{}` means "up to now" on Codat's side.
    const body: Codat.SyncToLatestArgs = options.syncTo ? { syncTo: formatCodatDate(options.syncTo) } : {};
    return this.request({
      operation: 'request-sync',
      method: 'POST',
      path: `/companies/${seg(companyId)}/sync/commerce/latest`,
      body,
      parse: parseSyncSummary,
    });
  }

  requestSyncForDateRange(companyId: string, range: { start: Date; finish: Date }): Promise<Codat.SyncSummary> {
    const body: Codat.SyncRange = { dateRange: { start: formatCodatDate(range.start), finish: formatCodatDate(range.finish) } };
    return this.request({
      operation: 'request-sync-for-date-range',
      method: 'POST',
      path: `/meta/companies/${seg(companyId)}/sync/commerce/historic`,
      body,
      parse: parseSyncSummary,
    });
  }

  private request<T>(call: Call<T>): Promise<T> {
    // Bound to the caller's async context: p-limit 3 starts a queued call from whichever call finished
    // before it, and hooks that look up "the request this call belongs to" must see the right one.
    return this.limit(AsyncResource.bind(() => this.observed(call, 1)));
  }

  /** Runs one attempt and reports it to the hooks, whatever its outcome. */
  private async observed<T>(call: Call<T>, attempt: number): Promise<T> {
    const started = performance.now();
    const report = (outcome: CodatAttemptEvent['outcome'], status?: number, correlationId?: string): void => {
      this.options.hooks?.onAttempt?.({
        operation: call.operation,
        method: call.method,
        path: call.path,
        attempt,
        status,
        durationMs: performance.now() - started,
        outcome,
        correlationId,
      });
    };
    try {
      const { value, status } = await this.attempt(call, attempt);
      report('ok', status);
      return value;
    } catch (error) {
      if (error instanceof UpstreamError) report(error.kind, error.status, error.details.correlationId);
      throw error;
    }
  }

  /** One HTTP exchange, translated: a parsed value, or an `UpstreamError` built from plain values. */
  private async attempt<T>(call: Call<T>, attempt: number): Promise<{ value: T; status: number }> {
    const base = { operation: call.operation, method: call.method, path: call.path, attempts: attempt };
    let response: AxiosResponse<string>;
    try {
      response = await this.http.request<string>({ method: call.method, url: call.path, data: call.body });
    } catch (error) {
      throw transportError(error, base);
    }
    const correlation = parseErrorMessage(tryJson(response.data));
    if (response.status < 200 || response.status > 299) {
      throw new UpstreamError({
        ...base,
        kind: 'http',
        status: response.status,
        correlationId: correlation.correlationId,
        codatMessage: correlation.error,
        validation: correlation.validation,
        retryAfterSeconds: parseRetryAfter(headerValue(response, 'retry-after')),
        mayHaveReachedUpstream: true,
      });
    }
    const json = tryJson(response.data);
    if (json === NOT_JSON) {
      throw new UpstreamError({
        ...base,
        kind: 'bad-response',
        status: response.status,
        codatMessage: 'body is not JSON',
        mayHaveReachedUpstream: true,
      });
    }
    const parsed = call.parse(json);
    if (!parsed.ok) {
      throw new UpstreamError({
        ...base,
        kind: 'bad-response',
        status: response.status,
        codatMessage: parsed.problem,
        mayHaveReachedUpstream: true,
      });
    }
    return { value: parsed.value, status: response.status };
  }
}

const NOT_JSON = Symbol('not-json');

function tryJson(text: unknown): unknown {
  if (typeof text !== 'string') return NOT_JSON;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

function headerValue(response: AxiosResponse, name: string): string | undefined {
  const value: unknown = response.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** Error codes that prove the request never left this machine, so even a POST is safe to send again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Turns whatever axios threw into an `UpstreamError`. Only the error's `code` is read: the axios error
 * itself (with its config and headers) is dropped here and never travels further.
 */
function transportError(error: unknown, base: Omit<UpstreamErrorDetails, 'kind'>): UpstreamError {
  const code = error instanceof AxiosError ? error.code : undefined;
  if (code === AxiosError.ETIMEDOUT || code === 'ECONNABORTED') {
    return new UpstreamError({ ...base, kind: 'timeout', networkCode: code, mayHaveReachedUpstream: true });
  }
  return new UpstreamError({
    ...base,
    kind: 'network',
    networkCode: code ?? 'UNKNOWN',
    mayHaveReachedUpstream: !(code && NOT_SENT_CODES.has(code)),
  });
}
