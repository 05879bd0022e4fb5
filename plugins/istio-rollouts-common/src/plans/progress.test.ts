import { analysis, at, planOf, SimulatedRun } from './__testUtils__/runner';
import {
  describeStepPlan,
  stepPlanCommandsAllowed,
  stepPlanProgress,
} from './progress';

const STEPS = [
  { setWeight: 10 },
  { pause: { durationSeconds: 60 } },
  { setWeight: 50 },
  { pause: {} },
  analysis({ count: 1 }),
  { setWeight: 100 },
];

describe('stepPlanProgress', () => {
  it('counts steps from 1, shows the canary weight the plan wrote and what it waits for', () => {
    const run = new SimulatedRun(planOf(STEPS));
    expect(stepPlanProgress(run.plan, run.state, at(0))).toEqual({
      step: 1,
      steps: 6,
      canaryWeight: 0,
      label: 'step 1/6 · 0 %',
    });
    run.tick(5);
    expect(stepPlanProgress(run.plan, run.state, at(5))).toEqual({
      step: 2,
      steps: 6,
      canaryWeight: 10,
      label: 'step 2/6 · 10 %',
      next: { what: 'pause of 60 s (step 2)', at: at(65) },
    });
  });

  it('says paused with the reason, and ends without a step', () => {
    const run = new SimulatedRun(planOf(STEPS));
    run.runUntil(80, 10);
    const paused = stepPlanProgress(run.plan, run.state, at(80));
    expect(paused.label).toBe('paused · step 4/6 · 50 %');
    expect(paused.next?.what).toMatch(/step 4 waits for a person/);
    run.command({ type: 'abort', route: run.route()! }, 85);
    run.tick(90);
    expect(stepPlanProgress(run.plan, run.state, at(90))).toEqual({
      step: 4,
      steps: 6,
      canaryWeight: 0,
      label: 'aborted · 0 %',
    });
  });
});

describe('stepPlanCommandsAllowed', () => {
  it('follows the step machine: no Next step on a weight about to be written, Resume only while paused, none at the end', () => {
    const run = new SimulatedRun(planOf(STEPS));
    expect(stepPlanCommandsAllowed(run.plan, run.state, at(0))).toEqual([
      'skipToEnd',
      'pause',
      'abort',
    ]);
    run.tick(5);
    expect(stepPlanCommandsAllowed(run.plan, run.state, at(5))).toEqual([
      'next',
      'skipToEnd',
      'pause',
      'abort',
    ]);
    run.command({ type: 'pause', by: 'user:default/guest' }, 6);
    expect(stepPlanCommandsAllowed(run.plan, run.state, at(6))).toEqual([
      'next',
      'skipToEnd',
      'resume',
      'abort',
    ]);
    run.command({ type: 'abort', route: run.route()! }, 7);
    run.tick(8);
    expect(stepPlanCommandsAllowed(run.plan, run.state, at(8))).toEqual([]);
  });
});

describe('describeStepPlan', () => {
  it('says the subsets, the weights, the checks and where it ends', () => {
    expect(
      describeStepPlan(
        { ...planOf(STEPS), template: 'careful' },
        'reviews-route',
      ),
    ).toBe(
      'Plan "careful" on reviews-route: v1 → v2 in 6 steps (weights 10 → 50 → 100, 1 analysis, 1 timed pause, 1 wait for a person); ends with v2 at 100 % (a promotion); on a failed analysis: roll back to v1.',
    );
    expect(describeStepPlan(planOf([{ setWeight: 20 }], 'pause'))).toBe(
      'Plan on http[0]: v1 → v2 in 1 step (weights 20); ends with v2 at 20 %; on a failed analysis: pause for a person.',
    );
  });
});
