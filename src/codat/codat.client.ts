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
import { DEFAULT_BACKOFF, planRetry, type BackoffOptions } from './retry';
import { DEFAULT_CIRCUIT, UpstreamCircuit, isCircuitOpenError, type CircuitOptions, type CircuitStateName } from './circuit-breaker';
import { createTransport, DEFAULT_CODAT_TRANSPORT, type CodatTransport } from './codat.transport';

/** One HTTP exchange with Codat, reported after it ends (for metrics, logs and traces); or, with outcome 'circuit-open', one the circuit breaker refused. */
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

/** A failed attempt that will be followed by another after `delayMs`. */
export interface CodatRetryEvent {
  operation: CodatOperation;
  method: 'GET' | 'POST';
  path: string;
  /** The attempt that failed (1 for the first try); the next one is `attempt + 1`. */
  attempt: number;
  delayMs: number;
  reason: UpstreamFailureKind;
  status?: number;
}

/** Observers of the client. They see no headers and no key; an observer that throws is ignored. */
export interface CodatClientHooks {
  onAttempt?(event: CodatAttemptEvent): void;
  onRetry?(event: CodatRetryEvent): void;
  /** The circuit to this base URL changed state (see circuit-breaker.ts). */
  onCircuitStateChange?(state: CircuitStateName): void;
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
  /** Retries after a failed GET (see retry.ts); 0 turns retries off. Default 3 (`CODAT_MAX_RETRIES`). */
  maxRetries?: number;
  /** Backoff between retries; defaults to Codat's SDK policy (500 ms, x1.5, capped at 5 s). Tests use small values. */
  backoff?: Partial<BackoffOptions>;
  /**
   * Bound on one call including its retries and its wait for a concurrency slot: no wait or attempt runs
   * past it, so a GraphQL field answers within it. Default 25 s (`CODAT_DEADLINE_MS`), under common gateway timeouts.
   */
  deadlineMs?: number;
  /** Circuit breaker for this base URL (see circuit-breaker.ts). */
  circuit?: Partial<CircuitOptions>;
  /** Source of jitter, [0, 1). Default Math.random. */
  random?: () => number;
  hooks?: CodatClientHooks;
  /** What carries the HTTP exchanges under axios; default: the benchmark's winner (codat.transport.ts). */
  transport?: CodatTransport;
}

