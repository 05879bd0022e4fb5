/**
 * Runs `work` with a time budget. When the budget runs out, the returned
 * promise rejects with `onTimeout()` at once, and `work`'s signal is aborted
 * so its HTTP requests are torn down rather than left to finish unseen. The
 * signal is also aborted when `work` settles first, which cancels requests a
 * failed sibling left in flight.
 */
export async function withTimeout<T>(
  timeoutMs: number,
  work: (signal: AbortSignal) => Promise<T>,
  onTimeout: () => Error,
): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = onTimeout();
      reject(error);
      controller.abort(error);
    }, timeoutMs);
  });
  try {
    // Racing (not only aborting) bounds the wait even for work that ignores the signal.
    return await Promise.race([work(controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
