import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  istioRolloutsTrafficPromotePermission,
  istioRolloutsTrafficUpdatePermission,
} from '@internal/plugin-istio-rollouts-common';

/**
 * The demo's policy: everyone may read; only an entity's owners may move its
 * traffic. Ownership is a conditional decision, so the catalog resolves it
 * against the entity's `spec.owner` and the user's groups.
 */
export class DemoPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (
      isPermission(permission, istioRolloutsTrafficUpdatePermission) ||
      isPermission(permission, istioRolloutsTrafficPromotePermission)
    ) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({
          claims: user?.info.ownershipEntityRefs ?? [],
        }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

/** Installs {@link DemoPermissionPolicy} in the permission backend. */
export const demoPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'demo-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new DemoPermissionPolicy());
      },
    });
  },
});
