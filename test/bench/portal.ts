/*
 * Row 8, the portal page (issue 16): `GET /api/istio-rollouts/v1/rollouts`
 * as the guest, which lists every labelled VirtualService of every cluster
 * (one cluster-wide, label-selected watch per cluster), maps them to the
 * catalog's entities and answers a row per active route. Every answer is
 * checked against what the generator made (scenario.ts).
 *
 * Measured on a backend of its own whose catalog holds the portal entities,
 * started after the scenario's other reads and writes and stopped before
 * anything else runs: the page builds the read model of every labelled
 * VirtualService of a cluster on one thread, which at 20 × 5,000 holds its
 * backend for seconds to minutes (see docs/benchmarks.md) — interleaved with
 * rows 0–3 on their backend it inflated their p95 twenty-fold.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PortalExpectation } from '../../packages/bench-backend/src/bench/portal';
import {
  catalogYaml,
  portalExpectation,
  ScenarioOptions,
} from '../../packages/bench-backend/src/bench/scenario';
import {
  LatencySummary,
  runInterleaved,
} from '../../packages/bench-backend/src/bench/stats';
import { poll, RunningBackend, startBackend } from './backend';
import type { SimCluster } from './cluster';
import { cpuMs, ProcessGroup, selfCpuMs } from './processes';
import type { PhaseResult } from './report';

export const PORTAL_PATH = '/api/istio-rollouts/v1/rollouts';

/** A measured call taking longer than this fails (the page polls every 10 s). */
const CALL_TIMEOUT_MS = 180_000;

/** What a scenario's row 8 is about, how its backend started, and what it measured. */
export interface PortalResult {
  expected: PortalExpectation;
  /** From starting the page's backend to its catalog holding every portal entity. */
  catalogMs?: number;
  /** Then, to the first answer with every cluster and every row: lists, watches, read models. */
  firstAnswerMs?: number;
  phases: PhaseResult<'portal'>[];
  /** Why the row is missing or wrong (the scenario's errors say it too); the bench exits non-zero. */
  failure?: string;
}

/** The answer's rows differ from the generator's: never tolerated. */
class RowsMismatch extends Error {}

/**
 * The page's read as the guest; throws unless every cluster answered and the
 * rows are exactly the generator's, by phase (a {@link RowsMismatch} when
 * every cluster answered and the rows still differ).
 */
