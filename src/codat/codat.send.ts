import { performance } from 'node:perf_hooks';

import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import pLimit, { type Limit } from 'p-limit';

import { headerValue } from '../lib/headers';
import { pauseUnless } from '../lib/pause';
import type { CallOrigin, CodatOperation } from './codat.api';
import { CompanySlots, type FleetSlot, type FleetSlots } from './company-slots';
import { CLIENT_CLOSED, UpstreamError } from './codat.errors';
import { notify, type CodatAttemptEvent, type CodatClientHooks } from './codat.events';
import type { ParseResult } from './codat.parse';
import { CodatQuota, type QuotaView } from './codat.quota';
import { createTransport, type CodatTransport, type TransportSetup } from './codat.transport';
import {
  deadlineSpentWaiting,
  heldBack,
  neverStarted,
  refusedByCircuit,
  stoppedBeforeSending,
  translate,
  type AnswerHeaders,
  type AttemptOf,
  type AttemptResult,
  type Exchange,
} from './codat.translate';
import { UpstreamCircuit, isCircuitOpenError, type CircuitOptions, type CircuitStateName } from './circuit-breaker';
import { RequestWindow } from './request-window';
import { planRetry, type BackoffOptions } from './retry';

/**
 * The one way a request reaches Codat. `send()` owns, from the outside in:
 *
 *   deadline     one budget for the call, its retries and its waits (CODAT_DEADLINE_MS)
 *   retry        attempts as retry.ts decides; a POST that may have reached Codat is never sent again
 *   quota        Codat's daily quota as its last answers said (codat.quota.ts): under the reserve a GET is
 *                refused at once (RATE_LIMITED, no call), and once it is spent every call is
 *   circuit      per base URL, counted per attempt (circuit-breaker.ts)
 *   slots        taken per attempt and released before any backoff sleep, in this order:
 *                CODAT_MAX_CONCURRENCY_PER_COMPANY per company in this instance (company-slots.ts),
 *                CODAT_MAX_CONCURRENCY for the instance, CODAT_MAX_REQUESTS_PER_MINUTE sends a minute
 *                (request-window.ts), then the company's fleet-wide slot when a shared store is given
 *   attempt      one timer, one HTTP exchange through axios, described in plain values
 *   translation  that description becomes a value or an UpstreamError (codat.translate.ts, the one rule)
 *   reporting    each attempt (and each one the circuit refused) to the hooks (codat.events.ts)
 *
 * Retry sits outside the circuit and the slots on purpose: the breaker counts failing attempts, not
 * failing calls, and a sleeping retry must not hold a slot that another request could use. The quota is
 * checked before the circuit, so that a refusal never becomes the circuit's half-open probe (cockatiel
 * closes the circuit on an error it does not count); it is fed by every answer's `X-Rate-Limit-*`
 * headers, failures included. A POST whose outcome is unknown (sent, then no answer: `outcomeUnknown()`
 * in codat.errors.ts) leaves `send()` as that UpstreamError, for the idempotency records kept above
 * CodatApi (src/sync/sync.idempotency.ts).
 *
 * `close()` (the server stopping, src/app.ts) ends every call still going: exchanges on the wire are
 * aborted (network, CLIENT_CLOSED), waits and backoff sleeps end at once, and nothing is sent or retried
 * after it. It resolves once every call has settled, so each one's last report (its `codat.call` log
 * line) is written before the server logs that it stopped.
 */

/** One request, as the endpoint table (codat.client.ts) resolves it. */
export interface CodatRequest<T> {
  /** The spec's operationId. */
  operation: CodatOperation;
  method: 'GET' | 'POST';
  /** Path with its ids filled in and encoded. */
  path: string;
  /** The company the request is about (every Sync for Commerce operation names one): Codat counts concurrency per company. */
  companyId: string;
  body?: unknown;
  /** Checks a 2xx body's shape (codat.parse.ts). */
  parse: (body: unknown) => ParseResult<T>;
  /** Whom the call is for (`CodatApi.onBehalfOf`): handed to the hooks with every report. */
  origin?: CallOrigin;
}

