// A server span per request, continuing the caller's W3C trace context, with
// the route handler run inside it so everything it calls (event store, Kafka,
// MongoDB) joins the trace. Hooks and the handler are wrapped the way
// @fastify/otel does it: request body parsing runs on socket callbacks, which
// would lose an async-local context set only in onRequest.
import type { FastifyInstance, FastifyRequest, RouteHandlerMethod } from 'fastify';
import {
  context,
  contextFrom,
  recordFailure,
  SpanKind,
  trace,
  tracer,
  type Context,
  type Span,
} from '@hookline/telemetry';

const spanOf = new WeakMap<FastifyRequest, { span: Span; context: Context }>();

/** The request's span context (for handlers that start work outliving the request). */
export function requestContext(request: FastifyRequest): Context | undefined {
  return spanOf.get(request)?.context;
}

export function installRequestTracing(app: FastifyInstance, options: { ignore?: (url: string) => boolean } = {}) {
  app.addHook('onRequest', (request, _reply, done) => {
    const path = request.url.split('?')[0] ?? '/';
    if (options.ignore?.(path)) return done();
    const parent = contextFrom({
      traceparent: headerValue(request.headers.traceparent),
      tracestate: headerValue(request.headers.tracestate),
    });
    const route = request.routeOptions.url;
    const span = tracer.startSpan(
      route ? `${request.method} ${route}` : request.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'url.path': path,
          ...(route ? { 'http.route': route } : {}),
          ...(request.headers['user-agent'] ? { 'user_agent.original': request.headers['user-agent'] } : {}),
        },
      },
      parent,
    );
    const active = trace.setSpan(parent, span);
    spanOf.set(request, { span, context: active });
    context.with(active, done);
  });
  app.addHook('onRoute', (route) => {
    const handler = route.handler as RouteHandlerMethod;
    route.handler = function tracedHandler(this: FastifyInstance, request, reply) {
      const traced = spanOf.get(request);
      return traced
        ? context.with(traced.context, () => handler.call(this, request, reply))
        : handler.call(this, request, reply);
    } as RouteHandlerMethod;
  });
  app.addHook('onError', (request, _reply, error, done) => {
    const traced = spanOf.get(request);
    if (traced) recordFailure(traced.span, error);
    done();
  });
  // A client gone before the answer: the span ends anyway, marked so.
  app.addHook('onRequestAbort', (request, done) => {
    const traced = spanOf.get(request);
    if (traced) {
      traced.span.setAttribute('hookline.request.aborted', true);
      traced.span.end();
      spanOf.delete(request);
    }
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const traced = spanOf.get(request);
    if (traced) {
      traced.span.setAttribute('http.response.status_code', reply.statusCode);
      // Client errors are the client's; only 5xx marks the server span failed.
      if (reply.statusCode >= 500) traced.span.setStatus({ code: 2 });
      traced.span.end();
      spanOf.delete(request);
    }
    done();
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
