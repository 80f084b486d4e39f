// A TCP proxy between the dispatcher and the MongoDB-compatible server that
// counts the requests on the wire and times them. Every MongoDB message starts
// with a 16-byte header (int32 messageLength, requestID, responseTo, opCode);
// an OP_MSG (opCode 2013) carries the command as the first key of its body
// document (after flagBits and the section kind byte). A reply names the
// request it answers in responseTo: the time between the two is the server's
// round trip as the client sees it.
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

const OP_MSG = 2013;
/** Connection upkeep of the driver, not work of the dispatcher. */
export const HANDSHAKE_COMMANDS: ReadonlySet<string> = new Set([
  'hello',
  'ismaster',
  'isMaster',
  'ping',
  'buildInfo',
  'buildinfo',
  'endSessions',
  'saslStart',
  'saslContinue',
]);

export interface CommandStats {
  count: number;
  /** Sum of round trips, ms. */
  totalMs: number;
}

export interface MongoProxy {
  port: number;
  /** Requests and round-trip time by command name since start (OP_MSG by its command, other op codes as `op<code>`). */
  stats(): Record<string, CommandStats>;
  close(): Promise<void>;
}

interface Header {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

/** Splits a byte stream into MongoDB messages; hands over each header and the first bytes of its body. */
class MessageReader {
  private pending: Buffer = Buffer.alloc(0);
  /** Bytes of the current message still to skip once its head was read. */
  private skip = 0;

  constructor(private readonly onMessage: (header: Header, head: Buffer) => void) {}

  push(chunk: Buffer): void {
    let data: Buffer = chunk;
    while (data.length > 0) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, data.length);
        this.skip -= n;
        data = data.subarray(n);
        continue;
      }
      this.pending = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
      data = Buffer.alloc(0);
      if (this.pending.length < 16) return;
      const header = {
        length: this.pending.readInt32LE(0),
        requestId: this.pending.readInt32LE(4),
        responseTo: this.pending.readInt32LE(8),
        opCode: this.pending.readInt32LE(12),
      };
      const headNeeded = Math.min(header.length, 16 + 4 + 1 + 4 + 1 + 64);
      if (this.pending.length < headNeeded) return;
      this.onMessage(header, this.pending.subarray(0, headNeeded));
      if (this.pending.length >= header.length) {
        data = this.pending.subarray(header.length);
      } else {
        this.skip = header.length - this.pending.length;
      }
      this.pending = Buffer.alloc(0);
    }
  }
}

function commandName(header: Header, head: Buffer): string {
  if (header.opCode !== OP_MSG) return `op${header.opCode}`;
  // header (16) + flagBits (4) + section kind (1) + BSON document size (4) + element type (1), then a cstring.
  const start = 26;
  const end = head.indexOf(0, start);
  if (head[20] !== 0 || end < 0) return 'op_msg';
  return head.toString('utf8', start, end);
}

export async function startMongoProxy(target: { host: string; port: number }): Promise<MongoProxy> {
  const totals: Record<string, CommandStats> = {};
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const outstanding = new Map<number, { command: string; at: number }>();
    const requests = new MessageReader((header, head) => {
      const command = commandName(header, head);
      (totals[command] ??= { count: 0, totalMs: 0 }).count++;
      outstanding.set(header.requestId, { command, at: performance.now() });
    });
    const replies = new MessageReader((header) => {
      const request = outstanding.get(header.responseTo);
      if (!request) return;
      outstanding.delete(header.responseTo);
      totals[request.command]!.totalMs += performance.now() - request.at;
    });
    client.on('data', (chunk: Buffer) => requests.push(chunk));
    upstream.on('data', (chunk: Buffer) => replies.push(chunk));
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stats: () => Object.fromEntries(Object.entries(totals).map(([command, stats]) => [command, { ...stats }])),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface MongoPhase {
  /** Requests that do the dispatcher's work (not connection upkeep). */
  work: number;
  upkeep: number;
  /** Sum of the work requests' round trips, ms: time spent waiting on the server (overlapping requests each count). */
  workMs: number;
  byCommand: Record<string, { count: number; meanMs: number }>;
}

/** Requests between two snapshots, split into work and connection upkeep. */
export function diffStats(before: Record<string, CommandStats>, after: Record<string, CommandStats>): MongoPhase {
  const byCommand: MongoPhase['byCommand'] = {};
  let work = 0;
  let upkeep = 0;
  let workMs = 0;
  for (const [command, value] of Object.entries(after)) {
    const count = value.count - (before[command]?.count ?? 0);
    const totalMs = value.totalMs - (before[command]?.totalMs ?? 0);
    if (count === 0) continue;
    byCommand[command] = { count, meanMs: Math.round((totalMs / count) * 10) / 10 };
    if (HANDSHAKE_COMMANDS.has(command)) upkeep += count;
    else {
      work += count;
      workMs += totalMs;
    }
  }
  return { work, upkeep, workMs: Math.round(workMs), byCommand };
}