/** Every setting comes from the composition root (src/app.ts reads them from Config); none has a default here. */
export interface SendOptions {
  /** e.g. https://api.codat.io (no trailing slash needed). */
  baseUrl: string;
  /** Codat API key; sent as `Authorization: Basic base64(key)` as the spec's `auth_header` scheme says. */
  apiKey: string;
  /** Bound on one attempt, connect to last byte (`CODAT_TIMEOUT_MS`). */
  timeoutMs: number;
  /**
   * Bound on one call including its retries and its waits for a slot (`CODAT_DEADLINE_MS`): no attempt
   * starts or runs past it, so a GraphQL field answers within it.
   */
  deadlineMs: number;
  /** Retries after a failed GET (see retry.ts); 0 turns retries off (`CODAT_MAX_RETRIES`). */
  maxRetries: number;
  /** Waits between retries (retry.ts). */
  backoff: BackoffOptions;
  /**
   * Attempts in flight for this client, across all GraphQL requests and companies (`CODAT_MAX_CONCURRENCY`):
   * a safety bound on the instance's sockets, well above the per-company bound so that a dashboard of
   * many companies goes out in one round trip.
   */
  maxConcurrency: number;
  /** Attempts in flight per company (`CODAT_MAX_CONCURRENCY_PER_COMPANY`): Codat allows 10. */
  maxConcurrencyPerCompany: number;
  /** Requests sent per sliding minute by this instance (`CODAT_MAX_REQUESTS_PER_MINUTE`), under Codat's per-IP ceiling. */
  maxRequestsPerMinute: number;
  /**
   * The window that counts them, when several clients share one (Codat's ceiling is per IP: every
   * tenant's client of an instance counts against it); absent, the client keeps its own.
   */
  requestWindow?: RequestWindow;
  /** Fraction of the daily quota kept for sync requests (`CODAT_QUOTA_RESERVE`), see codat.quota.ts. */
  quotaReserve: number;
  /** The company's fleet-wide slots (src/shared-state/, with REDIS_URL); absent, the per-instance bound alone holds. */
  fleetSlots?: FleetSlots;
  /** Circuit breaker for this base URL (see circuit-breaker.ts). */
  circuit: CircuitOptions;
  /** Source of retry jitter, [0, 1). */
  random: () => number;
  hooks: CodatClientHooks;
  /** What carries the HTTP exchanges under axios (codat.transport.ts). */
  transport: CodatTransport;
}

/** A retry is only made when at least this much (or the per-attempt timeout, if smaller) is left before the deadline. */
const MIN_ATTEMPT_MS = 250;

export class CodatSender {
  private readonly http: AxiosInstance;
  private readonly limit: Limit;
  private readonly companies: CompanySlots;
  private readonly window: RequestWindow;
  private readonly quota: CodatQuota;
  private readonly circuit: UpstreamCircuit;
  private readonly transport: TransportSetup;
  /** Aborted by close(): no attempt, retry or wait of this client starts or goes on after it. */
  private readonly closing = new AbortController();
  /** The controllers of exchanges on the wire, for close() to abort. */
  private readonly exchanges = new Set<AbortController>();
  /** Calls not yet settled, for close() to wait for. */
  private readonly calls = new Set<Promise<unknown>>();
  private closed: Promise<void> | undefined;

  constructor(private readonly options: SendOptions) {
    this.limit = pLimit(options.maxConcurrency);
    this.companies = new CompanySlots(options.maxConcurrencyPerCompany);
    this.window = options.requestWindow ?? new RequestWindow(options.maxRequestsPerMinute, 60_000);
    this.quota = new CodatQuota(options.quotaReserve, Date.now);
    this.transport = createTransport(options.transport, options.maxConcurrency);
    this.circuit = new UpstreamCircuit(options.circuit, (state) => notify(() => options.hooks.onCircuitStateChange?.(state)));
    this.http = axios.create({
      ...this.transport.axiosDefaults,
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      headers: {
        Authorization: `Basic ${Buffer.from(options.apiKey, 'utf8').toString('base64')}`,
        Accept: 'application/json',
      },
      // Every status and every body is read by the translation rule, so that a non-JSON 2xx is detected
      // rather than silently handed on as a string. No `timeout`: the attempt's own timer bounds it.
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      maxRedirects: 0,
    });
  }

  /** One call: the pipeline above. Resolves with the parsed value or rejects with an `UpstreamError`. */
  send<T>(request: CodatRequest<T>): Promise<T> {
    const call = this.call(request);
    this.calls.add(call);
    const settled = (): void => void this.calls.delete(call);
    call.then(settled, settled);
    return call;
  }

