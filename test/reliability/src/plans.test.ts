/*
 * Step plans, end to end: the real backend runs plans (its scheduler task,
 * every second) against a kube-sim cluster whose Istio telemetry a real
 * Prometheus scrapes every second. A healthy canary goes 10 → 25 → 50 → 100
 * unattended, judged by Prometheus between steps, one PATCH per weight; a
 * canary failing 10 % of its requests is rolled back by itself; a
 * `pause: {}` step waits for a person, writing nothing; and a kubectl edit
 * of the route during a plan pauses it without a write of its own.
 */
import {
  RunningPrometheus,
  startPrometheus,
  waitForScrape,
} from '@internal/kube-sim';
import {
  Backend,
  closeConnections,
  demoManifests,
  GUEST,
  historyOf,
  recordResults,
  runDir,
  SimCluster,
  sleep,
  startCluster,
  unrecordedChanges,
} from './__testUtils__/harness';
import {
  deploymentPath,
  kubectlPatch,
  PlanClient,
  planTarget,
  pluginPatches,
  Step,
  storedVersion,
  storedWeights,
  virtualServicePath,
} from './__testUtils__/plans';

jest.setTimeout(240_000);

const TICK_SECONDS = 1;
/** Rates over 10 s, scraped every second, as the canary health suite. */
const CANARY_ANALYSIS = {
  windowSeconds: 10,
  rangeSeconds: 300,
  stepSeconds: 5,
  cacheSeconds: 1,
};
/**
 * One analysis between weights: a 10 s window measured after 10 s, passing
 * after one healthy measurement, failing after two failing ones. The
 * canary's least traffic is 10 % of reviews' 40 requests per second: 40
 * requests in a window, well over `minRequests`.
 */
const ANALYSIS = {
  windowSeconds: 10,
  intervalSeconds: 10,
  count: 1,
  failureLimit: 2,
  minRequests: 10,
  minSuccessRate: 0.99,
  maxLatencyP99Ms: 500,
};
const TEN_TO_HUNDRED: Step[] = [
  { setWeight: 10 },
  { analysis: ANALYSIS },
  { setWeight: 25 },
  { analysis: ANALYSIS },
  { setWeight: 50 },
  { analysis: ANALYSIS },
  { setWeight: 100 },
];

const REVIEWS = planTarget('reviews', 'east/bookinfo/reviews', 0);
const FOOBAR = planTarget('foobar', 'east/foobar/foobar', 0);
/** The fixtures' `canary` routes (sapphire 60 / emerald 40); no telemetry. */
const GUEST_OWNED = planTarget(
  'rel-guest-owned',
  'east/rel-perms/rel-guest-owned-vs',
  1,
);
const TEAM_OWNED = planTarget(
  'rel-team-owned',
  'east/rel-perms/rel-team-owned-vs',
  1,
);

/** Epoch ms of a request log entry. */
const at = (entry: { time: string }) => Date.parse(entry.time);

