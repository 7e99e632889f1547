import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';

import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { originOf } from './request-origin';
import type { Tracing } from './tracing';

/**
 * One HTTP exchange with Codat, as the Codat client reports it after it ends (or, with outcome
 * 'circuit-open', one its circuit breaker refused). Declared here, in observability's own words, so that
 * this folder imports nothing from src/codat/: the client's `CodatAttemptEvent` (src/codat/codat.client.ts)
 * has these fields with narrower types, so TypeScript accepts these hooks as its `CodatClientHooks`.
 */
export interface CodatAttemptReport {
  /** The Codat operation, e.g. `get-sync-status`: a bounded label. */
  operation: string;
  method: string;
  /** Path only; it holds a company id, so it stays out of metric labels. */
  path: string;
  /** 1 for the first try. */
  attempt: number;
  /** HTTP status, when Codat answered. */
  status?: number;
  durationMs: number;
  /** 'ok', or why the attempt failed (timeout, network, http, bad-response), or why we held it back (circuit-open, rate-limited). */
  outcome: string;
  correlationId?: string;
  /** Codat's quota headers, when the answer carried them. */
  rateLimit?: { limit?: number; remaining?: number; resetAtMs?: number };
  /** When no HTTP answer came: the system or TLS code (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED, ETIMEDOUT, ...). */
  networkCode?: string;
  /** Whom the call was made for: a `RequestOrigin` (request-origin.ts) when a GraphQL request made it. */
  origin?: object;
}

export interface CodatHooks {
  onAttempt(event: CodatAttemptReport): void;
}

/** The `status` label: the HTTP status when Codat answered, else why there was no answer. */
export function statusLabel(event: Pick<CodatAttemptReport, 'status' | 'outcome'>): string {
  if (event.status !== undefined) return String(event.status);
  return event.outcome === 'ok' ? 'unknown' : event.outcome;
}

/**
 * The Codat client's observers: a metric sample, a log line and (tracing on) a span per HTTP exchange.
 * Built here so that src/codat/ stays free of prom-client, pino and OpenTelemetry. The GraphQL request
 * that caused the call comes with the report, as its `origin` (request-origin.ts): its line carries that
 * request's id, its span is a child of that request's.
 */
export function createCodatHooks(
  observability: { metrics: Metrics; logger: Logger; tracing: Tracing | undefined },
  tenant: { name: string; label: boolean } | undefined = undefined,
): CodatHooks {
  const { metrics, logger, tracing } = observability;
  // The tenant is a metric label only when the composition root says the set is small; always in logs.
  const label = tenant?.label ? { tenant: tenant.name } : {};
  return {
    onAttempt(event) {
      const request = originOf(event.origin);
      const status = statusLabel(event);
      metrics.codatRequests.inc({ operation: event.operation, status, ...label });
      metrics.codatDuration.observe({ operation: event.operation, status, ...label }, event.durationMs / 1000);
      if (event.attempt > 1) metrics.codatRetries.inc({ operation: event.operation, ...label });
      if (event.rateLimit?.remaining !== undefined || event.rateLimit?.limit !== undefined) metrics.quotaSeen();

      const line = {
        event: 'codat.call',
        ...(tenant ? { tenant: tenant.name } : {}),
        operation: event.operation,
        method: event.method,
        path: event.path,
        status: event.status ?? null,
        outcome: event.outcome,
        attempt: event.attempt,
        durationMs: Math.round(event.durationMs * 10) / 10,
        correlationId: event.correlationId ?? null,
        // Tells a DNS failure (ENOTFOUND) from a refused connection, a proxy reset or a certificate problem.
        networkCode: event.networkCode ?? null,
      };
      const log = request?.logger ?? logger;
      if (event.outcome === 'ok') log.info(line, 'codat call');
      else log.warn(line, 'codat call failed');

      if (tracing) {
        const parent = request?.span ? trace.setSpan(context.active(), request.span) : context.active();
        const span = tracing.tracer.startSpan(
          `codat ${event.operation}`,
          {
            kind: SpanKind.CLIENT,
            startTime: Date.now() - event.durationMs,
            attributes: {
              'codat.operation': event.operation,
              'codat.attempt': event.attempt,
              'codat.outcome': event.outcome,
              'http.request.method': event.method,
              ...(event.status !== undefined ? { 'http.response.status_code': event.status } : {}),
              ...(event.correlationId ? { 'codat.correlation_id': event.correlationId } : {}),
              ...(event.networkCode ? { 'error.type': event.networkCode } : {}),
            },
          },
          parent,
        );
        if (event.outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: status });
        span.end();
      }
    },
  };
}
