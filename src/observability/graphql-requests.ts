import { performance } from 'node:perf_hooks';

import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';

import { writePlainLine, type Logger } from './logger';
import type { Metrics } from './metrics';
import { OperationLabels } from './operation-label';
import type { RequestOrigin } from './request-origin';
import type { Tracing } from './tracing';

/**
 * One GraphQL request as observability sees it, in plain words: no Apollo or graphql types, so that this
 * folder stays a leaf. The Apollo plugin (src/apollo/graphql-observability.plugin.ts) feeds it from
 * Apollo's request hooks and decides, with src/errors.ts, which codes the client saw and what was masked.
 */
export interface GraphQLRequestReport {
  /** The operation passed validation and is known: names the span. */
  resolved(operation: { type: string; name: string | undefined }): void;
  /** An error the client sees masked; only its name and message are logged (an error object may hold anything). */
  unexpectedError(cause: { name: string; message: string }, path: readonly (string | number)[] | undefined): void;
  /** The response goes out: one metric sample, one log line, and the span ends. */
  finished(result: GraphQLRequestResult): void;
}

export interface GraphQLRequestResult {
  /** As the client named it; a metric label only once `resolved` said the name was checked. */
  operationName: string | undefined;
  operationType: string | undefined;
  /** The codes the client saw, in order (after formatError); empty when there were no errors. */
  errorCodes: readonly string[];
}

export interface GraphQLRequestStart {
  requestId: string;
  /** What the request's Codat calls carry (src/context.ts): its span goes there, and its logger logs an unexpected error. */
  origin: RequestOrigin;
}

export type GraphQLRequestReporter = (start: GraphQLRequestStart) => GraphQLRequestReport;

/**
 * One metric sample, one log line and (tracing on) one span per GraphQL request. The span is put on the
 * request's origin (request-origin.ts) so that the Codat calls it causes become its children. The access
 * line goes through the service logger with `requestId` as its first field: the same text as a line of
 * the request's child logger (pino writes a child's bindings right after the base ones), without making
 * that child, which costs a request several µs, and as a plain line (logger.ts, writePlainLine) without
 * pino's walk over its fields (README, "Performance").
 */
export function createGraphQLRequestReporter(parts: {
  logger: Logger;
  metrics: Metrics;
  tracing: Tracing | undefined;
}): GraphQLRequestReporter {
  const { logger, metrics, tracing } = parts;
  const labels = new OperationLabels();
  return ({ requestId, origin }) => {
    const started = performance.now();
    let span: Span | undefined;
    if (tracing) {
      span = tracing.tracer.startSpan('graphql.request', { kind: SpanKind.SERVER, attributes: { 'graphql.request_id': requestId } });
      origin.span = span;
    }
    let resolved = false;
    return {
      resolved({ type, name }) {
        resolved = true;
        span?.updateName(`graphql ${type} ${name ?? 'anonymous'}`);
        span?.setAttributes({ 'graphql.operation.type': type, 'graphql.operation.name': name ?? '' });
      },
      unexpectedError(cause, path) {
        origin.logger.error(
          { event: 'graphql.unexpected_error', errorName: cause.name, errorMessage: cause.message, path },
          'unexpected error',
        );
      },
      finished({ operationName, operationType, errorCodes }) {
        const outcome = errorCodes[0] ?? 'ok';
        const operation = labels.label(operationName, resolved);
        const seconds = (performance.now() - started) / 1000;
        metrics.countGraphQLRequest(operation, outcome);
        metrics.graphqlDuration.observe({ operation, outcome }, seconds);
        const line = {
          requestId,
          event: 'graphql.request',
          operationName: operationName ?? null,
          operationType: operationType ?? null,
          outcome,
          errorCodes,
          durationMs: Math.round(seconds * 10_000) / 10,
        };
        if (errorCodes.length === 0) writePlainLine(logger, 'info', line, 'graphql request');
        else writePlainLine(logger, 'warn', line, 'graphql request with errors');
        if (span) {
          span.setAttribute('graphql.outcome', outcome);
          if (errorCodes.length > 0) {
            span.setAttribute('graphql.error_codes', [...errorCodes]);
            span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
          }
          span.end();
        }
      },
    };
  };
}
