import { pino, type Logger } from 'pino';
import { traceLogFields } from '@hookline/telemetry';

/** Paths never written to logs: credentials in headers and any field named like a secret. */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'headers.authorization',
  '*.secret',
  '*.signingSecret',
  '*.apiKey',
  '*.password',
  '*.token',
];

export function createLogger(options: { name: string; level?: string; destination?: NodeJS.WritableStream }): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      redact: { paths: redactedPaths, censor: '[redacted]' },
      // Every line written inside a traced operation names its trace and span.
      mixin: traceLogFields,
    },
    options.destination as pino.DestinationStream | undefined,
  );
}
