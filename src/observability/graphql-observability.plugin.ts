import { performance } from 'node:perf_hooks';

import type { ApolloServerPlugin } from '@apollo/server';
import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

import { UpstreamError } from '../codat/codat.errors';

import type { Context } from '../context';
import { PASS_THROUGH_CODES } from '../errors';
import type { Observability } from './observability';
import { OperationLabels } from './operation-label';
import { requestScope } from './request-scope';

/** Error codes that may appear as the `outcome` label; anything else counts as INTERNAL_SERVER_ERROR. */
const OUTCOME_CODES: ReadonlySet<string> = new Set([...PASS_THROUGH_CODES, 'INTERNAL_SERVER_ERROR']);

/** An error `formatError` will mask: not an upstream failure, and no code set by us or by Apollo. */
export function isUnexpected(error: GraphQLError): boolean {
  if (error.extensions.code !== undefined) return false;
  const cause = error.originalError;
  if (cause instanceof UpstreamError) return false;
  return !(cause instanceof GraphQLError && cause.extensions.code !== undefined);
}

function errorCodes(errors: readonly GraphQLFormattedError[] | undefined): string[] {
  return (errors ?? []).map((e) => {
    const code = e.extensions?.code;
    return typeof code === 'string' && OUTCOME_CODES.has(code) ? code : 'INTERNAL_SERVER_ERROR';
  });
}

/**
 * One metric sample, one log line and (tracing on) one span per GraphQL request. Error codes are read
 * from the response as sent, i.e. after `formatError`, so they are the codes the client saw.
 */
export function createObservabilityPlugin(
  observability: Pick<Observability, 'metrics' | 'logger' | 'tracing'>,
): ApolloServerPlugin<Context> {
  const { metrics, tracing } = observability;
  const labels = new OperationLabels();
  return {
    async requestDidStart(start) {
      const started = performance.now();
      const scope = requestScope.getStore();
      let span: Span | undefined;
      if (tracing) {
        span = tracing.tracer.startSpan('graphql.request', {
          kind: SpanKind.SERVER,
          attributes: { 'graphql.request_id': start.contextValue.requestId },
        });
        if (scope) scope.span = span;
      }
      let resolved = false;
      return {
        async didResolveOperation(ctx) {
          resolved = true;
          const type = ctx.operation?.operation ?? 'query';
          span?.updateName(`graphql ${type} ${ctx.operationName ?? 'anonymous'}`);
          span?.setAttributes({ 'graphql.operation.type': type, 'graphql.operation.name': ctx.operationName ?? '' });
        },
        async didEncounterErrors(ctx) {
          // Masked errors reach the client as INTERNAL_SERVER_ERROR; their cause belongs in our log.
          // Only name and message: an error object may hold anything (redaction backs this up).
          for (const error of ctx.errors) {
            if (!isUnexpected(error)) continue;
            const cause = error.originalError ?? error;
            ctx.contextValue.logger.error(
              { event: 'graphql.unexpected_error', errorName: cause.name, errorMessage: cause.message, path: error.path },
              'unexpected error',
            );
          }
        },
        async willSendResponse(ctx) {
          const body = ctx.response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
          const codes = errorCodes(errors);
          const outcome = codes[0] ?? 'ok';
          const operation = labels.label(ctx.operationName ?? ctx.request.operationName, resolved);
          const seconds = (performance.now() - started) / 1000;
          metrics.graphqlRequests.inc({ operation, outcome });
          metrics.graphqlDuration.observe({ operation, outcome }, seconds);
          const line = {
            event: 'graphql.request',
            operationName: ctx.operationName ?? ctx.request.operationName ?? null,
            operationType: ctx.operation?.operation ?? null,
            outcome,
            errorCodes: codes,
            durationMs: Math.round(seconds * 10_000) / 10,
          };
          const log = ctx.contextValue.logger;
          if (codes.length === 0) log.info(line, 'graphql request');
          else log.warn(line, 'graphql request with errors');
          if (span) {
            span.setAttribute('graphql.outcome', outcome);
            if (codes.length > 0) {
              span.setAttribute('graphql.error_codes', codes);
              span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
            }
            span.end();
          }
        },
      };
    },
  };
}
