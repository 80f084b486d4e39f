// Messages between run.ts and its child processes (IPC).

export interface ReceiverSpec {
  name: string;
  /** Answer after this long (a slow receiver). */
  delayMs: number;
  /** Share of requests answered 500 (a failing receiver). */
  failRate: number;
}

export type ReceiversRequest =
  | { type: 'start'; specs: ReceiverSpec[] }
  | { type: 'count' }
  | { type: 'records'; from: number; to: number }
  | { type: 'reset' };

/** One receiver's tally since the last reset. */
export interface ReceiverCount {
  /** First successful receipts (distinct `webhook-id`s). */
  delivered: number;
  /** Requests answered (successful or not). */
  attempts: number;
  failures: number;
  /** Requests received and not answered yet. */
  inFlight: number;
  /** The most requests it held at once. */
  peakInFlight: number;
}

export type ReceiversReply =
  | { type: 'started'; urls: string[] }
  | { type: 'count'; receivers: ReceiverCount[]; unparsable: number }
  | { type: 'records'; eventTimes: number[]; receiptTimes: number[]; receiverIndex: number[]; retried: number[] }
  | { type: 'reset' };

export interface FloorConfig {
  brokers: string[];
  groupId: string;
  topics: string[];
  /** Receiver URLs per topic: the same fan-out as the dispatcher's connections. */
  routes: Record<string, string[]>;
  /** Connections per receiver origin (the dispatcher's pool has 32). */
  connectionsPerOrigin: number;
  /** Requests in flight at most, all receivers. */
  maxInFlight: number;
  /** Waits before the 2nd, 3rd… attempt of a failed request (the connections' retry policy). */
  backoffMs: number[];
}

export type FloorReply = { type: 'ready' } | { type: 'stats'; posted: number; failed: number; gaveUp: number };
