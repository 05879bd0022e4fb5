import { ConflictError } from '@backstage/errors';
import type { StepPlanCommand } from './types';
import { applyStepPlanCommand } from './commands';
import { analysis, at, planOf, SimulatedRun } from './__testUtils__/runner';

const steps = () =>
  planOf([
    { setWeight: 10 },
    { pause: { durationSeconds: 300 } },
    analysis(),
    { setWeight: 50 },
    { pause: {} },
    { setWeight: 100 },
  ]);

/** A run at its first timed pause (step 2), 40 s in. */
function atFirstPause(): SimulatedRun {
  const run = new SimulatedRun(steps());
  run.tick(10);
  run.runUntil(50);
  return run;
}

describe('applyStepPlanCommand', () => {
  it('next ends the current pause: the step after it runs at the next tick', () => {
    const run = atFirstPause();
    run.command({ type: 'next' }, 55);
    expect(run.state).toMatchObject({ stepIndex: 2, stepStartedAt: at(55) });
    run.runUntil(180);
    expect(run.log).toEqual([
      'setWeights 10',
      'analyze healthy',
      'analyze healthy',
      'advance',
      'setWeights 50',
      'pause step',
    ]);
  });

  it('next on a pause {} step that waits for a person goes on, counting the wait as paused', () => {
    const run = atFirstPause();
    run.command({ type: 'next' }, 55);
    run.runUntil(180);
    run.command({ type: 'next' }, 1000);
    expect(run.state).toMatchObject({
      status: 'running',
      stepIndex: 5,
      pausedMs: 825_000, // waiting from 175 s (the second measurement, then 50) to 1000 s
    });
    expect(run.state.pause).toBeUndefined();
    run.tick(1010);
    expect(run.weights).toEqual({ v1: 0, v2: 100 });
  });

  it('skip to end writes the final weight as a promotion and ends the plan', () => {
    const run = atFirstPause();
    run.command({ type: 'skipToEnd' }, 55);
    run.tick(60);
    expect(run.log).toEqual([
      'setWeights 10',
      'setWeights 100 (promotion)',
      'done',
    ]);
    expect(run.state.status).toBe('completed');
  });

  it('skip to end of a plan that stops at 50 writes 50, not a promotion', () => {
    const run = new SimulatedRun(
      planOf([{ setWeight: 10 }, { pause: {} }, { setWeight: 50 }]),
    );
    run.tick(10);
    run.command({ type: 'skipToEnd' }, 20);
    run.tick(30);
    expect(run.log).toEqual([
      'setWeights 10',
      'pause step',
      'setWeights 50',
      'done',
    ]);
  });

  it('abort rolls the route back to the stable subset and ends the plan', () => {
    const run = atFirstPause();
    run.command({ type: 'abort', by: 'guest', route: run.route()! }, 55);
    expect(run.state.status).toBe('aborting');
    run.tick(60);
    expect(run.log).toEqual(['setWeights 10', 'rollback']);
    expect(run.weights).toEqual({ v1: 100, v2: 0 });
    expect(run.state).toMatchObject({
      status: 'aborted',
      abort: { by: 'guest', at: at(55) },
      end: { at: at(60), reason: 'aborted by guest' },
    });
  });

  it('abort after an outside change rolls back the route as the person saw it', () => {
    const run = atFirstPause();
    run.editOutside({ v1: 60, v2: 40 });
    run.tick(60);
    expect(run.state.pause?.kind).toBe('changedOutside');
    run.command({ type: 'abort', route: run.route()! }, 70);
    run.tick(80);
    expect(run.log.slice(-1)).toEqual(['rollback']);
    expect(run.weights).toEqual({ v1: 100, v2: 0 });
  });

  it('abort of a plan whose route is gone ends it without a write', () => {
    const run = atFirstPause();
    run.routeGone = true;
    run.command({ type: 'abort', by: 'guest' }, 55);
    expect(run.state).toMatchObject({
      status: 'aborted',
      end: {
        reason: 'aborted by guest; the route is gone, nothing to roll back',
      },
    });
    run.tick(60);
    expect(run.log).toEqual(['setWeights 10']);
  });

  it('pause by a person stops the plan until resume', () => {
    const run = atFirstPause();
    run.command({ type: 'pause', by: 'user:default/guest' }, 55);
    // The message names the person; `by` keeps the ref.
    expect(run.state.pause).toEqual({
      kind: 'manual',
      by: 'user:default/guest',
      message: 'paused by guest',
      since: at(55),
    });
    run.runUntil(2000);
    expect(run.log).toEqual(['setWeights 10']);
  });

  const route = { resourceVersion: '1', weights: { v1: 90, v2: 10 } };
  const refusals: Array<
    [string, (r: SimulatedRun) => void, StepPlanCommand, string]
  > = [
    [
      'next on a weight about to be written',
      () => {},
      { type: 'next' },
      'Cannot go to the next step: step 1 (weight 10) is being written; Next step ends a pause or an analysis.',
    ],
    [
      'pause of a paused plan',
      r => r.command({ type: 'pause', by: 'sam' }),
      { type: 'pause' },
      'Already paused: paused by sam',
    ],
    [
      'resume of a running plan',
      () => {},
      { type: 'resume', route },
      'Cannot resume: the plan is not paused.',
    ],
    [
      'next while an outside change paused the plan',
      r => {
        r.editOutside({ v1: 50, v2: 50 });
        r.tick(60);
      },
      { type: 'next' },
      'Cannot go to the next step: resume first. Changed outside the plan',
    ],
    [
      'skip to end while an outside change paused the plan',
      r => {
        r.editOutside();
        r.tick(60);
      },
      { type: 'skipToEnd' },
      'Cannot skip to the end: resume first.',
    ],
    [
      'anything on an ended plan',
      r => {
        r.command({ type: 'skipToEnd' });
        r.tick(60);
      },
      { type: 'pause' },
      'Cannot pause: the plan has ended (completed).',
    ],
    [
      'abort of an aborting plan',
      r => r.command({ type: 'abort', route: r.route()! }),
      { type: 'abort', route },
      'Cannot abort: the plan is being aborted.',
    ],
    [
      'skip to end with no step left',
      r => r.command({ type: 'skipToEnd' }),
      { type: 'skipToEnd' },
      'Cannot skip to the end: no step is left.',
    ],
  ];

  it.each(refusals)('refuses %s with 409', (_, setup, command, message) => {
    const run = new SimulatedRun(steps());
    if (!_.startsWith('next on a weight')) {
      run.tick(10);
      run.runUntil(50);
    }
    setup(run);
    const before = run.state;
    let error: unknown;
    try {
      applyStepPlanCommand(run.plan, before, command, at(100));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toContain(message);
    expect(run.state).toBe(before);
  });
});