  private async call<T>(request: CodatRequest<T>): Promise<T> {
    const deadline = performance.now() + this.options.deadlineMs;
    let previous: UpstreamError | undefined;
    for (let attempt = 1; ; attempt += 1) {
      const of: AttemptOf = { operation: request.operation, method: request.method, path: request.path, attempt, origin: request.origin };
      const result = await this.admitted(request, of, deadline);
      if (result.ok) return result.value;
      const failure = result.error;
      // A retry that never started (the circuit opened, or the deadline ran out in the queue) does not
      // replace the last real answer, which says more.
      if (previous && neverStarted(failure)) throw previous;
      // Once the client is closed nothing is sent again: this failure is the call's answer.
      if (this.closing.signal.aborted) throw failure;
      const delayMs = planRetry({
        method: request.method,
        failure: failure.details,
        attempt,
        maxRetries: this.options.maxRetries,
        remainingMs: deadline - performance.now(),
        minAttemptMs: Math.min(MIN_ATTEMPT_MS, this.options.timeoutMs),
        random: this.options.random,
        backoff: this.options.backoff,
      });
      if (delayMs === undefined) throw failure;
      const retry = {
        operation: of.operation,
        method: of.method,
        path: of.path,
        attempt,
        delayMs,
        reason: failure.kind,
        status: failure.status,
        origin: request.origin,
      };
      notify(() => this.options.hooks.onRetry?.(retry));
      await pauseUnless(delayMs, this.closing.signal);
      previous = failure;
    }
  }

  /** The circuit breaker's state for this base URL, for readiness checks and metrics. */
  circuitState(): CircuitStateName {
    return this.circuit.state();
  }

  /** Codat's daily quota as the last answers said, and its pressure (the hook pollers read to slow down). */
  quotaView(): QuotaView {
    return this.quota.view();
  }

  /** Ends every call still going (see the top of this file) and closes pooled connections; call when the server stops. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.closing.abort();
      for (const exchange of this.exchanges) exchange.abort();
      await this.transport.close();
      await Promise.allSettled([...this.calls]);
    })();
    return this.closed;
  }

  /**
   * One attempt behind the circuit breaker and the slots. Inside the breaker a failure is thrown, so that
   * cockatiel counts it (or not: circuit-breaker.ts decides which count); here it becomes a result again.
   */
  private async admitted<T>(request: CodatRequest<T>, of: AttemptOf, deadline: number): Promise<AttemptResult<T>> {
    if (this.closing.signal.aborted) return { ok: false, error: this.stopped(of) };
    const refusal = this.quota.refusal(request.method);
    if (refusal !== undefined) return this.refused(of, heldBack(of, 'daily-quota', refusal));
    try {
      return await this.circuit.run(() => this.inSlots(request, of, deadline, () => this.attempt(request, of, deadline)));
    } catch (error) {
      if (error instanceof UpstreamError) return { ok: false, error };
      if (!isCircuitOpenError(error)) throw error;
      // Reported like an attempt (outcome 'circuit-open', no status) so metrics and logs show calls refused by the breaker.
      this.report(of, { durationMs: 0, outcome: 'circuit-open' });
      return { ok: false, error: refusedByCircuit(of) };
    }
  }

  /** A call one of our limits held back: reported like an attempt (no status), so metrics and logs show it. */
  private refused<T>(of: AttemptOf, error: UpstreamError): AttemptResult<T> {
    this.report(of, { durationMs: 0, outcome: error.kind });
    return { ok: false, error };
  }

  /** The slots an attempt holds while it runs, in the order the top of this file gives. */
  private inSlots<T>(request: CodatRequest<unknown>, of: AttemptOf, deadline: number, run: () => Promise<T>): Promise<T> {
    return this.companies.run(request.companyId, () =>
      this.limit(async () => {
        await this.perMinute(of, deadline);
        const slot = await this.fleetSlot(request.companyId, of, deadline);
        try {
          return await run();
        } finally {
          slot?.release();
        }
      }),
    );
  }

  /** Waits for room under the per-minute ceiling; refuses the call (RATE_LIMITED) when that wait would not fit in the deadline. */
  private async perMinute(of: AttemptOf, deadline: number): Promise<void> {
    for (;;) {
      if (this.closing.signal.aborted) throw this.stopped(of);
      const waitMs = this.window.waitMs(performance.now());
      if (waitMs === 0) {
        this.window.record(performance.now());
        return;
      }
      if (performance.now() + waitMs + Math.min(MIN_ATTEMPT_MS, this.options.timeoutMs) > deadline) {
        const error = heldBack(of, 'per-minute', Math.ceil(waitMs / 1000));
        this.report(of, { durationMs: 0, outcome: error.kind });
        throw error;
      }
      await pauseUnless(waitMs, this.closing.signal);
    }
  }

