/**
 * Background work run as passes, one at a time: a wake-up during a pass runs
 * one more pass right after it (any number of wake-ups in between coalesce into
 * that one), and a failed pass is reported, never thrown, so the next wake-up
 * simply tries again. The outbox relay, the dispatcher's sender poll and the
 * scheduler's firing loop are driven by one each, woken by their timer and by
 * new work.
 */
export class SerialPass {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly options: { onError: (error: unknown) => void; enabled: () => boolean },
  ) {}

  /** Runs a pass now, or right after the one running; nothing while disabled. */
  wake(): void {
    if (!this.options.enabled()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .then(() => undefined, this.options.onError)
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Resolves when the pass in progress (if any) has ended. */
  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }
}
