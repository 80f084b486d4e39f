// Calls the owning services' system commands over HTTP (undici, keep-alive)
// with the service credential, as the tenant's system: a hard timeout per call,
// abortable (a killed instance cuts its calls short), the first 64 KiB of the
// answer kept.
import { Agent, request } from 'undici';
import { traceHeaders } from '@hookline/telemetry';

export interface OwnerCall {
  url: string;
  tenant: string;
  body: Record<string, unknown>;
  /** Sent as `hookline-timer-id`, for the owner's logs. */
  timerId: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface OwnerAnswer {
  status?: number;
  body?: string;
  error?: string;
}

export interface OwnerClient {
  call(call: OwnerCall): Promise<OwnerAnswer>;
  close(): Promise<void>;
}

// Enough for the owning services' answers (the events they appended), which are read for their types.
const BODY_LIMIT = 64 * 1024;

export function createOwnerClient(options: { credential?: string | undefined } = {}): OwnerClient {
  const agent = new Agent({ connections: 16, keepAliveTimeout: 10_000 });
  return {
    async call({ url, tenant, body, timerId, timeoutMs, signal }) {
      const signals = [AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])];
      try {
        const response = await request(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            // Only the service credential may name the tenant and the actor (docs/security.md).
            ...(options.credential ? { authorization: `Bearer ${options.credential}` } : {}),
            'hookline-tenant': tenant,
            // The marketplace reads the role and id, the coworking service the actor.
            'hookline-actor-role': 'system',
            'hookline-actor-id': 'scheduler',
            'hookline-actor': 'system:scheduler',
            'hookline-timer-id': timerId,
            // The owner's request span continues the firing's trace.
            ...traceHeaders(),
          },
          body: JSON.stringify(body),
          dispatcher: agent,
          signal: AbortSignal.any(signals),
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of response.body) {
          const buffer = chunk as Buffer;
          if (size < BODY_LIMIT) chunks.push(buffer);
          size += buffer.length;
        }
        return { status: response.statusCode, body: Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString('utf8') };
      } catch (error) {
        return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
      }
    },
    close: () => agent.close(),
  };
}
