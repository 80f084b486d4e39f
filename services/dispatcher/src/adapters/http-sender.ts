// Sends webhook requests over keep-alive connection pools (undici): no
// redirects followed, a hard timeout per request, the first 4 KiB of the
// answer kept.
import { Agent, buildConnector, request } from 'undici';
import { RESPONSE_BODY_LIMIT } from '../domain/delivery.js';
import type { UrlGuard } from './url-guard.js';

export interface HttpResult {
  status?: number;
  responseBody?: string;
  error?: string;
  durationMs: number;
}

export interface WebhookSender {
  post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<HttpResult>;
  close(): Promise<void>;
}

async function readLimited(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= RESPONSE_BODY_LIMIT) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, RESPONSE_BODY_LIMIT).toString('utf8');
}

/**
 * Connects through the guard's lookup for the port connected to, so that an
 * allow-list entry naming a port admits that port only. One connector per
 * port (each keeps its own TLS sessions); ports are few.
 */
function guardedConnector(guard: UrlGuard): buildConnector.connector {
  const connectors = new Map<number, buildConnector.connector>();
  return (connectOptions, callback) => {
    const port = Number(connectOptions.port) || (connectOptions.protocol === 'https:' ? 443 : 80);
    let connector = connectors.get(port);
    if (!connector) {
      connector = buildConnector({ lookup: guard.lookupFor(port) });
      connectors.set(port, connector);
    }
    connector(connectOptions, callback);
  };
}

/**
 * With a guard, every connection resolves its host through the guard (so a
 * name re-pointed at an internal address after the URL was saved is refused:
 * DNS rebinding) and literal addresses are checked before each request.
 */
export function createHttpSender(options: { connectionsPerOrigin?: number; guard?: UrlGuard } = {}): WebhookSender {
  const agent = new Agent({
    // As many sockets per origin as a connection may have requests in flight (maxInFlight, at most 256), so that
    // its maxInFlight is the limit: with 32, a receiver answering in 200 ms got at most 160 requests a second.
    connections: options.connectionsPerOrigin ?? 256,
    keepAliveTimeout: 30_000,
    pipelining: 1,
    ...(options.guard ? { connect: guardedConnector(options.guard) } : {}),
  });
  return {
    async post(url, headers, body, timeoutMs) {
      const started = performance.now();
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        await options.guard?.assertSendable(url);
        const response = await request(url, {
          method: 'POST',
          headers,
          body,
          dispatcher: agent,
          signal,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        const responseBody = await readLimited(response.body).catch(() => '');
        return { status: response.statusCode, responseBody, durationMs: Math.round(performance.now() - started) };
      } catch (error) {
        const timedOut = signal.aborted || (error as { code?: string }).code === 'UND_ERR_HEADERS_TIMEOUT';
        const message = timedOut ? `no answer within ${timeoutMs} ms` : describe(error);
        return { error: message, durationMs: Math.round(performance.now() - started) };
      }
    },
    close: () => agent.close(),
  };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = (error as { code?: string }).code ?? cause?.code;
  return [code, cause?.message ?? error.message].filter(Boolean).join(': ');
}
