/*
 * Latency statistics and closed-loop load runners for the benchmark.
 */

/**
 * The p-th percentile (0 < p <= 100) of the samples by nearest rank: the
 * smallest sample that at least p % of the samples are less than or equal
 * to. Always one of the samples; NaN for no samples.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) {
    throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  }
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(rank, 1) - 1];
}

export interface LatencySummary {
  /** Completed operations that were measured. */
  count: number;
  /** Operations that threw (not in the latencies). */
  errors: number;
  concurrency: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
  /** Completed operations per second of wall time. */
  throughput: number;
  /** Wall time of the measured phase, ms. */
  wallMs: number;
  /** Per operation: the mean of each meter's growth (e.g. CPU ms of each process). */
  perOperation?: Record<string, number>;
}

/** Summarises latencies (ms) measured over `wallMs` of wall time at `concurrency`. */
export function summarize(
  latencies: readonly number[],
  options: { wallMs: number; concurrency: number; errors?: number },
): LatencySummary {
  const n = latencies.length;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of latencies) {
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return {
    count: n,
    errors: options.errors ?? 0,
    concurrency: options.concurrency,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    mean: n ? sum / n : NaN,
    min: n ? min : NaN,
    max: n ? max : NaN,
    throughput: options.wallMs > 0 ? (n * 1000) / options.wallMs : NaN,
    wallMs: options.wallMs,
  };
}

/** a / b, NaN when either is missing or b is 0. */
export function ratio(a: number, b: number): number {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : NaN;
}

/** An operation under load: gets its worker's index (0..concurrency-1) and a sequence number. */
export type Operation = (worker: number, seq: number) => Promise<unknown>;

export interface LoadOptions {
  /** Operations in flight at once (closed loop: a worker starts its next when one ends). */
  concurrency: number;
  /** Operations to measure, across all workers. */
  iterations: number;
  /** Unmeasured operations first, at the same concurrency, to warm caches and connections. */
  warmup?: number;
  /** Stop starting operations once this much wall time is spent, ms. */
  maxWallMs?: number;
  /** More errors than this (default 0) fail the run with the first one. */
  maxErrors?: number;
  /** A clock in ms; `performance.now` by default. */
  now?: () => number;
}

export class LoadError extends Error {
  constructor(message: string, readonly cause: unknown) {
    super(message);
  }
}

interface LoopResult {
  latencies: number[];
  wallMs: number;
  errors: number;
  firstError: unknown;
}

