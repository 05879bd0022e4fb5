import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import { istioRolloutsTrafficUpdatePermission } from '@internal/plugin-istio-rollouts-common';
import { demoPermissionPolicyModule } from './module';
import { DemoPermissionPolicy } from './permissionPolicy';

/** A stand-in permission plugin that only keeps the policy it is given. */
function permissionPluginCapturingPolicy() {
  const captured: { policy?: PermissionPolicy } = {};
  const plugin = createBackendPlugin({
    pluginId: 'permission',
    register(reg) {
      reg.registerExtensionPoint(policyExtensionPoint, {
        setPolicy(policy) {
          captured.policy = policy;
        },
      });
      reg.registerInit({ deps: {}, async init() {} });
    },
  });
  return { plugin, captured };
}

describe('demoPermissionPolicyModule', () => {
  it('installs the demo policy in the mode the config names', async () => {
    const { plugin, captured } = permissionPluginCapturingPolicy();
    await startTestBackend({
      features: [
        plugin,
        demoPermissionPolicyModule,
        mockServices.rootConfig.factory({
          data: { istioRolloutsDemo: { policy: 'deny' } },
        }),
      ],
    });
    expect(captured.policy).toBeInstanceOf(DemoPermissionPolicy);
    expect(
      await captured.policy!.handle({
        permission: istioRolloutsTrafficUpdatePermission,
      }),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  it('stops the backend at startup on an unknown mode, naming the key', async () => {
    const { plugin } = permissionPluginCapturingPolicy();
    await expect(
      startTestBackend({
        features: [
          plugin,
          demoPermissionPolicyModule,
          mockServices.rootConfig.factory({
            data: { istioRolloutsDemo: { policy: 'everyone' } },
          }),
        ],
      }),
    ).rejects.toThrow(
      'istioRolloutsDemo.policy must be one of owner, allow, deny, update-only, no-read; got "everyone"',
    );
  });
});
