import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  ISTIO_ROLLOUTS_PLUGIN_ID,
  istioRolloutsPermissions,
} from '@internal/plugin-istio-rollouts-common';
import { createRouter } from './service/router';

/**
 * The Istio Rollouts backend plugin, mounted at `/api/istio-rollouts`.
 * @public
 */
export const istioRolloutsPlugin = createBackendPlugin({
  pluginId: ISTIO_ROLLOUTS_PLUGIN_ID,
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({ httpRouter, logger, permissionsRegistry }) {
        permissionsRegistry.addPermissions(istioRolloutsPermissions);
        httpRouter.use(await createRouter({ logger }));
        // Health is for load balancers and scripts, which carry no Backstage token.
        httpRouter.addAuthPolicy({
          path: '/v1/health',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
