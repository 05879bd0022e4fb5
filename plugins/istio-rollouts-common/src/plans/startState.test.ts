import { refusal } from '../actions/__testUtils__/scenarios';
import { startStepPlanState } from './startState';
import { at, planOf } from './__testUtils__/runner';

describe('startStepPlanState', () => {
  const plan = planOf([{ setWeight: 10 }, { setWeight: 100 }]);

  it('starts at the first step with the route as the person saw it', () => {
    const route = { resourceVersion: '7', weights: { v1: 100, v2: 0, v0: 0 } };
    expect(startStepPlanState(plan, route, at(0))).toEqual({
      status: 'running',
      startedAt: at(0),
      stepIndex: 0,
      stepStartedAt: at(0),
      stepPausedMs: 0,
      pausedMs: 0,
      analyses: [],
      lastWrite: { ...route, at: at(0) },
    });
  });

  it.each([
    [
      { v1: 100 },
      'canarySubset',
      'must be a destination of the route, got "v2"; the route has "v1"',
    ],
    [
      { v2: 100 },
      'stableSubset',
      'must be a destination of the route, got "v1"; the route has "v2"',
    ],
    [
      { v1: 80, v2: 0, v3: 20 },
      'route',
      'must send traffic only to "v1" and "v2": "v3" has weight 20',
    ],
  ])('refuses a route with weights %j', (weights, field, reason) => {
    expect(
      refusal(() =>
        startStepPlanState(plan, { resourceVersion: '7', weights }, at(0)),
      ),
    ).toEqual({ field, reason });
  });
});
