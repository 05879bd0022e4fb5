import type { PlanStep, StepPlanState } from '../api/plans';
import { decideStepPlanMove } from './decideMove';
import {
  analysis,
  at,
  planOf,
  SimulatedRun,
  subsetMetrics,
} from './__testUtils__/runner';

const every5min = (weights: number[]): PlanStep[] =>
  weights.flatMap((w, i) =>
    i === weights.length - 1
      ? [{ setWeight: w }]
      : [{ setWeight: w }, { pause: { durationSeconds: 300 } }, analysis()],
  );

describe('decideStepPlanMove', () => {
  describe('a 10-25-50-100 template, 5 min pauses and analysis', () => {
    it('takes a healthy canary to 100 unattended, each weight after its pause and two healthy measurements', () => {
      const run = new SimulatedRun(planOf(every5min([10, 25, 50, 100])));
      run.tick(10);
      expect(run.canaryWeight()).toBe(10);
      run.runUntil(300);
      expect(run.canaryWeight()).toBe(10); // the pause runs from 10 s to 310 s
      run.runUntil(420);
      expect(run.canaryWeight()).toBe(10); // measured at 370 s; the second is due at 430 s
      run.tick(430);
      expect(run.canaryWeight()).toBe(25);
      run.runUntil(2000);
      expect(run.log).toEqual([
        'setWeights 10',
        'advance',
        'analyze healthy',
        'analyze healthy',
        'advance',
        'setWeights 25',
        'advance',
        'analyze healthy',
        'analyze healthy',
        'advance',
        'setWeights 50',
        'advance',
        'analyze healthy',
        'analyze healthy',
        'advance',
        'setWeights 100 (promotion)',
        'done',
      ]);
      expect(run.weights).toEqual({ v1: 0, v2: 100 });
      expect(run.state).toMatchObject({
        status: 'completed',
        stepIndex: 10,
        end: { at: at(1270), reason: 'every step done' },
      });
      expect(run.state.analyses).toHaveLength(6);
    });

    it('says nothing is left to do once the plan has ended', () => {
      const run = new SimulatedRun(planOf([{ setWeight: 100 }]));
      run.tick(10);
      expect(run.state.status).toBe('completed');
      expect(run.tick(20)).toEqual({ type: 'done' });
      expect(run.log).toEqual(['setWeights 100 (promotion)', 'done']);
    });
  });

  describe('a failing canary', () => {
    it.each([1, 2, 3])(
      'is rolled back after failureLimit %i failing measurements, one interval apart',
      failureLimit => {
        const run = new SimulatedRun(
          planOf([
            { setWeight: 10 },
            analysis({ failureLimit, count: 5 }),
            { setWeight: 50 },
          ]),
        );
        run.canary = { successRate: 0.95 };
        run.runUntil(1000);
        expect(run.log).toEqual([
          'setWeights 10',
          ...Array(failureLimit).fill('analyze failing'),
          'rollback',
        ]);
        expect(run.weights).toEqual({ v1: 100, v2: 0 });
        // The analysis started at 10 s; a measurement every 60 s.
        expect(run.state.end?.at).toBe(at(10 + failureLimit * 60));
        expect(run.state.status).toBe('rolledBack');
        expect(run.state.end?.reason).toBe(
          `analysis (step 2) failed ${failureLimit} times (limit ${failureLimit}); last: failing: 5 % errors vs 0 %`,
        );
      },
    );

    it('pauses instead, with onFailure pause, and writes nothing until a person resumes', () => {
      const run = new SimulatedRun(
        planOf([{ setWeight: 10 }, analysis(), { setWeight: 50 }], 'pause'),
      );
      run.canary = { successRate: 0.95 };
      run.runUntil(200);
      expect(run.log).toEqual([
        'setWeights 10',
        'analyze failing',
        'analyze failing',
        'pause analysisFailed',
      ]);
      expect(run.state.pause).toMatchObject({
        kind: 'analysisFailed',
        since: at(130),
      });
      run.runUntil(5000);
      expect(run.log).toHaveLength(4);
      expect(run.canaryWeight()).toBe(10);

      // Fixed and resumed: the analysis measures afresh, so the two old failures do not pause it again.
      run.canary = {};
      run.command({ type: 'resume', route: run.route()! }, 5000);
      run.runUntil(5120);
      expect(run.log.slice(4)).toEqual([
        'analyze healthy',
        'analyze healthy',
        'advance',
        'setWeights 50',
        'done',
      ]);
    });

    it('judges against the step’s own thresholds', () => {
      const plan = (maxLatencyP99Ms: number) =>
        planOf([{ setWeight: 10 }, analysis({ maxLatencyP99Ms, count: 1 })]);
      const lenient = new SimulatedRun(plan(1000));
      const strict = new SimulatedRun(plan(500));
      for (const run of [lenient, strict]) {
        run.canary = { p99: 700 };
        run.runUntil(100);
      }
      expect(lenient.log).toContain('analyze healthy');
      expect(strict.log).toContain('analyze failing');
    });
  });

  describe('a canary that cannot be judged', () => {
    it.each([
      [
        'not enough traffic',
        { requests: 10 },
        'not enough traffic: 10 of 50 requests',
      ],
      ['no metrics', 'noMetrics' as const, 'no metrics for the route'],
    ])('pauses on %s, never rolls back', (_, canary, summary) => {
      const run = new SimulatedRun(
        planOf([{ setWeight: 10 }, analysis(), { setWeight: 50 }]),
      );
      run.canary = canary;
      run.runUntil(1000);
      expect(run.log).toEqual([
        'setWeights 10',
        'analyze inconclusive',
        'analyze inconclusive',
        'pause analysisInconclusive',
      ]);
      expect(run.state.pause?.message).toContain(summary);
      expect(run.canaryWeight()).toBe(10);
    });

    const analysing = (): StepPlanState => ({
      status: 'running',
      startedAt: at(0),
      stepIndex: 1,
      stepStartedAt: at(10),
      stepPausedMs: 0,
      pausedMs: 0,
      analyses: [],
      lastWrite: {
        resourceVersion: '7',
        weights: { v1: 90, v2: 10 },
        at: at(10),
      },
    });
    const plan = planOf([{ setWeight: 10 }, analysis(), { setWeight: 50 }]);
    const observation = (observedAt: number, canary = 'v2') => ({
      now: at(70),
      route: { resourceVersion: '7', weights: { v1: 90, v2: 10 } },
      metrics: {
        observedAt: at(observedAt),
        canary: subsetMetrics(canary),
        stable: subsetMetrics('v1'),
      },
    });

    it.each([
      [
        'figures read before the step started',
        observation(5),
        'no metrics newer than',
      ],
      [
        'figures of another subset',
        observation(70, 'v3'),
        "not of the plan's subsets",
      ],
    ])('counts %s as no measurement', (_, obs, summary) => {
      const move = decideStepPlanMove(plan, analysing(), obs);
      expect(move).toMatchObject({
        type: 'analyze',
        result: { step: 1, at: at(70), status: 'inconclusive' },
      });
      expect(move.type === 'analyze' && move.result.summary).toContain(summary);
    });

    it('waits for the next measurement until its interval has passed', () => {
      expect(
        decideStepPlanMove(plan, analysing(), {
          ...observation(60),
          now: at(60),
        }),
      ).toEqual({
        type: 'wait',
        until: at(70),
        reason: 'analysis (step 2): measurement 1',
      });
    });
  });

  describe('pauses', () => {
    it('waits at a pause {} step until a person resumes, then goes on', () => {
      const run = new SimulatedRun(
        planOf([{ setWeight: 10 }, { pause: {} }, { setWeight: 100 }]),
      );
      run.runUntil(100_000, 1000);
      expect(run.log).toEqual(['setWeights 10', 'pause step']);
      expect(run.tick(100_010)).toEqual({
        type: 'wait',
        reason: 'paused: step 2 waits for a person: Resume or Next step',
      });
      run.command({ type: 'resume', route: run.route()! }, 100_020);
      run.tick(100_030);
      expect(run.log.slice(2)).toEqual(['setWeights 100 (promotion)', 'done']);
    });

    it('does not count time paused toward a timed pause (argo-rollouts#1225)', () => {
      const run = new SimulatedRun(
        planOf([
          { setWeight: 10 },
          { pause: { durationSeconds: 300 } },
          { setWeight: 50 },
        ]),
      );
      run.tick(10); // the pause step starts at 10 s
      run.runUntil(110);
      run.command({ type: 'pause', by: 'guest' }, 110); // 100 s of the 300 s done
      run.runUntil(1000);
      expect(run.log).toEqual(['setWeights 10']);
      run.command({ type: 'resume', route: run.route()! }, 1000);
      expect(run.state).toMatchObject({
        pausedMs: 890_000,
        stepPausedMs: 890_000,
      });
      // 200 s left: due at 1200 s, not at 310 s nor at 1000 s.
      expect(run.tick(1190)).toEqual({
        type: 'wait',
        until: at(1200),
        reason: 'pause of 300 s (step 2)',
      });
      run.tick(1200);
      expect(run.canaryWeight()).toBe(50);
    });

    it('does not count time paused toward an analysis interval', () => {
      const run = new SimulatedRun(
        planOf([{ setWeight: 10 }, analysis(), { setWeight: 50 }]),
      );
      run.tick(10);
      run.command({ type: 'pause' }, 40);
      run.command({ type: 'resume', route: run.route()! }, 540);
      expect(run.tick(560)).toMatchObject({ type: 'wait', until: at(570) });
      run.tick(570);
      expect(run.log).toEqual(['setWeights 10', 'analyze healthy']);
    });
  });

  describe('a change outside the plan', () => {
    const plan = () =>
      planOf([
        { setWeight: 10 },
        { pause: { durationSeconds: 300 } },
        { setWeight: 50 },
      ]);

    it.each([
      [
        'new weights',
        { v1: 70, v2: 30 },
        'Changed outside the plan: resourceVersion 101 → 102; weights v1 90→70, v2 10→30.',
      ],
      [
        'another edit of the VirtualService',
        undefined,
        'Changed outside the plan: resourceVersion 101 → 102; the weights are unchanged, something else in the VirtualService changed.',
      ],
    ])(
      'pauses the plan on %s and overwrites nothing',
      (_, weights, message) => {
        const run = new SimulatedRun(plan());
        run.tick(10);
        run.editOutside(weights);
        const before = { ...run.weights };
        run.tick(20);
        expect(run.state.pause).toMatchObject({
          kind: 'changedOutside',
          since: at(20),
        });
        expect(run.state.pause?.message).toContain(message);
        run.runUntil(5000);
        expect(run.log).toEqual(['setWeights 10', 'pause changedOutside']);
        expect(run.weights).toEqual(before);
      },
    );

    it('pauses on weights that differ from the last write even at the same resourceVersion', () => {
      const run = new SimulatedRun(plan());
      run.tick(10);
      const move = decideStepPlanMove(run.plan, run.state, {
        now: at(20),
        route: { resourceVersion: '101', weights: { v1: 0, v2: 100 } },
      });
      expect(move).toMatchObject({
        type: 'pause',
        reason: { kind: 'changedOutside' },
      });
    });

    it('names who changed it, where the runner could tell', () => {
      const run = new SimulatedRun(plan());
      run.tick(10);
      const move = decideStepPlanMove(run.plan, run.state, {
        now: at(20),
        route: { resourceVersion: '102', weights: { v1: 70, v2: 30 } },
        changedBy: 'kubectl-patch',
      });
      expect(move).toMatchObject({
        type: 'pause',
        reason: {
          kind: 'changedOutside',
          message: expect.stringMatching(
            /^Changed outside the plan by kubectl-patch: resourceVersion 101 → 102; weights v1 90→70, v2 10→30\./,
          ),
        },
      });
    });

    it('pauses when the route is gone', () => {
      const run = new SimulatedRun(plan());
      run.tick(10);
      run.routeGone = true;
      run.tick(20);
      expect(run.state.pause?.kind).toBe('routeMissing');
    });

    it('continues from the route as it is once resumed', () => {
      const run = new SimulatedRun(plan());
      run.tick(10);
      run.editOutside({ v1: 80, v2: 20 });
      run.tick(20);
      run.command({ type: 'resume', route: run.route()! }, 100);
      run.runUntil(400);
      expect(run.log).toEqual([
        'setWeights 10',
        'pause changedOutside',
        'advance',
        'setWeights 50',
        'done',
      ]);
      expect(run.state.end?.at).toBe(at(390)); // 300 s of running time: 10–20 s and 100–390 s
    });
  });

  it('advances without writing when the route already has the step’s weight', () => {
    const run = new SimulatedRun(
      planOf([{ setWeight: 10 }, { setWeight: 100 }]),
      {
        v1: 90,
        v2: 10,
      },
    );
    run.tick(10);
    expect(run.log).toEqual(['advance', 'setWeights 100 (promotion)', 'done']);
  });

  it('decides the same move from the same inputs, without changing them', () => {
    const run = new SimulatedRun(planOf(every5min([10, 50])));
    run.tick(10);
    const state = deepFreeze(structuredClone(run.state));
    const observation = deepFreeze({ now: at(200), route: run.route()! });
    const first = decideStepPlanMove(run.plan, state, observation);
    expect(decideStepPlanMove(run.plan, state, observation)).toEqual(first);
    expect(first).toEqual({
      type: 'wait',
      until: at(310),
      reason: 'pause of 300 s (step 2)',
    });
  });
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
