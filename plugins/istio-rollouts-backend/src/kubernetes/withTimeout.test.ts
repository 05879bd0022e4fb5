import { withTimeout } from './withTimeout';

class Late extends Error {}

describe('withTimeout', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('answers what the work answers within the budget and then aborts its signal', async () => {
    let seen: AbortSignal | undefined;
    const result = await withTimeout(
      1000,
      async signal => {
        seen = signal;
        return 42;
      },
      () => new Late(),
    );
    expect(result).toBe(42);
    expect(seen?.aborted).toBe(true);
  });

  it('passes the work error through', async () => {
    await expect(
      withTimeout(
        1000,
        async () => {
          throw new Error('401');
        },
        () => new Late(),
      ),
    ).rejects.toThrow('401');
  });

  it('rejects with the timeout error when the budget runs out, and aborts the work', async () => {
    let seen: AbortSignal | undefined;
    const pending = withTimeout(
      1000,
      signal => {
        seen = signal;
        return new Promise<number>(() => {}); // never settles, ignores the signal
      },
      () => new Late('east did not answer within 1000 ms'),
    );
    const outcome = pending.catch(e => e);
    jest.advanceTimersByTime(999);
    expect(seen?.aborted).toBe(false);
    jest.advanceTimersByTime(1);
    expect(await outcome).toEqual(
      new Late('east did not answer within 1000 ms'),
    );
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBeInstanceOf(Late);
  });

  it('lets work that honours the signal stop at the timeout', async () => {
    const stopped = jest.fn();
    const pending = withTimeout(
      50,
      signal =>
        new Promise<void>((_, reject) => {
          signal.addEventListener('abort', () => {
            stopped();
            reject(new Error('aborted'));
          });
        }),
      () => new Late('timeout'),
    );
    const outcome = pending.catch(e => e);
    jest.advanceTimersByTime(50);
    expect(await outcome).toEqual(new Late('timeout'));
    expect(stopped).toHaveBeenCalledTimes(1);
  });
});
