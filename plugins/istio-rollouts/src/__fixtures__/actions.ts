import type {
  HistoryEvent,
  HistoryPage,
  RolloutActionResponse,
} from '@internal/plugin-istio-rollouts-common';
import { reviewsResponse } from './rollouts';

const dest = (subset: string) => ({
  host: 'reviews',
  subset,
  port: { number: 9080 },
});

const reviewsRoute = (v1: number, v2: number) => ({
  name: 'reviews-route',
  match: [{ uri: { prefix: '/reviews' } }],
  route: [
    { destination: dest('v1'), weight: v1 },
    { destination: dest('v2'), weight: v2 },
  ],
});

/** The route as the history shows it: redacted to what the read model shows, so without its match. */
const historyRoute = (v1: number, v2: number) => {
  const { match: _match, ...shown } = reviewsRoute(v1, v2);
  return shown;
};

/** The dry run of `setWeights` v1 80 / v2 20 on demo-east's reviews, in the backend's shape (see the common README). */
export const setWeightsDryRun: RolloutActionResponse = {
  dryRun: true,
  changed: true,
  summary: 'http[0] reviews-route: v1 50→80, v2 50→20',
  patches: [
    {
      kind: 'VirtualService',
      namespace: 'bookinfo',
      name: 'reviews',
      operations: [
        { op: 'replace', path: '/metadata/resourceVersion', value: '28' },
        {
          op: 'test',
          path: '/spec/http/0/route/0/destination',
          value: dest('v1'),
        },
        { op: 'test', path: '/spec/http/0/route/0/weight', value: 50 },
        { op: 'replace', path: '/spec/http/0/route/0/weight', value: 80 },
        {
          op: 'test',
          path: '/spec/http/0/route/1/destination',
          value: dest('v2'),
        },
        { op: 'test', path: '/spec/http/0/route/1/weight', value: 50 },
        { op: 'replace', path: '/spec/http/0/route/1/weight', value: 20 },
      ],
    },
  ],
  routes: [
    {
      kind: 'http',
      index: 0,
      name: 'reviews-route',
      before: reviewsRoute(50, 50),
      after: reviewsRoute(80, 20),
    },
  ],
};

const east = reviewsResponse.rollouts[0];

/** The history event of that change. */
export const setWeightsEvent: HistoryEvent = {
  id: '7',
  entityRef: 'component:default/reviews',
  actor: 'user:default/guest',
  // Read when rendered, not when this module loads: a cold test run may take
  // over a minute to get there, and the row must still say "3 minutes ago".
  get createdAt() {
    return new Date(Date.now() - 3 * 60_000).toISOString();
  },
  rolloutId: east.id,
  cluster: 'demo-east',
  namespace: 'bookinfo',
  virtualService: 'reviews',
  route: { kind: 'http', index: 0, name: 'reviews-route' },
  action: 'setWeights',
  status: 'applied',
  before: historyRoute(50, 50),
  after: historyRoute(80, 20),
  summary: 'http[0] reviews-route: v1 50→80, v2 50→20',
  reason: 'more canary traffic after a clean hour',
};

/** The applied `setWeights`: the rollout read back, and its history event. */
export const setWeightsApplied: RolloutActionResponse = {
  ...setWeightsDryRun,
  dryRun: false,
  rollout: {
    ...east,
    resourceVersion: '29',
    routes: [
      {
        ...east.routes[0],
        destinations: [
          { host: 'reviews', subset: 'v1', port: 9080, weight: 80 },
          { host: 'reviews', subset: 'v2', port: 9080, weight: 20 },
        ],
      },
    ],
  },
  event: setWeightsEvent,
};

/** Two pages of history, newest first. */
export const historyPages: HistoryPage[] = [
  { events: [setWeightsEvent], nextCursor: '7' },
  {
    events: [
      {
        ...setWeightsEvent,
        id: '3',
        actor: 'user:default/jane.doe',
        createdAt: new Date(Date.now() - 2 * 24 * 3600_000).toISOString(),
        action: 'promote',
        before: historyRoute(90, 10),
        after: historyRoute(50, 50),
        summary: 'http[0] reviews-route: v1 90→50, v2 10→50',
        reason: undefined,
      },
    ],
  },
];
