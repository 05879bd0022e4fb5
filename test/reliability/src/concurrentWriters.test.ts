/*
 * Suite 1, concurrent writers: fifty clients set different weights on the
 * same route at once, each with the resourceVersion it read. No update may
 * be lost or half-made: every answer is 200 or 409, the cluster ends with
 * exactly one successful request's weights, every 200 is one `applied`
 * history row, the applied rows form one chain (each starts where the
 * previous one ended), every PATCH the API server refused is one `refused`
 * row, and nothing but the weights changed.
 */
import {
  act,
  Backend,
  closeConnections,
  countBy,
  demoManifests,
  GUEST,
  historyOf,
  recordResults,
  rolloutsOf,
  runDir,
  SimCluster,
  startCluster,
  unrecordedChanges,
} from './__testUtils__/harness';

jest.setTimeout(180_000);

const WRITERS = 50;
/** Fewer for the retrying round: n writers retrying make up to n(n+1)/2 attempts. */
const RETRYING_WRITERS = 20;
const ROLLOUT = 'demo-east/bookinfo/reviews';

/** `{ v1: 50, v2: 50 }` of one http route of a VirtualService. */
function weightsOf(vs: any, index = 0): Record<string, number> {
  return Object.fromEntries(
    vs.http[index].route.map((d: any) => [d.destination.subset, d.weight]),
  );
}

/** The object without what a weight change may change: weights, resourceVersion, generation. */
function withoutWeights(object: any): any {
  const copy = JSON.parse(JSON.stringify(object));
  delete copy.metadata.resourceVersion;
  delete copy.metadata.generation;
  // Each write moves its field manager's time, as the API server does.
  delete copy.metadata.managedFields;
  for (const route of copy.spec.http ?? []) {
    for (const d of route.route ?? []) delete d.weight;
  }
  return copy;
}

/** One writer: reads the rollout, then sets its weights with the resourceVersion it read. */
async function write(
  backend: Backend,
  token: string,
  writer: number,
  weights: Record<string, number>,
  reason: string,
) {
  const read = await rolloutsOf(backend, 'reviews', token);
  const rollout = read.body?.rollouts?.find(
    (r: { id: string }) => r.id === ROLLOUT,
  );
  if (!rollout) {
    throw new Error(
      `writer ${writer} could not read ${ROLLOUT}: ${read.status} ${read.text}`,
    );
  }
  const res = await act(
    backend,
    'reviews',
    {
      rolloutId: ROLLOUT,
      route: { kind: 'http', index: 0 },
      action: 'setWeights',
      weights,
      resourceVersion: rollout.resourceVersion,
      reason,
    },
    token,
  );
  return {
    writer,
    weights,
    resourceVersion: rollout.resourceVersion as string,
    status: res.status,
    body: res.body,
  };
}

/** Fifty different splits of reviews-route, none of them 50/50. */
function splits(offset: number) {
  return Array.from({ length: 101 }, (_, v1) => v1)
    .filter(v1 => v1 % 2 === offset && v1 !== 50)
    .slice(0, WRITERS)
    .map(v1 => ({ v1, v2: 100 - v1 }));
}

/** The chain of history rows, oldest first: each starts where the previous ended. */
function expectUnbrokenChain(history: any[], first: Record<string, number>) {
  expect(weightsOf({ http: [history[0].before] })).toEqual(first);
  for (let i = 1; i < history.length; i++) {
    expect(weightsOf({ http: [history[i].before] })).toEqual(
      weightsOf({ http: [history[i - 1].after] }),
    );
  }
}

