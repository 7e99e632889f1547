import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export interface Tracing {
  tracer: Tracer;
  /** Flushes spans not yet exported; called on shutdown. */
  shutdown(): Promise<void>;
}

export const SERVICE_NAME = 'codat-commerce-subgraph';

/**
 * A tracer provider of our own, not registered globally: nothing else in the process is instrumented,
 * and keeping it local lets tests run several servers with separate exporters. Spans are parented
 * explicitly (see request-origin.ts), so no global context manager is needed.
 */
export function createTracing(spanProcessor: SpanProcessor): Tracing {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: SERVICE_NAME }),
    spanProcessors: [spanProcessor],
  });
  return { tracer: provider.getTracer(SERVICE_NAME), shutdown: () => provider.shutdown() };
}

/**
 * Tracing for production, built only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (index.ts decides).
 * The exporter reads that variable (and OTEL_EXPORTER_OTLP_HEADERS etc.) itself, per the
 * OpenTelemetry spec, and posts spans to `${endpoint}/v1/traces`.
 */
export function createOtlpTracing(): Tracing {
  return createTracing(new BatchSpanProcessor(new OTLPTraceExporter()));
}
