import { createRouteRef } from '@backstage/frontend-plugin-api';

/**
 * The Rollouts tab, wherever the app mounts it: the card links through it, so
 * a tab moved by its `path` config is still found.
 * @alpha
 */
export const rolloutsTabRouteRef = createRouteRef();

/** The portal-wide page of every active rollout, at `/istio-rollouts` unless the app moves it. @alpha */
export const portalPageRouteRef = createRouteRef();
