import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { RolloutAction } from './api';

/**
 * See an entity's VirtualServices, their routes and traffic split.
 * Authorized against the entity's ref, so policies can scope it by ownership.
 * @public
 */
export const istioRolloutsTrafficReadPermission = createPermission({
  name: 'istio-rollouts.traffic.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Move traffic within a route: `setWeights`, `rollback`, `startCanary` and `finish`.
 * @public
 */
export const istioRolloutsTrafficUpdatePermission = createPermission({
  name: 'istio-rollouts.traffic.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Make a candidate the live version: `promote` and blue/green `switch`.
 * Kept apart from update so a policy can let a team shift weights but reserve promotion.
 * @public
 */
export const istioRolloutsTrafficPromotePermission = createPermission({
  name: 'istio-rollouts.traffic.promote',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Every permission of the plugin, for registration with the permissions registry.
 * @public
 */
export const istioRolloutsPermissions = [
  istioRolloutsTrafficReadPermission,
  istioRolloutsTrafficUpdatePermission,
  istioRolloutsTrafficPromotePermission,
];

/**
 * The permission each action needs, the one table the backend authorizes with and the UI explains with.
 * `promote` and `switch` make a candidate live; the others move traffic within a route. (Whatever the action,
 * a change that ends with all of a route's traffic on a subset other than its stable one is a promotion too, and
 * the backend asks for `istio-rollouts.traffic.promote` as well when the plan does that.)
 * @public
 */
export const ROLLOUT_ACTION_PERMISSIONS: Record<
  RolloutAction,
  ResourcePermission<'catalog-entity'>
> = {
  setWeights: istioRolloutsTrafficUpdatePermission,
  promote: istioRolloutsTrafficPromotePermission,
  rollback: istioRolloutsTrafficUpdatePermission,
  switch: istioRolloutsTrafficPromotePermission,
  startCanary: istioRolloutsTrafficUpdatePermission,
  finish: istioRolloutsTrafficUpdatePermission,
};

/** The permission one action needs (see {@link ROLLOUT_ACTION_PERMISSIONS}). @public */
export function permissionForAction(
  action: RolloutAction,
): ResourcePermission<'catalog-entity'> {
  return ROLLOUT_ACTION_PERMISSIONS[action];
}
