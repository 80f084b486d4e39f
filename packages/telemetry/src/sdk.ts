// The OpenTelemetry Node SDK for a Hookline process, configured by the standard
// OTEL_* variables. Tracing is off unless an exporter is configured
// (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or
// OTEL_TRACES_EXPORTER), so the embedded zero-setup mode exports nothing.
import { NodeSDK } from '@opentelemetry/sdk-node';

export interface TracingStatus {
  enabled: boolean;
  /** Why it is on or off, for the startup log line. */
  reason: string;
}

let started: { sdk: NodeSDK; status: TracingStatus } | undefined;

export function tracingSettings(env: NodeJS.ProcessEnv): TracingStatus {
  if (/^(true|1)$/i.test(env.OTEL_SDK_DISABLED ?? '')) return { enabled: false, reason: 'OTEL_SDK_DISABLED' };
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
  if (exporters.includes('none')) return { enabled: false, reason: 'OTEL_TRACES_EXPORTER=none' };
  if (exporters.length > 0) return { enabled: true, reason: `OTEL_TRACES_EXPORTER=${exporters.join(',')}` };
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT)
    return { enabled: true, reason: 'OTLP endpoint set' };
  return { enabled: false, reason: 'no OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_TRACES_EXPORTER' };
}

/**
 * Starts tracing once per process (several services in one process share it).
 * The service name is OTEL_SERVICE_NAME, else `serviceName`; sampling follows
 * OTEL_TRACES_SAMPLER(_ARG); the exporter is OTLP over HTTP (protobuf) unless
 * OTEL_TRACES_EXPORTER / OTEL_EXPORTER_OTLP_PROTOCOL say otherwise. Metrics are
 * not the SDK's: each platform keeps its own provider (see metrics.ts).
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): TracingStatus {
  if (started) return started.status;
  const status = tracingSettings(env);
  if (!status.enabled) return status;
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ?? serviceName,
    instrumentations: [],
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  started = { sdk, status };
  return status;
}

/** Flushes and stops tracing (at process shutdown). */
export async function stopTracing() {
  const current = started;
  started = undefined;
  await current?.sdk.shutdown();
}
