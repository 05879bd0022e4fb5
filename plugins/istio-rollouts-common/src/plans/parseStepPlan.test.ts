import { refusal } from '../actions/__testUtils__/scenarios';
import { parseStepPlan, parseStepPlanTemplates } from './parseStepPlan';

const target = {
  rolloutId: 'demo-east/bookinfo/reviews',
  route: { kind: 'http', index: 0 },
  stableSubset: 'v1',
  canarySubset: 'v3',
};

/** `10-25-50-100 every 5 min with analysis`, as it reads in app-config.yaml. */
const tenTwentyFiveFiftyHundred = {
  name: '10-25-50-100',
  description: '10-25-50-100 every 5 min with analysis',
  onFailure: 'rollback',
  steps: [10, 25, 50]
    .flatMap(w => [
      { setWeight: w },
      { pause: { durationSeconds: 300 } },
      { analysis: { failureLimit: 2 } },
    ])
    .concat([{ setWeight: 100 }] as any),
};

const fullAnalysis = {
  minSuccessRate: 0.99,
  maxLatencyP99Ms: 500,
  minRequests: 50,
  windowSeconds: 60,
  intervalSeconds: 60,
  count: 3,
  failureLimit: 2,
};

describe('parseStepPlanTemplates', () => {
  it('reads a 10-25-50-100 template, filling the analysis from the operator’s thresholds', () => {
    const [template] = parseStepPlanTemplates([tenTwentyFiveFiftyHundred], {
      thresholds: {
        minSuccessRate: 0.995,
        maxLatencyP99Ms: 300,
        minRequests: 20,
      },
      windowSeconds: 120,
    });
    expect(template.steps).toHaveLength(10);
    expect(template.steps.slice(0, 3)).toEqual([
      { setWeight: 10 },
      { pause: { durationSeconds: 300 } },
      {
        analysis: {
          minSuccessRate: 0.995,
          maxLatencyP99Ms: 300,
          minRequests: 20,
          windowSeconds: 120,
          intervalSeconds: 60,
          count: 3,
          failureLimit: 2,
        },
      },
    ]);
    expect(template).toMatchObject({
      name: '10-25-50-100',
      description: '10-25-50-100 every 5 min with analysis',
      onFailure: 'rollback',
    });
  });

  it('takes the canary verdict’s defaults without operator thresholds, and none without config', () => {
    const [template] = parseStepPlanTemplates([
      {
        name: 'a',
        steps: [{ setWeight: 10 }, { analysis: {} }],
        onFailure: 'pause',
      },
    ]);
    expect(template.steps[1]).toEqual({ analysis: fullAnalysis });
    expect(parseStepPlanTemplates(undefined)).toEqual([]);
  });

  it.each([
    [
      { x: 1 },
      'istioRollouts.plans.templates',
      'must be a list of templates, got {"x":1}',
    ],
    [
      [{ steps: [{ setWeight: 10 }] }],
      'istioRollouts.plans.templates[0].name',
      'must name the template, got nothing',
    ],
    [
      [{ name: 'a', steps: [{ setWeight: 10 }, { setWeight: 150 }] }],
      'istioRollouts.plans.templates[0].steps[1].setWeight',
      'must be an integer from 0 to 100, got 150',
    ],
    [
      [
        { name: 'a', steps: [{ setWeight: 10 }] },
        { name: 'a', steps: [{ setWeight: 20 }] },
      ],
      'istioRollouts.plans.templates[1].name',
      'must be unique: "a" is also istioRollouts.plans.templates[0]',
    ],
    [
      [{ name: 'a', description: 7, steps: [{ setWeight: 10 }] }],
      'istioRollouts.plans.templates[0].description',
      'must be text, got 7',
    ],
    [
      [{ name: 'x'.repeat(64), steps: [{ setWeight: 10 }] }],
      'istioRollouts.plans.templates[0].name',
      'must be at most 63 characters, got 64',
    ],
  ])('refuses %j naming %s', (value, field, reason) => {
    expect(refusal(() => parseStepPlanTemplates(value))).toEqual({
      field,
      reason,
    });
  });
});

