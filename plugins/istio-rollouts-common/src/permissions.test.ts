import { isResourcePermission } from '@backstage/plugin-permission-common';
import {
  istioRolloutsPermissions,
  istioRolloutsTrafficPromotePermission,
  istioRolloutsTrafficReadPermission,
  istioRolloutsTrafficUpdatePermission,
  permissionForAction,
} from './permissions';

describe('istio-rollouts permissions', () => {
  it('uses the names the docs and policies refer to', () => {
    expect(istioRolloutsPermissions.map(p => p.name)).toEqual([
      'istio-rollouts.traffic.read',
      'istio-rollouts.traffic.update',
      'istio-rollouts.traffic.promote',
    ]);
  });

  it('scopes every permission to a catalog entity so ownership policies apply', () => {
    for (const permission of istioRolloutsPermissions) {
      expect(isResourcePermission(permission, 'catalog-entity')).toBe(true);
    }
  });

  it('marks reads as read and changes as update', () => {
    expect(istioRolloutsTrafficReadPermission.attributes.action).toBe('read');
    expect(istioRolloutsTrafficUpdatePermission.attributes.action).toBe(
      'update',
    );
    expect(istioRolloutsTrafficPromotePermission.attributes.action).toBe(
      'update',
    );
  });

  it.each([
    ['setWeights', 'istio-rollouts.traffic.update'],
    ['rollback', 'istio-rollouts.traffic.update'],
    ['startCanary', 'istio-rollouts.traffic.update'],
    ['promote', 'istio-rollouts.traffic.promote'],
    ['switch', 'istio-rollouts.traffic.promote'],
  ] as const)('%s needs %s', (action, permission) => {
    expect(permissionForAction(action).name).toBe(permission);
  });
});