export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_DEADLINE_MS = 25_000;
/** A retry is only made when at least this much (or the per-attempt timeout, if smaller) is left before the deadline. */
const MIN_ATTEMPT_MS = 250;
/** `networkCode` of a timeout that happened in our own queue, before anything was sent. */
const DEADLINE_EXCEEDED = 'DEADLINE_EXCEEDED';

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
  private readonly circuit: UpstreamCircuit;
  private readonly backoff: BackoffOptions;
  private readonly transport: ReturnType<typeof createTransport>;

  constructor(private readonly options: CodatClientOptions) {
    this.limit = pLimit(options.maxConcurrency);
    this.transport = createTransport(options.transport ?? DEFAULT_CODAT_TRANSPORT, options.maxConcurrency);
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.circuit = new UpstreamCircuit({ ...DEFAULT_CIRCUIT, ...options.circuit }, (state) =>
      notify(() => options.hooks?.onCircuitStateChange?.(state)),
    );
    this.http = axios.create({
      ...this.transport.axiosDefaults,
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

  /** Closes pooled upstream connections; call when the server stops. */
  close(): Promise<void> {
    return this.transport.close();
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

  /** The circuit breaker's state for this base URL, for readiness checks and metrics. */
  circuitState(): CircuitStateName {
    return this.circuit.state();
  }

  /**
   * One logical call: attempts, with retries as retry.ts decides, inside the deadline. Each attempt
   * passes the circuit breaker, then waits for a concurrency slot; the slot is released before any
   * backoff sleep, so a sleeping retry never holds up other requests.
   */
  private async request<T>(call: Call<T>): Promise<T> {
    const deadline = performance.now() + (this.options.deadlineMs ?? DEFAULT_DEADLINE_MS);
    const maxRetries = this.options.maxRetries ?? DEFAULT_MAX_RETRIES;
    let previous: UpstreamError | undefined;
    for (let attempt = 1; ; attempt += 1) {
      let failure: UpstreamError;
      try {
        return await this.guarded(call, attempt, deadline);
      } catch (error) {
        if (!(error instanceof UpstreamError)) throw error;
        failure = error;
      }
      // A retry that never reached Codat (the circuit opened, or the deadline ran out in the queue) does
      // not replace the last real answer, which says more.
      if (previous && (failure.kind === 'circuit-open' || failure.details.networkCode === DEADLINE_EXCEEDED)) throw previous;
      const delayMs = planRetry({
        method: call.method,
        failure: failure.details,
        attempt,
        maxRetries,
        remainingMs: deadline - performance.now(),
        minAttemptMs: Math.min(MIN_ATTEMPT_MS, this.options.timeoutMs),
        random: this.options.random ?? Math.random,
        backoff: this.backoff,
      });
      if (delayMs === undefined) throw failure;
      notify(() =>
        this.options.hooks?.onRetry?.({
          operation: call.operation,
          method: call.method,
          path: call.path,
          attempt,
          delayMs,
          reason: failure.kind,
          status: failure.status,
        }),
      );
      await sleep(delayMs);
      previous = failure;
    }
  }

  /** One attempt behind the circuit breaker and the concurrency limit, bounded by what is left of the deadline. */
  private async guarded<T>(call: Call<T>, attempt: number, deadline: number): Promise<T> {
    try {
      // Bound to the caller's async context: p-limit 3 starts a queued call from whichever call finished
      // before it, and hooks that look up "the request this call belongs to" must see the right one.
      return await this.circuit.run(() =>
        this.limit(
          AsyncResource.bind(() => {
            const remaining = Math.floor(deadline - performance.now());
            if (remaining <= 0) {
              // The budget went on waiting for a slot; nothing was sent, and Codat is not to blame.
              throw new UpstreamError({
                kind: 'timeout',
                operation: call.operation,
                method: call.method,
                path: call.path,
                attempts: attempt - 1,
                networkCode: DEADLINE_EXCEEDED,
                mayHaveReachedUpstream: false,
              });
            }
            return this.observed(call, attempt, Math.min(this.options.timeoutMs, remaining));
          }),
        ),
      );
    } catch (error) {
      if (!isCircuitOpenError(error)) throw error;
      // Reported like an attempt (outcome 'circuit-open', no status) so metrics and logs show calls refused by the breaker.
      this.reportAttempt(call, attempt, { durationMs: 0, outcome: 'circuit-open' });
      throw new UpstreamError({
        kind: 'circuit-open',
        operation: call.operation,
        method: call.method,
        path: call.path,
        attempts: attempt - 1,
        mayHaveReachedUpstream: false,
      });
    }
  }

  /** Tells the hooks about one attempt (or one the circuit refused); a throwing hook is ignored. */
  private reportAttempt(
    call: Call<unknown>,
    attempt: number,
    result: Pick<CodatAttemptEvent, 'durationMs' | 'outcome' | 'status' | 'correlationId'>,
  ): void {
    notify(() => this.options.hooks?.onAttempt?.({ operation: call.operation, method: call.method, path: call.path, attempt, ...result }));
  }

  /** Runs one attempt and reports it to the hooks, whatever its outcome. */
  private async observed<T>(call: Call<T>, attempt: number, timeoutMs: number = this.options.timeoutMs): Promise<T> {
    const started = performance.now();
    const report = (outcome: CodatAttemptEvent['outcome'], status?: number, correlationId?: string): void =>
      this.reportAttempt(call, attempt, { durationMs: performance.now() - started, outcome, status, correlationId });
    try {
      const { value, status } = await this.attempt(call, attempt, timeoutMs);
      report('ok', status);
      return value;
    } catch (error) {
      if (error instanceof UpstreamError) report(error.kind, error.status, error.details.correlationId);
      throw error;
    }
  }

  /**
   * One HTTP exchange, translated: a parsed value, or an `UpstreamError` built from plain values.
   * axios's own `timeout` is an idle timer on the socket (a trickling answer resets it), so an abort
   * signal bounds the whole exchange as well.
   */
  private async attempt<T>(
    call: Call<T>,
    attempt: number,
    timeoutMs: number = this.options.timeoutMs,
  ): Promise<{ value: T; status: number }> {
    const base = { operation: call.operation, method: call.method, path: call.path, attempts: attempt };
    let response: AxiosResponse<string>;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      response = await this.http.request<string>({
        method: call.method,
        url: call.path,
        data: call.body,
        timeout: timeoutMs,
        signal: abort.signal,
      });
    } catch (error) {
      throw transportError(error, base, abort.signal.aborted);
    } finally {
      clearTimeout(timer);
    }
    // Parsed once: the error path reads Codat's ErrorMessage from it, the success path the value.
    const json = tryJson(response.data);
    if (response.status < 200 || response.status > 299) {
      const correlation = parseErrorMessage(json);
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
function transportError(error: unknown, base: Omit<UpstreamErrorDetails, 'kind'>, timedOut = false): UpstreamError {
  const code = error instanceof AxiosError ? error.code : undefined;
  if (timedOut || code === AxiosError.ETIMEDOUT || code === 'ECONNABORTED') {
    return new UpstreamError({ ...base, kind: 'timeout', networkCode: timedOut ? 'ETIMEDOUT' : code, mayHaveReachedUpstream: true });
  }
  return new UpstreamError({
    ...base,
    kind: 'network',
    networkCode: code ?? 'UNKNOWN',
    mayHaveReachedUpstream: !(code && NOT_SENT_CODES.has(code)),
  });
}

/** Observers must not break a call: whatever a hook throws is dropped (it may hold anything). */
function notify(fn: () => void): void {
  try {
    fn();
  } catch {
    // ignored on purpose
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
