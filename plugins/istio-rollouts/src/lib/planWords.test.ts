import { pausedPlan, runningPlan } from '../__fixtures__/plans';
import { commandEffect, formatCountdown, stepLabel } from './planWords';

describe('stepLabel', () => {
  it('says each kind of step in a few words', () => {
    expect(stepLabel({ setWeight: 10 })).toBe('10 %');
    expect(stepLabel({ pause: { durationSeconds: 300 } })).toBe('pause 5 min');
    expect(stepLabel({ pause: { durationSeconds: 90 } })).toBe('pause 90 s');
    expect(stepLabel({ pause: {} })).toBe('wait for a person');
    expect(stepLabel(runningPlan.plan.steps[3])).toBe('analysis ×3');
  });
});

describe('formatCountdown', () => {
  it('reads as a clock, rounding up to whole seconds, never below 0', () => {
    expect(formatCountdown(252_000)).toBe('4:12');
    expect(formatCountdown(251_001)).toBe('4:12');
    expect(formatCountdown(3_723_000)).toBe('1:02:03');
    expect(formatCountdown(0)).toBe('0:00');
    expect(formatCountdown(-5_000)).toBe('0:00');
  });
});

describe('commandEffect', () => {
  it('says what each command does in the plan’s own terms', () => {
    expect(commandEffect(runningPlan, 'next', '28')).toBe(
      'Ends step 6/8 (analysis ×3) now and goes on to step 7/8 (wait for a person).',
    );
    expect(commandEffect(runningPlan, 'skipToEnd', '28')).toBe(
      'Sends all remaining steps at once: v2 gets 100 % (v1 0 %), with no further pause or analysis, and the plan completes.',
    );
    expect(commandEffect(runningPlan, 'pause', '28')).toMatch(
      /^Holds the plan at step 6\/8 \(v2 at 50 %\) until someone resumes it/,
    );
    expect(commandEffect(pausedPlan, 'resume', '31')).toMatch(
      /^Continues the plan from step 7\/8, taking the route as you see it now \(resourceVersion 31\)/,
    );
    expect(commandEffect(runningPlan, 'abort', '28')).toBe(
      'Rolls the route back to v1 (100 %) and ends the plan.',
    );
  });

  it('says a last step ends the plan', () => {
    const last = {
      ...runningPlan,
      plan: {
        ...runningPlan.plan,
        steps: [{ setWeight: 40 }, { pause: {} }],
      },
      state: { ...runningPlan.state, stepIndex: 1 },
    };
    expect(commandEffect(last, 'next', '28')).toBe(
      'Ends step 2/2 (wait for a person) now and completes with v2 at 40 %.',
    );
  });
});
