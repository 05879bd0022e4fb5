import { percentile, ratio, runInterleaved, runLoad, summarize } from './stats';

describe('percentile', () => {
  it('is the nearest-rank sample', () => {
    const xs = [5, 1, 4, 2, 3];
    expect(percentile(xs, 50)).toBe(3);
    expect(percentile(xs, 95)).toBe(5);
    expect(percentile(xs, 100)).toBe(5);
    expect(percentile(xs, 1)).toBe(1);
    expect(percentile(xs, 20)).toBe(1);
    expect(percentile(xs, 21)).toBe(2);
  });

  it('takes the 95th of 100 samples as the 95th smallest', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(xs, 95)).toBe(95);
    expect(percentile(xs, 50)).toBe(50);
  });

  it('is NaN without samples and refuses percentiles out of range', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('does not reorder its input', () => {
    const xs = [3, 1, 2];
    percentile(xs, 50);
    expect(xs).toEqual([3, 1, 2]);
  });
});

describe('summarize', () => {
  it('computes the figures of the table', () => {
    const s = summarize([10, 20, 30, 40], {
      wallMs: 2000,
      concurrency: 2,
      errors: 1,
    });
    expect(s).toMatchObject({
      count: 4,
      errors: 1,
      concurrency: 2,
      p50: 20,
      p95: 40,
      mean: 25,
      min: 10,
      max: 40,
      throughput: 2,
      wallMs: 2000,
    });
  });

  it('survives no samples', () => {
    const s = summarize([], { wallMs: 0, concurrency: 1 });
    expect(s.count).toBe(0);
    expect(s.p50).toBeNaN();
    expect(s.throughput).toBeNaN();
  });
});

describe('ratio', () => {
  it('divides finite figures only', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(1, 0)).toBeNaN();
    expect(ratio(NaN, 1)).toBeNaN();
  });
});

/** A clock that only moves when an operation says so. */
function fakeClock() {
  let t = 0;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('runLoad', () => {
  it('runs the iterations with at most `concurrency` in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const workers = new Set<number>();
    const summary = await runLoad(
      async w => {
        workers.add(w);
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise(resolve => setImmediate(resolve));
        inFlight--;
      },
      { concurrency: 3, iterations: 10, warmup: 4 },
    );
    expect(summary.count).toBe(10);
    expect(summary.concurrency).toBe(3);
    expect(most).toBe(3);
    expect([...workers].sort()).toEqual([0, 1, 2]);
  });

  it('measures each operation with the clock', async () => {
    const clock = fakeClock();
    const summary = await runLoad(
      async (_w, seq) => {
        clock.advance(seq + 1);
      },
      { concurrency: 1, iterations: 4, now: clock.now },
    );
    expect(summary.p50).toBe(2);
    expect(summary.max).toBe(4);
    expect(summary.wallMs).toBe(10);
    expect(summary.throughput).toBe(400);
  });

  it('fails with the first error beyond maxErrors, and counts tolerated ones', async () => {
    await expect(
      runLoad(
        async (_w, seq) => {
          if (seq === 2) throw new Error('boom');
        },
        { concurrency: 1, iterations: 5 },
      ),
    ).rejects.toThrow('1 operation(s) failed: boom');

    const summary = await runLoad(
      async (_w, seq) => {
        if (seq === 2) throw new Error('boom');
      },
      { concurrency: 1, iterations: 5, maxErrors: 1 },
    );
    expect(summary).toMatchObject({ count: 4, errors: 1 });
  });

  it('stops starting operations after maxWallMs', async () => {
    const clock = fakeClock();
    const summary = await runLoad(
      async () => {
        clock.advance(10);
      },
      { concurrency: 1, iterations: 100, maxWallMs: 35, now: clock.now },
    );
    expect(summary.count).toBe(4);
  });
});

describe('runInterleaved', () => {
  it('alternates blocks of the modes and keeps their figures apart', async () => {
    const clock = fakeClock();
    const order: string[] = [];
    let counter = 0;
    const results = await runInterleaved(
      [
        {
          name: 'fast',
          operation: async () => {
            order.push('fast');
            clock.advance(1);
            counter += 1;
          },
        },
        {
          name: 'slow',
          operation: async () => {
            order.push('slow');
            clock.advance(3);
            counter += 100;
          },
        },
      ],
      {
        concurrency: 1,
        iterations: 4,
        block: 2,
        warmup: 1,
        now: clock.now,
        meter: () => ({ counter }),
      },
    );
    // Warm-up (1 each), then rounds of blocks of 2, the order rotating.
    expect(order).toEqual([
      'fast',
      'slow',
      'fast',
      'fast',
      'slow',
      'slow',
      'slow',
      'slow',
      'fast',
      'fast',
    ]);
    expect(results.fast).toMatchObject({ count: 4, p50: 1, wallMs: 4 });
    expect(results.slow).toMatchObject({ count: 4, p95: 3, wallMs: 12 });
    expect(results.fast.perOperation).toEqual({ counter: 1 });
    expect(results.slow.perOperation).toEqual({ counter: 100 });
  });
});

describe('runInterleaved errors', () => {
  it('tolerates maxErrors failures across blocks, then fails', async () => {
    let calls = 0;
    const flaky = {
      name: 'flaky',
      operation: async () => {
        calls++;
        if (calls % 3 === 0) throw new Error(`failure ${calls}`);
      },
    };
    const ok = await runInterleaved([flaky], {
      concurrency: 1,
      iterations: 6,
      block: 2,
      maxErrors: 2,
    });
    expect(ok.flaky).toMatchObject({ count: 4, errors: 2 });

    calls = 0;
    await expect(
      runInterleaved([flaky], {
        concurrency: 1,
        iterations: 9,
        block: 2,
        maxErrors: 2,
      }),
    ).rejects.toThrow('3 operation(s) failed: failure 9');
  });
});
