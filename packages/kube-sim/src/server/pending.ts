/*
 * What outlives a request's handler: open watch streams and injected
 * latencies still waiting. Closing the simulator ends them all, so no timer
 * is left behind.
 */
import type { FaultTarget } from '../faults';

export class PendingWork {
  private readonly watches = new Map<() => void, FaultTarget | undefined>();
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

  /** Registers the function that ends an open watch stream, with what it watches. */
  addWatch(finish: () => void, target?: FaultTarget) {
    this.watches.set(finish, target);
  }

  /** Ends the open watch streams whose target `cut` selects; answers how many. */
  endWatches(cut: (target: FaultTarget) => boolean): number {
    const ended = [...this.watches].filter(([, t]) => t && cut(t));
    for (const [finish] of ended) finish();
    return ended.length;
  }

  removeWatch(finish: () => void) {
    this.watches.delete(finish);
  }

  /** Ends every open watch stream and every injected delay. */
  closeAll() {
    for (const finish of [...this.watches.keys()]) finish();
    for (const [end, timer] of [...this.delays]) {
      clearTimeout(timer);
      end();
    }
  }
}