export async function readPortal(
  backend: RunningBackend,
  expected: PortalExpectation,
  signal?: AbortSignal,
): Promise<void> {
  const res = await fetch(`${backend.baseUrl}${PORTAL_PATH}`, {
    headers: { Authorization: `Bearer ${backend.token}` },
    signal,
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(
      `GET ${PORTAL_PATH} answered ${res.status}: ${text.slice(0, 300)}`,
    );
  }
  const body = JSON.parse(text) as {
    clusters?: Array<{ name: string; status: string }>;
    rows?: Array<{ phase: string }>;
  };
  const clusters = body.clusters ?? [];
  const failed = clusters.filter(c => c.status !== 'ok');
  if (clusters.length !== expected.clusters || failed.length) {
    throw new Error(
      `GET ${PORTAL_PATH}: ${clusters.length - failed.length} of ${
        expected.clusters
      } clusters answered${
        failed.length ? `; first failure: ${JSON.stringify(failed[0])}` : ''
      }`,
    );
  }
  const rows = body.rows ?? [];
  const got: Record<string, number> = {};
  for (const r of rows) got[r.phase] = (got[r.phase] ?? 0) + 1;
  const want: Record<string, number> = Object.fromEntries(
    Object.entries(expected.byPhase).filter(([, n]) => n > 0),
  );
  const same =
    rows.length === expected.rows &&
    Object.keys({ ...got, ...want }).every(p => got[p] === want[p]);
  if (!same) {
    throw new RowsMismatch(
      `GET ${PORTAL_PATH}: ${rows.length} rows ${JSON.stringify(
        got,
      )}, the generator made ${expected.rows} ${JSON.stringify(want)}`,
    );
  }
}

/** Polls `check` (each call bounded by what is left) until it answers, or `timeoutMs` has passed. */
async function until<T>(
  what: string,
  timeoutMs: number,
  check: (signal: AbortSignal) => Promise<T | undefined>,
): Promise<number> {
  const t0 = performance.now();
  await poll(
    what,
    () =>
      check(
        AbortSignal.timeout(
          Math.max(1000, Math.round(timeoutMs - (performance.now() - t0))),
        ),
      ),
    timeoutMs,
    1000,
  );
  return performance.now() - t0;
}

/** Until the catalog lists `count` Components: it ingests the file in the background. */
function waitForCatalog(backend: RunningBackend, count: number) {
  return until(
    `The catalog did not list ${count} Components`,
    60_000 + 300 * count,
    async signal => {
      const res = await fetch(
        `${backend.baseUrl}/api/catalog/entities?filter=kind=component&fields=metadata.name`,
        { headers: { Authorization: `Bearer ${backend.token}` }, signal },
      );
      const items = res.ok ? ((await res.json()) as unknown[]) : [];
      return items.length >= count ? true : undefined;
    },
  );
}

/**
 * Until the page answers every row: its first read lists every labelled
 * object of every cluster, starts the watches and builds each cluster's read
 * model; the claim index it maps objects with reloads every 10 s.
 */
function waitForFirstAnswer(
  backend: RunningBackend,
  expected: PortalExpectation,
) {
  return until(
    `GET ${PORTAL_PATH} did not answer the generator's ${expected.rows} rows`,
    120_000 + 10_000 * expected.clusters,
    async signal => {
      await readPortal(backend, expected, signal);
      return true;
    },
  );
}

/**
 * Starts the page's backend, waits for its catalog and the page's first
 * complete answer, measures the page at concurrency 1 and 16 (the bench's
 * runner, blocks and meters, as for the other rows) and stops the backend.
 * Anything that goes wrong is `result.portal.failure` and one of the
 * scenario's errors; the bench goes on.
 */
export async function portalPhase(
  result: { portal?: PortalResult; errors: string[] },
  options: {
    group: ProcessGroup;
    dir: string;
    clusters: SimCluster[];
    scenario: ScenarioOptions & { portalEntities: number };
    entityRef: { kind: string; namespace: string; name: string };
    readsC1: number;
    readsC16: number;
    warmup: number;
    maxWallMs: number;
    tolerated: (iterations: number) => number;
    log: (message: string) => void;
    interrupted: () => boolean;
  },
): Promise<void> {
  const { group, clusters, log } = options;
  const expected = portalExpectation(options.scenario);
  const portal: PortalResult = { expected, phases: [] };
  result.portal = portal;
  const what = `portal page (row 8: ${expected.rows} rows, ${expected.entities} entities)`;
  const fail = (message: string) => {
    portal.failure ??= message;
    result.errors.push(`${what}: ${message}`);
    log(`${what} FAILED: ${message}`);
  };
  const catalogFile = path.join(options.dir, 'portal-catalog.yaml');
  fs.writeFileSync(
    catalogFile,
    catalogYaml({ portalEntities: expected.entities }),
  );
  let backend: RunningBackend | undefined;
  try {
    const t0 = performance.now();
    backend = await startBackend({
      group,
      dir: options.dir,
      clusters: clusters.map(c => ({ name: c.name, url: c.url })),
      catalogFile,
      entityRef: options.entityRef,
      variant: { dir: 'portal', name: 'portal page' },
    });
    // The measured and UI entities besides the portal's.
    await waitForCatalog(backend, expected.entities + 2);
    portal.catalogMs = performance.now() - t0;
    portal.firstAnswerMs = await waitForFirstAnswer(backend, expected);
    log(
      `${what}: catalog ingested in ${(portal.catalogMs / 1000).toFixed(
        1,
      )} s, first complete answer ${(portal.firstAnswerMs / 1000).toFixed(
        1,
      )} s later`,
    );
    const b = backend;
    const meter = () => ({
      backendCpuMs: cpuMs(b.process.pid),
      clustersCpuMs: clusters.reduce((n, c) => n + cpuMs(c.process.pid), 0),
      clientCpuMs: selfCpuMs(),
    });
    const mismatches: string[] = [];
    const operation = () =>
      readPortal(b, expected, AbortSignal.timeout(CALL_TIMEOUT_MS)).catch(e => {
        if (e instanceof RowsMismatch) mismatches.push(e.message);
        throw e;
      });
    for (const [concurrency, iterations, warmup] of [
      [1, options.readsC1, options.warmup],
      [16, options.readsC16, 0],
    ]) {
      if (options.interrupted() || iterations <= 0) break;
      try {
        const modes = (await runInterleaved([{ name: 'portal', operation }], {
          concurrency,
          iterations,
          // One mode: small blocks, so the phase's time cap is looked at often.
          block: concurrency,
          warmup,
          // Twice the other phases': at 20 × 5,000 a call may take tens of
          // seconds (a cluster's read model rebuilt), which 40 s would
          // sample once or twice.
          maxWallMs: 2 * options.maxWallMs,
          maxErrors: options.tolerated(iterations),
          meter,
        })) as Record<'portal', LatencySummary>;
        portal.phases.push({ concurrency, apiLatencyMs: 0, modes });
        log(
          `${what} at ${concurrency}: p50 ${modes.portal.p50.toFixed(
            0,
          )} ms, p95 ${modes.portal.p95.toFixed(0)} ms, backend CPU ${(
            modes.portal.perOperation?.backendCpuMs ?? NaN
          ).toFixed(0)} ms per call (n ${modes.portal.count})`,
        );
      } catch (e) {
        fail(`at ${concurrency}: ${(e as Error).message}`);
      }
    }
    if (mismatches.length) {
      fail(`${mismatches.length} answer(s) with other rows: ${mismatches[0]}`);
    }
  } catch (e) {
    fail((e as Error).message);
  } finally {
    if (backend) await group.stop(backend.process);
  }
}
