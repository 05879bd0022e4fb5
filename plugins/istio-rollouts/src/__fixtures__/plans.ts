import type {
  PlansResponse,
  RolloutsResponse,
  StepPlan,
  StepPlanRecord,
  StepPlanTemplate,
} from '@internal/plugin-istio-rollouts-common';
import { reviewsResponse } from './rollouts';

/*
 * Answers of GET …/entities/component/default/reviews/rollouts/plans as the guest (who may start and command plans),
 * and the read model with the plan on demo-east's route and the offer on demo-west's. Times are fixed: tests of
 * the countdown set the clock to NOW.
 */

/** The time the fixtures were read at. */
export const NOW = '2026-12-07T07:00:00.000Z';

const analysis = {
  minSuccessRate: 0.99,
  maxLatencyP99Ms: 500,
  minRequests: 50,
  windowSeconds: 60,
  intervalSeconds: 60,
  count: 3,
  failureLimit: 2,
};

export const templates: StepPlanTemplate[] = [
  {
    name: '10-25-50-100',
    description: '10, 25, 50 and 100 % every 5 min, with analysis',
    steps: [
      { setWeight: 10 },
      { pause: { durationSeconds: 300 } },
      { setWeight: 25 },
      { analysis },
      { setWeight: 50 },
      { analysis },
      { pause: {} },
      { setWeight: 100 },
    ],
    onFailure: 'rollback',
  },
  {
    name: 'half, then ask',
    steps: [{ setWeight: 50 }, { pause: {} }, { setWeight: 100 }],
    onFailure: 'pause',
  },
];

const reviewsPlan: StepPlan = {
  rolloutId: 'demo-east/bookinfo/reviews',
  route: { kind: 'http', index: 0, name: 'reviews-route' },
  stableSubset: 'v1',
  canarySubset: 'v2',
  steps: templates[0].steps,
  onFailure: 'rollback',
  template: '10-25-50-100',
};

/** Plan #12 on demo-east's reviews-route: at its second analysis (step 6 of 8), v2 at 50 %. */
export const runningPlan: StepPlanRecord = {
  id: '12',
  entityRef: 'component:default/reviews',
  plan: reviewsPlan,
  state: {
    status: 'running',
    startedAt: '2026-12-07T06:40:00.000Z',
    stepIndex: 5,
    stepStartedAt: '2026-12-07T06:58:00.000Z',
    stepPausedMs: 0,
    pausedMs: 0,
    analyses: [
      {
        step: 3,
        at: '2026-12-07T06:52:00.000Z',
        status: 'healthy',
        summary: 'healthy',
      },
      {
        step: 3,
        at: '2026-12-07T06:53:00.000Z',
        status: 'healthy',
        summary: 'healthy',
      },
      {
        step: 3,
        at: '2026-12-07T06:54:00.000Z',
        status: 'healthy',
        summary: 'healthy',
      },
      {
        step: 5,
        at: '2026-12-07T06:59:00.000Z',
        status: 'healthy',
        summary: 'healthy',
      },
      {
        step: 5,
        at: '2026-12-07T07:00:00.000Z',
        status: 'inconclusive',
        summary: 'not enough traffic: 12 canary requests, fewer than 50',
      },
    ],
    lastWrite: {
      resourceVersion: '28',
      weights: { v1: 50, v2: 50 },
      at: '2026-12-07T06:58:00.000Z',
    },
  },
  startedBy: 'user:default/guest',
  actor: 'user:default/guest',
  createdAt: '2026-12-07T06:40:00.000Z',
  updatedAt: NOW,
  progress: {
    step: 6,
    steps: 8,
    canaryWeight: 50,
    label: 'step 6/8 · 50 %',
    next: {
      what: 'measurement 3 of the analysis (step 6)',
      at: '2026-12-07T07:04:12.000Z',
    },
  },
  events: [
    {
      at: '2026-12-07T06:40:00.000Z',
      kind: 'started',
      message: 'started by guest: v1 → v2 in 8 steps',
      actor: 'user:default/guest',
    },
    {
      at: '2026-12-07T06:40:01.000Z',
      kind: 'weightsWritten',
      message: 'step 1/8: weights v1 100→90, v2 0→10',
      step: 0,
      historyId: '41',
    },
    {
      at: '2026-12-07T06:58:00.000Z',
      kind: 'weightsWritten',
      message: 'step 5/8: weights v1 75→50, v2 25→50',
      step: 4,
      historyId: '44',
    },
  ],
  commands: ['next', 'skipToEnd', 'pause', 'abort'],
};

/** Plan #12 waiting for a person at its `pause: {}` step (step 7 of 8). */
export const pausedPlan: StepPlanRecord = {
  ...runningPlan,
  state: {
    ...runningPlan.state,
    status: 'paused',
    stepIndex: 6,
    stepStartedAt: '2026-12-07T06:59:30.000Z',
    pause: {
      kind: 'step',
      message: 'waiting for a person to resume (step 7)',
      since: '2026-12-07T06:59:30.000Z',
    },
  },
  progress: {
    step: 7,
    steps: 8,
    canaryWeight: 50,
    label: 'paused · step 7/8 · 50 %',
    next: { what: 'waiting for a person to resume (step 7)' },
  },
  commands: ['next', 'skipToEnd', 'resume', 'abort'],
};

/** Plan #9 on demo-east's reviews-route, rolled back after a failed analysis. */
export const rolledBackPlan: StepPlanRecord = {
  ...runningPlan,
  id: '9',
  createdAt: '2026-12-06T10:00:00.000Z',
  updatedAt: '2026-12-06T10:12:00.000Z',
  state: {
    ...runningPlan.state,
    status: 'rolledBack',
    stepIndex: 3,
    analyses: [],
    end: {
      at: '2026-12-06T10:12:00.000Z',
      reason:
        'analysis failed at step 4: failing: 5 % errors vs 0.2 %; rolled back to v1',
    },
  },
  progress: {
    step: 4,
    steps: 8,
    canaryWeight: 0,
    label: 'rolled back · 0 %',
  },
  events: [],
  commands: [],
};

export const reviewsPlans: PlansResponse = {
  templates,
  plans: [runningPlan, rolledBackPlan],
  canStart: true,
  canPromote: true,
};

const [east, west] = reviewsResponse.rollouts;

/** reviews with plan #12 running on demo-east's route, and a plan on offer on demo-west's. */
export const reviewsWithPlans: RolloutsResponse = {
  ...reviewsResponse,
  rollouts: [
    {
      ...east,
      routes: [
        {
          ...east.routes[0],
          plan: {
            id: '12',
            status: 'running',
            label: 'plan #12 · step 6/8 · 50 %',
          },
        },
      ],
    },
    {
      ...west,
      routes: [
        {
          ...west.routes[0],
          planOffer: { stableSubset: 'v1', canarySubset: 'v2' },
        },
      ],
    },
  ],
};
