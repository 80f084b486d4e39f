// Metrics of one platform (one process in production; several in-process
// platforms in tests keep separate counts): OpenTelemetry instruments read in
// Prometheus text format on /metrics, and pushed over OTLP/HTTP too when the
// OTEL_* variables configure an exporter.
import type { Meter } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type IMetricReader } from '@opentelemetry/sdk-metrics';
import { tracingSettings } from './sdk.js';

export type { Meter, Counter, Histogram, ObservableGauge, UpDownCounter } from '@opentelemetry/api';
export { createNoopMeter } from '@opentelemetry/api';

export interface PlatformMetrics {
  meter: Meter;
  /** Current values in the Prometheus text exposition format (version 0.0.4). */
  prometheus(): Promise<string>;
  shutdown(): Promise<void>;
}

function otlpEnabled(env: NodeJS.ProcessEnv): boolean {
  if (!tracingSettings(env).enabled && !env.OTEL_METRICS_EXPORTER) return false;
  const exporters = (env.OTEL_METRICS_EXPORTER ?? 'otlp').split(',').map((value) => value.trim());
  return exporters.includes('otlp') && !/^(true|1)$/i.test(env.OTEL_SDK_DISABLED ?? '');
}

export function createPlatformMetrics(serviceName: string, env: NodeJS.ProcessEnv = process.env): PlatformMetrics {
  // A pull reader whose HTTP server never starts: /metrics is served by the platform's fastify.
  const pull = new PrometheusExporter({ preventServerStart: true });
  const readers: IMetricReader[] = [pull];
  if (otlpEnabled(env)) {
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter(),
        exportIntervalMillis: Number(env.OTEL_METRIC_EXPORT_INTERVAL ?? 60_000),
      }),
    );
  }
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? serviceName }),
    readers,
  });
  const serializer = new PrometheusSerializer(undefined, false, undefined, true, true);
  return {
    meter: provider.getMeter('hookline'),
    async prometheus() {
      const { resourceMetrics } = await pull.collect();
      return serializer.serialize(resourceMetrics);
    },
    shutdown: () => provider.shutdown(),
  };
}
