/** Counters of the dispatcher's work (exported as OpenTelemetry/Prometheus metrics in the observability issue). */
export interface DispatcherMetrics {
  eventsConsumed: number;
  eventsDeadLettered: number;
  eventsUnmatched: number;
  deliveriesCreated: number;
  attempts: number;
  attemptsFailed: number;
  deliveriesSucceeded: number;
  deliveriesFailed: number;
  connectionsBlocked: number;
}

export function newMetrics(): DispatcherMetrics {
  return {
    eventsConsumed: 0,
    eventsDeadLettered: 0,
    eventsUnmatched: 0,
    deliveriesCreated: 0,
    attempts: 0,
    attemptsFailed: 0,
    deliveriesSucceeded: 0,
    deliveriesFailed: 0,
    connectionsBlocked: 0,
  };
}