describe('concurrent writers', () => {
  const run = runDir('writers');
  let east: SimCluster;
  let backend: Backend;

  beforeAll(async () => {
    east = await startCluster({
      name: 'demo-east',
      manifestPaths: demoManifests('demo-east'),
    });
    // The plugin's default budget: fifty simultaneous actions keep the
    // backend's one thread busy, and the budget counts that time too. This
    // suite is about conflicts, not timeouts (suites 2 and 3 are).
    backend = await Backend.start({
      dir: run.dir,
      clusters: [east],
      clusterTimeoutMs: 5000,
    });
  });

  const results: Record<string, unknown> = {};

  afterAll(async () => {
    if (Object.keys(results).length) {
      await recordResults('concurrentWriters', results);
    }
    await backend?.stop();
    await east?.sim.close();
    closeConnections();
    run.cleanup();
  });

  it(`${WRITERS} clients setting different weights at once: 200 or 409, one winner per version, a history row per 200, nothing else touched`, async () => {
    const token = await backend.signIn(GUEST);
    const vsBefore = east.object('VirtualService', 'bookinfo', 'reviews')!;
    const others = east.sim.store
      .all()
      .map(e => e.object)
      .filter(
        o =>
          !(
            o.kind === 'VirtualService' &&
            o.metadata.name === 'reviews' &&
            o.metadata.namespace === 'bookinfo'
          ),
      );
    expect(weightsOf(vsBefore.spec)).toEqual({ v1: 50, v2: 50 });
    east.sim.requests.clear();

    const weights = splits(0);
    expect(new Set(weights.map(w => w.v1)).size).toBe(WRITERS);

    const started = Date.now();
    const outcomes = await Promise.all(
      weights.map((w, writer) =>
        write(backend, token, writer, w, `writer ${writer}`),
      ),
    );
    const elapsedMs = Date.now() - started;

    const statuses = countBy(outcomes, o => o.status);
    const ok = outcomes.filter(o => o.status === 200);
    const conflicts = outcomes.filter(o => o.status === 409);
    // Every answer is a success or a conflict: nothing failed, nothing half-done.
    expect(ok.length + conflicts.length).toBe(WRITERS);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const c of conflicts) {
      expect(c.body.error.name).toBe('ConflictError');
      expect(c.body.error.message).toMatch(/reload and try again/);
    }
    for (const o of ok) {
      expect(o.body.changed).toBe(true);
      expect(o.body.event.id).toBeDefined();
    }
    // One winner per resourceVersion that was read: a version is written once.
    const winnersPerVersion = countBy(ok, o => o.resourceVersion);
    expect(Math.max(...Object.values(winnersPerVersion))).toBe(1);

    // The cluster holds exactly one successful request's weights: the last one applied.
    const vsAfter = east.object('VirtualService', 'bookinfo', 'reviews')!;
    const finalWeights = weightsOf(vsAfter.spec);
    const matching = ok.filter(
      o => JSON.stringify(o.weights) === JSON.stringify(finalWeights),
    );
    expect(matching).toHaveLength(1);
    const last = [...ok].sort(
      (a, b) => Number(a.body.event.id) - Number(b.body.event.id),
    )[ok.length - 1];
    expect(matching[0].writer).toBe(last.writer);

    // Nothing but the weights changed, on this object or any other.
    expect(withoutWeights(vsAfter)).toEqual(withoutWeights(vsBefore));
    const othersAfter = east.sim.store
      .all()
      .map(e => e.object)
      .filter(
        o =>
          !(
            o.kind === 'VirtualService' &&
            o.metadata.name === 'reviews' &&
            o.metadata.namespace === 'bookinfo'
          ),
      );
    expect(othersAfter).toEqual(others);

    // The API server saw one successful PATCH per 200; the others it refused.
    const patches = east.writes();
    expect(patches.every(p => p.method === 'PATCH')).toBe(true);
    expect(patches.filter(p => p.status === 200)).toHaveLength(ok.length);
    const refusedByServer = patches.filter(p => p.status !== 200);
    expect(refusedByServer.every(p => [409, 422].includes(p.status))).toBe(
      true,
    );

    // One applied history row per 200, and those rows form one unbroken
    // chain; each PATCH the API server refused is recorded as refused (the
    // intent is written before the PATCH); conflicts the backend saw before
    // writing are not changes, and have no row.
    const rows = (await historyOf(backend, 'reviews', token)).reverse();
    const history = rows.filter(e => e.status === 'applied');
    const notApplied = rows.filter(e => e.status !== 'applied');
    expect(notApplied.map(e => e.status)).toEqual(
      refusedByServer.map(() => 'refused'),
    );
    expect(history).toHaveLength(ok.length);
    expect(history.map(e => e.id).sort()).toEqual(
      ok.map(o => o.body.event.id).sort(),
    );
    expectUnbrokenChain(history, { v1: 50, v2: 50 });
    expect(weightsOf({ http: [history[history.length - 1].after] })).toEqual(
      finalWeights,
    );

    // The audit log has every attempt, with its outcome.
    const audit = backend
      .auditEvents()
      .filter(e => e.meta.entityRef === 'component:default/reviews');
    const outcomes_ = countBy(audit, e => e.meta.outcome ?? 'none');
    expect(outcomes_.applied).toBe(ok.length);
    expect(outcomes_.conflict).toBe(conflicts.length);

    results.oneShot = {
      writers: WRITERS,
      statuses,
      succeeded: ok.length,
      conflicts: conflicts.length,
      conflictsCaughtBeforeWriting: conflicts.length - refusedByServer.length,
      conflictsRefusedByApiServer: refusedByServer.length,
      distinctVersionsRead: Object.keys(
        countBy(outcomes, o => o.resourceVersion),
      ).length,
      historyRows: history.length,
      refusedHistoryRows: notApplied.length,
      patchesSent: patches.length,
      finalWeights,
      elapsedMs,
    };
  });

  it(`${RETRYING_WRITERS} clients that reload and retry on 409 until each has written: no update lost, one history row per write`, async () => {
    const token = await backend.signIn(GUEST);
    const historyBefore = await historyOf(backend, 'reviews', token);
    const vsBefore = east.object('VirtualService', 'bookinfo', 'reviews')!;
    const startWeights = weightsOf(vsBefore.spec);
    const MAX_ATTEMPTS = RETRYING_WRITERS + 5;
    east.sim.requests.clear();
    const started = Date.now();
    const writers = await Promise.all(
      splits(1)
        .slice(0, RETRYING_WRITERS)
        .map(async (w, writer) => {
          const statuses: number[] = [];
          while (statuses.length < MAX_ATTEMPTS) {
            const o = await write(
              backend,
              token,
              writer,
              w,
              `retrying writer ${writer}`,
            );
            statuses.push(o.status);
            if (o.status !== 409)
              return { writer, weights: w, statuses, last: o };
          }
          return { writer, weights: w, statuses, last: undefined };
        }),
    );
    const elapsedMs = Date.now() - started;
    const attempts = writers.flatMap(w => w.statuses);
    // Every attempt ended 200 or 409, and every writer got through.
    expect(attempts.every(s => s === 200 || s === 409)).toBe(true);
    expect(writers.every(w => w.last?.status === 200)).toBe(true);

    const rows = (await historyOf(backend, 'reviews', token))
      .slice(0, -historyBefore.length || undefined)
      .reverse();
    const history = rows.filter(e => e.status === 'applied');
    // Every PATCH the API server refused is a refused row; nothing else.
    const refusedByServer = east
      .writes()
      .filter(p => p.method === 'PATCH' && p.status !== 200);
    expect(rows.filter(e => e.status !== 'applied').map(e => e.status)).toEqual(
      refusedByServer.map(() => 'refused'),
    );
    expect(history).toHaveLength(RETRYING_WRITERS);
    expectUnbrokenChain(history, startWeights);
    // The last row is what the cluster holds.
    const finalWeights = weightsOf(
      east.object('VirtualService', 'bookinfo', 'reviews')!.spec,
    );
    const vsAfter = east.object('VirtualService', 'bookinfo', 'reviews')!;
    expect(weightsOf({ http: [history[RETRYING_WRITERS - 1].after] })).toEqual(
      finalWeights,
    );
    // Every applied write changed the spec once: the generation counts them.
    expect(vsAfter.metadata.generation! - vsBefore.metadata.generation!).toBe(
      RETRYING_WRITERS,
    );
    expect(withoutWeights(vsAfter)).toEqual(withoutWeights(vsBefore));

    results.withRetries = {
      writers: RETRYING_WRITERS,
      attempts: attempts.length,
      statuses: countBy(attempts, s => s),
      mostAttemptsByOneWriter: Math.max(...writers.map(w => w.statuses.length)),
      historyRows: history.length,
      refusedHistoryRows: rows.length - history.length,
      generationsAdded:
        vsAfter.metadata.generation! - vsBefore.metadata.generation!,
      elapsedMs,
    };
  });

  it('left no change in the cluster without its history record, and named its field manager on every patch', async () => {
    const check = await unrecordedChanges(backend, [east]);
    results.historyCheck = check;
    expect(check.unrecorded).toEqual([]);
    expect(check.withoutFieldManager).toEqual([]);
    expect(check.virtualServiceWrites).toBeGreaterThan(0);
  });
});
