import { createRouteRef } from '@backstage/core-plugin-api';

/** The Rollouts tab of an entity page. */
export const rootRouteRef = createRouteRef({
  id: 'istio-rollouts',
});

/** The portal-wide page of every active rollout; its own ref, as the tab's is mounted under each entity page. */
export const portalPageRouteRef = createRouteRef({
  id: 'istio-rollouts:page',
});
