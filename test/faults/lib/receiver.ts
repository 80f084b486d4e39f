// A webhook receiver that misbehaves on purpose: it answers 500, hangs past the
// dispatcher's timeout, resets the connection, or answers slowly, by a rule of
// its own, and records every request with what it answered. Only a 2xx answer
// counts as a delivery; a hang or a reset never does.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Behaviour = { kind: 'answer'; status: number; delayMs?: number } | { kind: 'hang' } | { kind: 'reset' };

export interface FaultRequest {
  webhookId: string;
  eventType: string;
  /** What the receiver did: an HTTP status, 'hang' or 'reset'. */
  outcome: number | 'hang' | 'reset';
  at: number;
}

export interface FaultReceiver {
  name: string;
  url: string;
  requests: FaultRequest[];
  /** webhook-id → how many times this receiver answered it with a 2xx. */
  acknowledged(): Map<string, number>;
  close(): Promise<void>;
}

/** `behave(n)` decides the n-th request's fate (n counts from 1). */
export async function startFaultReceiver(name: string, behave: (n: number) => Behaviour): Promise<FaultReceiver> {
  const requests: FaultRequest[] = [];
  const hanging = new Set<() => void>();
  let count = 0;
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const behaviour = behave(++count);
      const record = (outcome: FaultRequest['outcome']) =>
        requests.push({
          webhookId: String(request.headers['webhook-id']),
          eventType: String(request.headers['hookline-event-type']),
          outcome,
          at: Date.now(),
        });
      if (behaviour.kind === 'hang') {
        record('hang');
        hanging.add(() => response.destroy());
        return;
      }
      if (behaviour.kind === 'reset') {
        record('reset');
        request.socket.resetAndDestroy();
        return;
      }
      const answer = () => {
        // Recorded when the answer is sent: a request whose answer never left is no delivery.
        if (response.destroyed) return;
        record(behaviour.status);
        response.writeHead(behaviour.status, { 'content-type': 'text/plain' }).end(`answer ${behaviour.status}`);
      };
      if (behaviour.delayMs) setTimeout(answer, behaviour.delayMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    name,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/${name}`,
    requests,
    acknowledged() {
      const counts = new Map<string, number>();
      for (const r of requests)
        if (typeof r.outcome === 'number' && r.outcome >= 200 && r.outcome < 300)
          counts.set(r.webhookId, (counts.get(r.webhookId) ?? 0) + 1);
      return counts;
    },
    async close() {
      for (const end of hanging) end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
