// Span helpers used at Hookline's own ports (HTTP server, event store, bus,
// document store, dispatcher, scheduler) rather than monkey-patching
// instrumentations: they work in ESM without loader hooks, on the embedded
// backends as on Kafka and MongoDB, and cost nothing when no SDK is registered.
import type { SpanKind } from '@opentelemetry/api';
import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';

export { SpanKind, SpanStatusCode, context, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';

/** The one tracer every Hookline component records with (a proxy until an SDK registers). */
export const tracer = trace.getTracer('hookline');

/** W3C trace context headers, as they travel in HTTP requests, Kafka headers and CloudEvents. */
export interface TraceHeaders {
  traceparent?: string;
  tracestate?: string;
}

/** The trace context of `ctx` as headers; empty when nothing is traced (no SDK, or no span). */
export function traceHeaders(ctx: Context = context.active()): TraceHeaders {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return {
    ...(carrier.traceparent ? { traceparent: carrier.traceparent } : {}),
    ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
  };
}

/** A context whose remote parent is the given W3C headers (the root context when there are none). */
export function contextFrom(headers: TraceHeaders | undefined, base: Context = ROOT_CONTEXT): Context {
  return headers?.traceparent ? propagation.extract(base, headers) : base;
}

/** Whether `ctx` holds a span to attach children to. */
export function hasSpan(ctx: Context = context.active()): boolean {
  const spanContext = trace.getSpanContext(ctx);
  return spanContext !== undefined && isSpanContextValid(spanContext);
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  links?: Link[];
  /** The parent; the active context when absent. */
  parent?: Context;
}

/** Marks a span failed with the error that ended it. */
export function recordFailure(span: Span, error: unknown) {
  const failure = error instanceof Error ? error : new Error(String(error));
  span.recordException(failure);
  span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
}

/** Runs `fn` in a new active span that ends when it settles (and records the error if it throws). */
export function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  const { parent, ...spanOptions } = options;
  return tracer.startActiveSpan(name, spanOptions, parent ?? context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      recordFailure(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Trace and span ids of the active span, for log lines (empty when nothing is traced). */
export function traceLogFields(): { trace_id?: string; span_id?: string; trace_flags?: string } {
  const spanContext = trace.getSpanContext(context.active());
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return {
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    trace_flags: `0${spanContext.traceFlags.toString(16)}`,
  };
}