describe('parseStepPlan', () => {
  it('reads a custom plan', () => {
    expect(
      parseStepPlan({
        ...target,
        steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 100 }],
        onFailure: 'pause',
        ignored: true,
      }),
    ).toEqual({
      ...target,
      steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 100 }],
      onFailure: 'pause',
    });
  });

  it('reads a plan from a template, naming it, onFailure rollback when left out', () => {
    const templates = parseStepPlanTemplates([
      { name: 'quick', steps: [{ setWeight: 50 }, { setWeight: 100 }] },
    ]);
    const plan = parseStepPlan({ ...target, template: 'quick' }, templates);
    expect(plan).toEqual({
      ...target,
      template: 'quick',
      steps: [{ setWeight: 50 }, { setWeight: 100 }],
      onFailure: 'rollback',
    });
    expect(plan.steps).not.toBe(templates[0].steps);
  });

  const steps = (...s: unknown[]) => ({ ...target, steps: s });
  it.each<[unknown, string, unknown]>([
    [
      {},
      'rolloutId',
      'must be the id of a rollout, <cluster>/<namespace>/<name>, got nothing',
    ],
    [
      { ...target, route: { kind: 'grpc', index: 0 } },
      'route.kind',
      'must be one of http, tls, tcp, got "grpc"',
    ],
    [
      { ...target, stableSubset: '' },
      'stableSubset',
      'must name the subset a roll back sends the traffic to, got ""',
    ],
    [
      { ...target, canarySubset: 3 },
      'canarySubset',
      'must name the subset the plan moves traffic to, got 3',
    ],
    [
      { ...target, canarySubset: 'v1' },
      'canarySubset',
      'must differ from stableSubset, got "v1" for both',
    ],
    [{ ...target }, 'steps', 'must be a list of 1 to 50 steps, got nothing'],
    [steps(), 'steps', 'must be a list of 1 to 50 steps, got 0 steps'],
    [
      { ...target, steps: Array(51).fill({ setWeight: 10 }) },
      'steps',
      'must be a list of 1 to 50 steps, got 51 steps',
    ],
    [
      steps({ pause: { durationSeconds: 60 } }),
      'steps',
      'must set a weight at least once ({ setWeight: n }); a plan without one changes nothing',
    ],
    [
      steps({ setWeight: 10 }, { wait: 5 }),
      'steps[1]',
      'must be exactly one of { setWeight }, { pause }, { analysis }, got {"wait":5}',
    ],
    [
      steps({ setWeight: 10, pause: {} }),
      'steps[0]',
      'must be exactly one of { setWeight }, { pause }, { analysis }, got {"setWeight":10,"pause":{}}',
    ],
    [
      steps('10'),
      'steps[0]',
      'must be exactly one of { setWeight }, { pause }, { analysis }, got "10"',
    ],
    [
      steps({ setWeight: 10 }, { pause: {} }, { setWeight: 150 }),
      'steps[2].setWeight',
      'must be an integer from 0 to 100, got 150',
    ],
    [
      steps({ setWeight: 12.5 }),
      'steps[0].setWeight',
      'must be an integer from 0 to 100, got 12.5',
    ],
    [
      steps({ setWeight: 50 }, { pause: {} }, { setWeight: 25 }),
      'steps[2].setWeight',
      'must not go down: steps[0] set 50, got 25',
    ],
    [
      steps({ setWeight: 10 }, { pause: 300 }),
      'steps[1].pause',
      'must be { durationSeconds } or {} (wait for a person), got 300',
    ],
    [
      steps({ setWeight: 10 }, { pause: { durationSeconds: 0 } }),
      'steps[1].pause.durationSeconds',
      'must be an integer from 1 to 86400, got 0',
    ],
    [
      steps({ setWeight: 10 }, { pause: { durationSeconds: 86401 } }),
      'steps[1].pause.durationSeconds',
      'must be an integer from 1 to 86400, got 86401',
    ],
    [
      steps({ setWeight: 10 }, { pause: { duration: '5m' } }),
      'steps[1].pause.duration',
      'is not a field here; use durationSeconds',
    ],
    [
      steps({ setWeight: 10 }, { analysis: null }),
      'steps[1].analysis',
      expect.stringMatching(/^must be an object of canary checks/),
    ],
    [
      steps({ setWeight: 10 }, { analysis: { minSucessRate: 0.9 } }),
      'steps[1].analysis.minSucessRate',
      'is not a field here; use minSuccessRate, maxLatencyP99Ms, minRequests, windowSeconds, intervalSeconds, count, failureLimit',
    ],
    ...(
      [
        ['minSuccessRate', 1.5, 'must be a number from 0 to 1, got 1.5'],
        ['maxLatencyP99Ms', 0, 'must be a number from 1 to 600000, got 0'],
        ['minRequests', -1, 'must be an integer from 0 to 1000000000, got -1'],
        ['windowSeconds', 5, 'must be an integer from 10 to 3600, got 5'],
        [
          'intervalSeconds',
          7200,
          'must be an integer from 10 to 3600, got 7200',
        ],
        ['count', 0, 'must be an integer from 1 to 100, got 0'],
        ['failureLimit', 0, 'must be an integer from 1 to 100, got 0'],
        ['failureLimit', '2', 'must be an integer from 1 to 100, got "2"'],
      ] as const
    ).map(
      ([name, value, reason]) =>
        [
          steps({ setWeight: 10 }, { analysis: { [name]: value } }),
          `steps[1].analysis.${name}`,
          reason,
        ] as [unknown, string, unknown],
    ),
    [
      { ...target, steps: [{ setWeight: 10 }], onFailure: 'retry' },
      'onFailure',
      'must be one of rollback, pause, got "retry"',
    ],
    [
      { ...target, template: 'quick', steps: [] },
      'template',
      'give either a template or steps and onFailure, not both',
    ],
    [
      { ...target, template: 'slow' },
      'template',
      'must name a template ("quick"), got "slow"',
    ],
  ])('refuses %j naming %s', (body, field, reason) => {
    const templates = [
      {
        name: 'quick',
        steps: [{ setWeight: 100 }],
        onFailure: 'rollback' as const,
      },
    ];
    expect(refusal(() => parseStepPlan(body, templates))).toEqual({
      field,
      reason,
    });
  });

  it('says when no template is configured', () => {
    expect(refusal(() => parseStepPlan({ ...target, template: 'x' }))).toEqual({
      field: 'template',
      reason: 'must name a template (none configured), got "x"',
    });
  });
});
