import {
  PortalRolloutRow,
  PortalRolloutsResponse,
} from '@internal/plugin-istio-rollouts-common';

/*
 * Answers of GET /api/istio-rollouts/v1/rollouts in the backend's shape: the demo's active routes (reviews' canary in
 * both clusters with a plan in demo-east, gorilla-sfx-demo's blue/green pair, web-service's mirror), as the guest.
 */

const reviews = {
  ref: 'component:default/reviews',
  owner: 'group:default/team-bookinfo',
};
const gorilla = {
  ref: 'component:default/gorilla-sfx-demo',
  title: 'Gorilla SFX demo',
  owner: 'group:default/team-bookinfo',
};
const webService = {
  ref: 'component:default/web-service',
  owner: 'group:default/team-web',
};

/** reviews' canary at 50 % in demo-east, walked by plan #12. */
export const reviewsEastRow: PortalRolloutRow = {
  entities: [reviews],
  cluster: 'demo-east',
  namespace: 'bookinfo',
  rolloutId: 'demo-east/bookinfo/reviews',
  virtualService: 'reviews',
  route: { kind: 'http', index: 0, name: 'reviews-route' },
  phase: 'canary',
  label: 'canary 50%',
  split: [
    { subset: 'v1', weight: 50 },
    { subset: 'v2', weight: 50 },
    { subset: 'v3', weight: 0 },
  ],
  plan: { id: '12', status: 'running', label: 'plan #12 · step 6/8 · 50 %' },
};

/** reviews' canary at 20 % in demo-west. */
export const reviewsWestRow: PortalRolloutRow = {
  ...reviewsEastRow,
  cluster: 'demo-west',
  rolloutId: 'demo-west/bookinfo/reviews',
  label: 'canary 20%',
  split: [
    { subset: 'v1', weight: 80 },
    { subset: 'v2', weight: 20 },
    { subset: 'v3', weight: 0 },
  ],
  plan: undefined,
};

/** Both sides of gorilla-sfx-demo's blue/green header pair: green by header, blue live. */
export const gorillaRows: PortalRolloutRow[] = [
  { index: 0, name: 'green-by-header', subset: 'green' },
  { index: 1, name: 'default', subset: 'blue' },
].map(({ index, name, subset }) => ({
  entities: [gorilla],
  cluster: 'demo-east',
  namespace: 'default',
  rolloutId: 'demo-east/default/gorilla-sfx-demo',
  virtualService: 'gorilla-sfx-demo',
  route: { kind: 'http', index, name },
  phase: 'blue-green',
  label: 'blue-green (header)',
  split: [{ subset, weight: 100 }],
}));

/** web-service mirroring 10 % of its requests to green, in demo-west; another team's. */
export const webServiceRow: PortalRolloutRow = {
  entities: [webService],
  cluster: 'demo-west',
  namespace: 'web',
  rolloutId: 'demo-west/web/web-service',
  virtualService: 'web-service',
  route: { kind: 'http', index: 0, name: 'primary' },
  phase: 'mirroring',
  label: 'mirroring 10%',
  split: [
    { subset: 'blue', weight: 100 },
    { subset: 'green', weight: 0 },
  ],
};

/** Every cluster answering. */
export const portalResponse: PortalRolloutsResponse = {
  clusters: [
    { name: 'demo-east', status: 'ok' },
    { name: 'demo-west', status: 'ok' },
  ],
  rows: [reviewsEastRow, reviewsWestRow, ...gorillaRows, webServiceRow],
};

/** demo-west timed out: its rows are its last-known state. */
export const portalWestDown: PortalRolloutsResponse = {
  clusters: [
    { name: 'demo-east', status: 'ok' },
    {
      name: 'demo-west',
      status: 'error',
      error: {
        reason: 'Timeout',
        message: 'demo-west did not answer within 5000 ms',
      },
    },
  ],
  rows: portalResponse.rows.map(row =>
    row.cluster === 'demo-west' ? { ...row, stale: true } : row,
  ),
};

/** Nothing is mid-release anywhere the caller may see. */
export const portalEmpty: PortalRolloutsResponse = {
  clusters: portalResponse.clusters,
  rows: [],
};