  /** The company's fleet-wide slot, when a shared store is given; waiting for it counts against the deadline. */
  private async fleetSlot(companyId: string, of: AttemptOf, deadline: number): Promise<FleetSlot | undefined> {
    if (!this.options.fleetSlots) return undefined;
    // Slots held elsewhere in the fleet may not come free before the deadline: close() ends the wait.
    const slot = await this.options.fleetSlots.acquire(companyId, Math.max(0, deadline - performance.now()), this.closing.signal);
    if (this.closing.signal.aborted) {
      if (slot !== 'timed-out') slot.release();
      throw this.stopped(of);
    }
    if (slot === 'timed-out') throw deadlineSpentWaiting(of);
    return slot;
  }

  /** The refusal of an attempt a closed client does not start, reported like one of our limits'. */
  private stopped(of: AttemptOf): UpstreamError {
    const error = stoppedBeforeSending(of);
    this.report(of, { durationMs: 0, outcome: error.kind, networkCode: CLIENT_CLOSED });
    return error;
  }

  /** One attempt within what is left of the deadline: exchange, translation, report. Throws its failure (for the breaker). */
  private async attempt<T>(request: CodatRequest<T>, of: AttemptOf, deadline: number): Promise<AttemptResult<T>> {
    const remaining = Math.floor(deadline - performance.now());
    // The budget went on waiting for a slot: nothing is sent, and nothing is reported as an attempt.
    if (remaining <= 0) throw deadlineSpentWaiting(of);
    const started = performance.now();
    const exchange = await this.exchange(request, Math.min(this.options.timeoutMs, remaining));
    const result = translate(exchange, of, request.parse, Date.now());
    this.quota.observe(
      result.rateLimit,
      exchange.answered ? exchange.status : undefined,
      result.ok ? undefined : result.error.details.retryAfterSeconds,
    );
    this.report(of, {
      durationMs: performance.now() - started,
      outcome: result.ok ? 'ok' : result.error.kind,
      status: exchange.answered ? exchange.status : undefined,
      correlationId: result.ok ? undefined : result.error.details.correlationId,
      networkCode: result.ok ? undefined : result.error.details.networkCode,
      rateLimit: result.rateLimit,
    });
    if (!result.ok) throw result.error;
    return result;
  }

  /**
   * One HTTP exchange under the attempt's one timer, described in plain values. The timer aborts the
   * request through its signal, so it bounds the whole exchange, connect to last byte (axios's own
   * `timeout` would only be a socket idle timer, which a trickling answer resets).
   */
  private async exchange(request: CodatRequest<unknown>, timeoutMs: number): Promise<Exchange> {
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, timeoutMs);
    this.exchanges.add(abort);
    try {
      const response = await this.http.request<string>({
        method: request.method,
        url: request.path,
        data: request.body,
        signal: abort.signal,
      });
      return { answered: true, status: response.status, body: response.data, headers: answerHeaders(response) };
    } catch (error) {
      // Only the code is read: the thrown error (axios's holds the request config with the Authorization
      // header) is dropped here and never travels further.
      if (abort.signal.aborted && !timedOut) return { answered: false, code: CLIENT_CLOSED, timedOut: false };
      return { answered: false, code: errorCode(error), timedOut };
    } finally {
      clearTimeout(timer);
      this.exchanges.delete(abort);
    }
  }

  /** Tells the hooks about one attempt (or one the circuit refused); a throwing hook is ignored. */
  private report(of: AttemptOf, result: Omit<CodatAttemptEvent, 'operation' | 'method' | 'path' | 'attempt'>): void {
    const event: CodatAttemptEvent = {
      operation: of.operation,
      method: of.method,
      path: of.path,
      attempt: of.attempt,
      origin: of.origin,
      ...result,
    };
    notify(() => this.options.hooks.onAttempt?.(event));
  }
}

function answerHeaders(response: AxiosResponse): AnswerHeaders {
  const get = (name: string): string | undefined => {
    const value: unknown = response.headers[name];
    if (typeof value === 'string') return value;
    return Array.isArray(value) ? headerValue(value.map(String)) : undefined;
  };
  return {
    retryAfter: get('retry-after'),
    rateLimitLimit: get('x-rate-limit-limit'),
    rateLimitRemaining: get('x-rate-limit-remaining'),
    rateLimitReset: get('x-rate-limit-reset'),
  };
}

function errorCode(error: unknown): string | undefined {
  const code: unknown = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