describe('step plans', () => {
  const run = runDir('plans');
  const results: Record<string, unknown> = { tickSeconds: TICK_SECONDS };
  /** The writes the suite itself made straight to the cluster, as kubectl. */
  const outsideEdits: string[] = [];
  let east: SimCluster;
  let prometheus: RunningPrometheus;
  let backend: Backend;
  let token: string;
  let plans: PlanClient;

  beforeAll(async () => {
    east = await startCluster({
      name: 'east',
      manifestPaths: demoManifests('demo-east', 'permissions'),
    });
    prometheus = await startPrometheus({
      targets: [{ cluster: 'east', url: east.url }],
      scrapeIntervalSeconds: 1,
    });
    backend = await Backend.start({
      dir: run.dir,
      clusters: [
        {
          ...east,
          // A generous budget per query: on a busy machine a late answer
          // would be an inconclusive measurement, which is not under test.
          prometheus: {
            url: prometheus.url,
            clusterLabel: 'cluster',
            timeoutMs: 5000,
          },
        },
      ],
      istioRollouts: {
        canaryAnalysis: CANARY_ANALYSIS,
        plans: { tickSeconds: TICK_SECONDS },
      },
    });
    token = await backend.signIn(GUEST);
    plans = new PlanClient(backend, token);
    await waitForScrape(
      prometheus.url,
      { cluster: 'east', scrapes: CANARY_ANALYSIS.windowSeconds + 2 },
      60_000,
    );
  });

  afterAll(async () => {
    await backend?.stop();
    await prometheus?.close();
    await east?.sim.close();
    run.cleanup();
    closeConnections();
  });

  it('runs a healthy canary 10 → 25 → 50 → 100 unattended, one PATCH per weight', async () => {
    const from = east.allWrites.length;
    const started = Date.now();
    const plan = await plans.start(
      REVIEWS,
      { steps: TEN_TO_HUNDRED, onFailure: 'rollback' },
      { stable: 'v1', canary: 'v2' },
    );
    const done = await plans.wait('reviews', plan.id, 'completed', 150_000);
    const seconds = (Date.now() - started) / 1000;
    expect(done.state).toMatchObject({ status: 'completed', stepIndex: 7 });
    expect(done.state.end.reason).toBe('every step done');
    expect(done.state.analyses.map((a: any) => [a.step, a.status])).toEqual([
      [1, 'healthy'],
      [3, 'healthy'],
      [5, 'healthy'],
    ]);
    // The route ends on the canary, in the cluster itself.
    expect(storedWeights(east, REVIEWS)).toEqual({ v1: 0, v2: 100 });
    // One PATCH per weight step, and nothing else written.
    const patches = pluginPatches(east, REVIEWS, from);
    expect(patches.map(p => p.status)).toEqual([200, 200, 200, 200]);
    expect(east.allWrites.slice(from)).toHaveLength(4);
    // Each with its history row, made by the plan as the user who started it.
    const rows = (await historyOf(backend, 'reviews', token))
      .filter(e => e.plan?.id === plan.id)
      .reverse();
    expect(rows.map(e => [e.plan.step, e.status, e.actor])).toEqual([
      [0, 'applied', GUEST],
      [2, 'applied', GUEST],
      [4, 'applied', GUEST],
      [6, 'applied', GUEST],
    ]);
    expect(rows.map(e => e.reason)).toEqual(
      [1, 3, 5, 7].map(
        k => `plan #${plan.id} (started by ${GUEST}), step ${k}/7`,
      ),
    );
    expect(rows.map(r => r.summary).join('\n')).toMatch(
      /v2 50→10[^]*v2 10→25[^]*v2 25→50[^]*v2 50→100/,
    );
    // The plan's own history points at them.
    const written = done.events.filter((e: any) => e.kind === 'weightsWritten');
    expect(written.map((e: any) => e.historyId)).toEqual(rows.map(r => r.id));
    results.healthy = {
      rollout: 'east/bookinfo/reviews http[0], v1 → v2',
      steps: TEN_TO_HUNDRED.length,
      weights: [10, 25, 50, 100],
      patches: patches.length,
      patchesPerWeightStep: patches.length / 4,
      analyses: done.state.analyses.map((a: any) => a.summary),
      historyRows: rows.length,
      seconds: Math.round(seconds * 10) / 10,
      secondsBetweenPatches: patches
        .slice(1)
        .map((p, i) => Math.round((at(p) - at(patches[i])) / 100) / 10),
    };
  });

  it('rolls a canary failing 10 % of its requests back by itself, within failureLimit intervals', async () => {
    // The canary's Deployment answers 10 % of its requests with 503.
    await kubectlPatch(east, deploymentPath('foobar', 'foobar-v2'), {
      metadata: {
        annotations: { 'mesh-sim.istio-rollouts.dev/error-rate': '0.1' },
      },
    });
    outsideEdits.push('deployments east/foobar/foobar-v2');
    const from = east.allWrites.length;
    const plan = await plans.start(
      FOOBAR,
      { steps: TEN_TO_HUNDRED, onFailure: 'rollback' },
      { stable: 'latest', canary: 'v2' },
    );
    const done = await plans.wait('foobar', plan.id, 'rolled back', 120_000);
    expect(done.state.status).toBe('rolledBack');
    expect(done.state.end.reason).toMatch(
      /^analysis \(step 2\) failed 2 times \(limit 2\); last: failing: /,
    );
    expect(done.state.analyses.map((a: any) => [a.step, a.status])).toEqual([
      [1, 'failing'],
      [1, 'failing'],
    ]);
    expect(storedWeights(east, FOOBAR)).toEqual({ latest: 100, v2: 0 });
    // Two writes: the first weight, and the roll back.
    const patches = pluginPatches(east, FOOBAR, from);
    expect(patches.map(p => p.status)).toEqual([200, 200]);
    expect(east.allWrites.slice(from)).toHaveLength(2);
    const rollbackSeconds = (at(patches[1]) - at(patches[0])) / 1000;
    // The second failing measurement is due failureLimit × intervalSeconds
    // after the weight was written, and the roll back follows in that tick;
    // the rest is the scheduler's tick and a busy machine.
    const limit = ANALYSIS.failureLimit * ANALYSIS.intervalSeconds;
    expect(rollbackSeconds).toBeGreaterThanOrEqual(limit);
    expect(rollbackSeconds).toBeLessThan(limit + 10);
    const rows = (await historyOf(backend, 'foobar', token)).filter(
      e => e.plan?.id === plan.id,
    );
    expect(rows.map(e => [e.plan.step, e.status, e.actor])).toEqual([
      [1, 'applied', GUEST],
      [0, 'applied', GUEST],
    ]);
    expect(rows[0].reason).toMatch(
      `plan #${plan.id} (started by ${GUEST}), roll back: analysis (step 2) failed 2 times (limit 2); last: failing: `,
    );
    results.failing = {
      rollout: 'east/foobar/foobar http[0], latest → v2',
      canaryErrorRate: 0.1,
      failureLimit: ANALYSIS.failureLimit,
      intervalSeconds: ANALYSIS.intervalSeconds,
      analyses: done.state.analyses.map((a: any) => a.summary),
      patches: patches.length,
      secondsFromWeightToRollback: Math.round(rollbackSeconds * 10) / 10,
      reason: done.state.end.reason,
    };
  });

  it('waits for a person at `pause: {}`, writing nothing, then resumes to the end', async () => {
    const T = GUEST_OWNED;
    const from = east.allWrites.length;
    const plan = await plans.start(
      T,
      {
        steps: [{ setWeight: 50 }, { pause: {} }, { setWeight: 100 }],
        onFailure: 'pause',
      },
      { stable: 'sapphire', canary: 'emerald' },
    );
    const paused = await plans.wait(T.entity, plan.id, 'paused', 60_000);
    expect(paused.state).toMatchObject({
      status: 'paused',
      stepIndex: 1,
      pause: { kind: 'step' },
    });
    expect(pluginPatches(east, T, from)).toHaveLength(1);
    // Several ticks: nothing is written, nothing moves.
    const waitMs = 6 * TICK_SECONDS * 1000;
    await sleep(waitMs);
    const still = await plans.record(T.entity, plan.id);
    expect(still.state).toEqual(paused.state);
    expect(still.updatedAt).toBe(paused.updatedAt);
    expect(pluginPatches(east, T, from)).toHaveLength(1);
    expect(storedWeights(east, T)).toEqual({ sapphire: 50, emerald: 50 });

    // Resume names the version the person saw; the plan goes on from there.
    const resumed = await plans.command(T.entity, plan.id, {
      command: 'resume',
      resourceVersion: storedVersion(east, T),
    });
    expect(resumed.status).toBe(200);
    const done = await plans.wait(T.entity, plan.id, 'completed', 60_000);
    expect(done.state.status).toBe('completed');
    expect(storedWeights(east, T)).toEqual({ sapphire: 0, emerald: 100 });
    expect(pluginPatches(east, T, from)).toHaveLength(2);
    expect(east.allWrites.slice(from)).toHaveLength(2);
    const commands = done.events.filter((e: any) => e.kind === 'command');
    expect(commands.map((e: any) => e.message)).toEqual([`Resume by ${GUEST}`]);
    results.manualPause = {
      rollout: `${T.rolloutId} http[1], sapphire → emerald`,
      waitedSeconds: waitMs / 1000,
      ticksWaited: waitMs / 1000 / TICK_SECONDS,
      patchesWhilePaused: 0,
      patches: 2,
    };
  });

  it('pauses at a kubectl edit of its route, and never overwrites it', async () => {
    const T = TEAM_OWNED;
    const from = east.allWrites.length;
    const plan = await plans.start(
      T,
      {
        steps: [
          { setWeight: 20 },
          { pause: { durationSeconds: 60 } },
          { setWeight: 50 },
          { pause: { durationSeconds: 60 } },
          { setWeight: 100 },
        ],
        onFailure: 'pause',
      },
      { stable: 'sapphire', canary: 'emerald' },
    );
    const inPause = (r: any) => r.state.stepIndex === 1;
    await plans.wait(T.entity, plan.id, 'in its first pause', 60_000, inPause);
    expect(storedWeights(east, T)).toEqual({ sapphire: 80, emerald: 20 });
    // Someone moves the same route's weights with kubectl meanwhile.
    const editedAt = Date.now();
    await kubectlPatch(
      east,
      virtualServicePath(T),
      [
        { op: 'replace', path: '/spec/http/1/route/0/weight', value: 70 },
        { op: 'replace', path: '/spec/http/1/route/1/weight', value: 30 },
      ],
      'application/json-patch+json',
    );
    outsideEdits.push(`virtualservices ${T.rolloutId}`);
    const edit = east.allWrites.length;
    const paused = await plans.wait(T.entity, plan.id, 'paused', 30_000);
    expect(paused.state.pause).toMatchObject({ kind: 'changedOutside' });
    expect(paused.state.pause.message).toMatch(
      /^Changed outside the plan by kubectl-edit: resourceVersion \S+ → \S+; weights sapphire 80→70, emerald 20→30\./,
    );
    const msToPause = Date.parse(paused.state.pause.since) - editedAt;
    // Within one or two ticks, plus a busy machine.
    expect(msToPause).toBeLessThan(2 * TICK_SECONDS * 1000 + 8000);
    // Several ticks later: no write of the plan's, the edit still there.
    await sleep(4 * TICK_SECONDS * 1000);
    expect(pluginPatches(east, T, edit)).toEqual([]);
    expect(storedWeights(east, T)).toEqual({ sapphire: 70, emerald: 30 });
    const after = await plans.record(T.entity, plan.id);
    expect(after.state).toEqual(paused.state);
    expect(pluginPatches(east, T, from)).toHaveLength(1);
    results.outsideEdit = {
      rollout: `${T.rolloutId} http[1], sapphire → emerald`,
      edit: 'JSON patch of the weights, fieldManager kubectl-edit',
      msFromEditToPause: msToPause,
      patchesAfterEdit: 0,
      outsideWeightsKept: true,
      message: paused.state.pause.message,
    };
  });

  it('left no change in the cluster without its history record, but the suite’s own kubectl edits', async () => {
    const check = await unrecordedChanges(backend, [east]);
    const ours = (line: string) => outsideEdits.some(e => line.includes(e));
    expect(check.unrecorded.filter(l => !ours(l))).toEqual([]);
    expect(check.withoutFieldManager.filter(l => !ours(l))).toEqual([]);
    expect(check.withoutFieldManager).toHaveLength(outsideEdits.length);
    results.historyCheck = {
      ...check,
      unrecorded: check.unrecorded.filter(l => !ours(l)),
      withoutFieldManager: check.withoutFieldManager.filter(l => !ours(l)),
      outsideEditsExcluded: outsideEdits,
    };
    await recordResults('plans', results);
  });
});
