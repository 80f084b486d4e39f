import { describe, expect, it } from 'vitest';
import { createPlatformMetrics, tracingSettings } from './index.js';

describe('tracingSettings', () => {
  it('is off by default (the embedded zero-setup mode) and on when an exporter is configured', () => {
    expect(tracingSettings({}).enabled).toBe(false);
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({
      enabled: true,
      reason: 'OTLP endpoint set',
    });
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }).enabled).toBe(
      true,
    );
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: 'console' }).enabled).toBe(true);
    expect(
      tracingSettings({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).enabled,
    ).toBe(false);
    expect(
      tracingSettings({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).enabled,
    ).toBe(false);
  });
});

describe('createPlatformMetrics', () => {
  it('reads counters, histograms and gauges in Prometheus text format, each platform apart', async () => {
    const one = createPlatformMetrics('one', {});
    const two = createPlatformMetrics('two', {});
    one.meter.createCounter('hookline.test.events', { description: 'Events' }).add(3, { topic: 'a' });
    one.meter
      .createHistogram('hookline.test.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 1] } })
      .record(0.5);
    one.meter.createObservableGauge('hookline.test.backlog').addCallback(async (result) => result.observe(7));
    two.meter.createCounter('hookline.test.events').add(1);
    const text = await one.prometheus();
    expect(text).toMatch(/^# TYPE hookline_test_events_total counter$/m);
    expect(text).toMatch(/^hookline_test_events_total\{topic="a"\} 3$/m);
    expect(text).toMatch(/^hookline_test_duration_bucket\{le="1"\} 1$/m);
    expect(text).toMatch(/^hookline_test_duration_bucket\{le="0.1"\} 0$/m);
    expect(text).toMatch(/^hookline_test_backlog 7$/m);
    expect(await two.prometheus()).toMatch(/^hookline_test_events_total 1$/m);
    await one.shutdown();
    await two.shutdown();
  });
});
