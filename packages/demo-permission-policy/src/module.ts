import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  DemoPermissionPolicy,
  liveDemoPolicyMode,
  readDemoPolicyMode,
} from './permissionPolicy';

/** Installs {@link DemoPermissionPolicy} in the permission backend. */
export const demoPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'demo-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ policy, config, logger }) {
        // A wrong value stops the backend at startup, naming the key.
        const mode = readDemoPolicyMode(config);
        logger.info(`Istio Rollouts demo policy: ${mode}`);
        policy.setPolicy(
          new DemoPermissionPolicy(liveDemoPolicyMode(config, logger)),
        );
      },
    });
  },
});
