import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  buildRollouts,
  ISTIO_ROLLOUTS_PLUGIN_ID,
  istioRolloutsPermissions,
} from '@internal/plugin-istio-rollouts-common';
import { readClusters, readClusterTimeoutMs } from './clusters';
import { ClusterClients, IstioVersionCache } from './kubernetes';
import { RolloutsReader } from './rollouts';
import { EntityRolloutsService } from './service/EntityRolloutsService';
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
        config: coreServices.rootConfig,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        httpAuth,
        httpRouter,
        logger,
        permissions,
        permissionsRegistry,
        catalog,
      }) {
        permissionsRegistry.addPermissions(istioRolloutsPermissions);

        const clusters = readClusters(config);
        const timeoutMs = readClusterTimeoutMs(config);
        logger.info(
          clusters.length
            ? `Reading Istio rollouts from ${clusters
                .map(c => `${c.name} (${c.url})`)
                .join(', ')}; ${timeoutMs} ms per cluster`
            : 'No clusters configured: set kubernetes.clusterLocatorMethods or istioRollouts.clusters',
        );

        const reader = new RolloutsReader({
          clusters,
          timeoutMs,
          clients: new ClusterClients(),
          versions: new IstioVersionCache(),
          buildRollouts,
          logger,
        });
        const rollouts = new EntityRolloutsService({
          catalog,
          permissions,
          reader,
        });
        httpRouter.use(await createRouter({ httpAuth, rollouts }));
        // Health is for load balancers and scripts, which carry no Backstage token.
        httpRouter.addAuthPolicy({
          path: '/v1/health',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
