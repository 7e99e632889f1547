import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';

import type { CodatAttemptEvent, CodatClientHooks } from '../codat/codat.client';
import type { Observability } from './observability';
import { requestScope } from './request-scope';

/** The `status` label: the HTTP status when Codat answered, else why there was no answer. */
export function statusLabel(event: Pick<CodatAttemptEvent, 'status' | 'outcome'>): string {
  if (event.status !== undefined) return String(event.status);
  return event.outcome === 'ok' ? 'unknown' : event.outcome;
}

/**
 * The Codat client's observers: a metric sample, a log line and (tracing on) a span per HTTP exchange.
 * Built here so that src/codat/ stays free of prom-client, pino and OpenTelemetry. The GraphQL request
 * that caused the call is found through `requestScope`.
 */
export function createCodatHooks(observability: Pick<Observability, 'metrics' | 'logger' | 'tracing'>): CodatClientHooks {
  const { metrics, logger, tracing } = observability;
  return {
    onAttempt(event) {
      const scope = requestScope.getStore();
      const status = statusLabel(event);
      metrics.codatRequests.inc({ operation: event.operation, status });
      metrics.codatDuration.observe({ operation: event.operation, status }, event.durationMs / 1000);
      if (event.attempt > 1) metrics.codatRetries.inc({ operation: event.operation });

      const line = {
        event: 'codat.call',
        operation: event.operation,
        method: event.method,
        path: event.path,
        status: event.status ?? null,
        outcome: event.outcome,
        attempt: event.attempt,
        durationMs: Math.round(event.durationMs * 10) / 10,
        correlationId: event.correlationId ?? null,
      };
      const log = scope?.logger ?? logger;
      if (event.outcome === 'ok') log.info(line, 'codat call');
      else log.warn(line, 'codat call failed');

      if (tracing) {
        const parent = scope?.span ? trace.setSpan(context.active(), scope.span) : context.active();
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