async function closedLoop(
  operation: Operation,
  options: {
    concurrency: number;
    iterations: number;
    firstSeq: number;
    maxWallMs?: number;
    maxErrors: number;
    now: () => number;
  },
): Promise<LoopResult> {
  const { concurrency, iterations, now } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer`);
  }
  const latencies: number[] = [];
  let errors = 0;
  let firstError: unknown;
  let started = 0;
  const start = now();
  const deadline =
    options.maxWallMs !== undefined ? start + options.maxWallMs : Infinity;
  const worker = async (w: number) => {
    while (started < iterations && now() < deadline) {
      const seq = options.firstSeq + started++;
      const t0 = now();
      try {
        await operation(w, seq);
        latencies.push(now() - t0);
      } catch (e) {
        errors++;
        if (firstError === undefined) firstError = e;
        if (errors > options.maxErrors) started = iterations;
      }
    }
  };
  await Promise.all(
    Array.from(
      { length: Math.min(concurrency, Math.max(iterations, 1)) },
      (_, w) => worker(w),
    ),
  );
  return { latencies, wallMs: now() - start, errors, firstError };
}

function failIfTooMany(
  result: { errors: number; firstError: unknown },
  maxErrors: number,
) {
  if (result.errors > maxErrors) {
    const e = result.firstError;
    const message = e instanceof Error ? e.message : String(e);
    throw new LoadError(`${result.errors} operation(s) failed: ${message}`, e);
  }
}

/**
 * Runs `operation` `iterations` times with `concurrency` workers, after
 * `warmup` unmeasured runs, and summarises the latencies. An operation that
 * throws counts as an error; more than `maxErrors` fail the run.
 */
export async function runLoad(
  operation: Operation,
  options: LoadOptions,
): Promise<LatencySummary> {
  const now = options.now ?? (() => performance.now());
  const maxErrors = options.maxErrors ?? 0;
  let seq = 0;
  if (options.warmup) {
    const warm = await closedLoop(operation, {
      concurrency: options.concurrency,
      iterations: options.warmup,
      firstSeq: seq,
      maxErrors,
      now,
    });
    failIfTooMany(warm, maxErrors);
    seq += options.warmup;
  }
  const result = await closedLoop(operation, {
    concurrency: options.concurrency,
    iterations: options.iterations,
    firstSeq: seq,
    maxWallMs: options.maxWallMs,
    maxErrors,
    now,
  });
  failIfTooMany(result, maxErrors);
  return summarize(result.latencies, {
    wallMs: result.wallMs,
    concurrency: options.concurrency,
    errors: result.errors,
  });
}

/** One of the things measured side by side. */
export interface InterleavedMode {
  name: string;
  operation: Operation;
}

/** Cumulative counters read before and after each measured block (e.g. CPU time per process). */
export type Meter = () => Record<string, number>;

/**
 * Measures several modes side by side: in rounds, each mode runs a block of
 * `block` operations at `concurrency` in turn (the order rotating every
 * round), until each has run `iterations`. Noise from other processes then
 * lands on every mode alike, so their ratios hold on a busy machine.
 * A mode's throughput is its operations over the wall time of its own
 * blocks. `maxWallMs` stops starting new rounds; each mode keeps what it
 * measured.
 */
export async function runInterleaved(
  modes: InterleavedMode[],
  options: LoadOptions & { block: number; meter?: Meter },
): Promise<Record<string, LatencySummary>> {
  const now = options.now ?? (() => performance.now());
  const maxErrors = options.maxErrors ?? 0;
  const block = Math.max(1, Math.floor(options.block));
  const state = new Map(
    modes.map(m => [
      m.name,
      {
        latencies: [] as number[],
        wallMs: 0,
        errors: 0,
        seq: 0,
        /** Failures in warm-up and measured blocks, against `maxErrors`. */
        failures: 0,
        meters: {} as Record<string, number>,
      },
    ]),
  );
  const runBlock = async (
    mode: InterleavedMode,
    count: number,
    measure: boolean,
  ) => {
    const s = state.get(mode.name)!;
    const before = measure ? options.meter?.() : undefined;
    const result = await closedLoop(mode.operation, {
      concurrency: options.concurrency,
      iterations: count,
      firstSeq: s.seq,
      maxErrors: maxErrors - s.failures,
      now,
    });
    s.seq += count;
    s.failures += result.errors;
    failIfTooMany(
      { errors: s.failures, firstError: result.firstError },
      maxErrors,
    );
    if (measure) {
      s.latencies.push(...result.latencies);
      s.wallMs += result.wallMs;
      s.errors += result.errors;
      const after = before && options.meter?.();
      for (const key of Object.keys(after ?? {})) {
        s.meters[key] =
          (s.meters[key] ?? 0) + after![key] - (before![key] ?? 0);
      }
    }
  };

  if (options.warmup) {
    for (const mode of modes) await runBlock(mode, options.warmup, false);
  }
  const deadline =
    options.maxWallMs !== undefined ? now() + options.maxWallMs : Infinity;
  const left = (m: InterleavedMode) =>
    options.iterations -
    state.get(m.name)!.latencies.length -
    state.get(m.name)!.errors;
  for (
    let round = 0;
    modes.some(m => left(m) > 0) && now() < deadline;
    round++
  ) {
    for (let i = 0; i < modes.length; i++) {
      const mode = modes[(i + round) % modes.length];
      const n = Math.min(block, left(mode));
      if (n > 0) await runBlock(mode, n, true);
    }
  }
  return Object.fromEntries(
    modes.map(m => {
      const s = state.get(m.name)!;
      const summary = summarize(s.latencies, {
        wallMs: s.wallMs,
        concurrency: options.concurrency,
        errors: s.errors,
      });
      const n = s.latencies.length + s.errors;
      if (options.meter && n > 0) {
        summary.perOperation = Object.fromEntries(
          Object.entries(s.meters).map(([k, v]) => [k, v / n]),
        );
      }
      return [m.name, summary];
    }),
  );
}
