// Retries waiting for their time, in memory: a heap by due time and one timer
// for the earliest. Nothing polls: with nothing due, nothing runs. What is here
// is also stored (a pending delivery with its queue entry), so an instance
// that takes the shard over after a crash finds it again.

export interface Timed<T> {
  dueAt: number;
  item: T;
}

export class RetryTimers<T> {
  private readonly heap: Timed<T>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private stopped = false;

  constructor(
    private readonly onDue: (items: T[]) => void,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.heap.length;
  }

  schedule(item: T, dueAt: number): void {
    if (this.stopped) return;
    this.heap.push({ dueAt, item });
    this.up(this.heap.length - 1);
    this.arm();
  }

  /** Removes and returns what `matches` (a connection blocked or deleted, a shard lost). */
  remove(matches: (item: T) => boolean): T[] {
    const removed: T[] = [];
    const kept: Timed<T>[] = [];
    for (const entry of this.heap) {
      if (matches(entry.item)) removed.push(entry.item);
      else kept.push(entry);
    }
    if (removed.length === 0) return removed;
    this.heap.length = 0;
    for (const entry of kept) {
      this.heap.push(entry);
      this.up(this.heap.length - 1);
    }
    this.arm();
    return removed;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.now();
    const due: T[] = [];
    while (this.heap.length > 0 && this.heap[0]!.dueAt <= now) due.push(this.pop().item);
    if (due.length > 0) this.onDue(due);
    this.arm();
  }

  private arm(): void {
    if (this.stopped) return;
    const first = this.heap[0];
    if (!first) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.timerAt = Infinity;
      return;
    }
    if (this.timer && this.timerAt <= first.dueAt) return;
    clearTimeout(this.timer);
    this.timerAt = first.dueAt;
    // setTimeout holds at most 2^31-1 ms; a later retry re-arms on the way.
    this.timer = setTimeout(() => this.fire(), Math.min(2 ** 31 - 1, Math.max(0, first.dueAt - this.now())));
  }

  private pop(): Timed<T> {
    const top = this.heap[0]!;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private up(index: number): void {
    const { heap } = this;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (heap[parent]!.dueAt <= heap[index]!.dueAt) break;
      [heap[parent], heap[index]] = [heap[index]!, heap[parent]!];
      index = parent;
    }
  }

  private down(index: number): void {
    const { heap } = this;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && heap[left]!.dueAt < heap[smallest]!.dueAt) smallest = left;
      if (right < heap.length && heap[right]!.dueAt < heap[smallest]!.dueAt) smallest = right;
      if (smallest === index) return;
      [heap[smallest], heap[index]] = [heap[index]!, heap[smallest]!];
      index = smallest;
    }
  }
}
