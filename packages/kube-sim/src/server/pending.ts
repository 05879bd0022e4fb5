/*
 * What outlives a request's handler: open watch streams and injected
 * latencies still waiting. Closing the simulator ends them all, so no timer
 * is left behind.
 */
export class PendingWork {
  private readonly watches = new Set<() => void>();
  private readonly delays = new Map<() => void, NodeJS.Timeout>();

  /** Waits `ms`, or less if the simulator closes meanwhile. */
  delay(ms: number): Promise<void> {
    return new Promise<void>(resolve => {
      const end = () => {
        this.delays.delete(end);
        resolve();
      };
      this.delays.set(end, setTimeout(end, ms));
    });
  }

  /** Registers the function that ends an open watch stream. */
  addWatch(finish: () => void) {
    this.watches.add(finish);
  }

  removeWatch(finish: () => void) {
    this.watches.delete(finish);
  }

  /** Ends every open watch stream and every injected delay. */
  closeAll() {
    for (const finish of [...this.watches]) finish();
    for (const [end, timer] of [...this.delays]) {
      clearTimeout(timer);
      end();
    }
  }
}
