import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';

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
 * Move traffic within a route: `setWeights`, `rollback` and `startCanary`.
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
