import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { ISTIO_ROLLOUTS_PLUGIN_ID } from '@internal/plugin-istio-rollouts-common';
import { IstioRolloutsClient, istioRolloutsApiRef } from './api';
import { rootRouteRef } from './routes';

/** The Istio Rollouts frontend plugin. @public */
export const istioRolloutsPlugin = createPlugin({
  id: ISTIO_ROLLOUTS_PLUGIN_ID,
  apis: [
    createApiFactory({
      api: istioRolloutsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new IstioRolloutsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    entityContent: rootRouteRef,
  },
});

/**
 * The Rollouts tab of an entity page: its Istio canaries and blue/green
 * releases in every cluster, with the controls to move their traffic.
 * @public
 */
export const EntityIstioRolloutsContent = istioRolloutsPlugin.provide(
  createRoutableExtension({
    name: 'EntityIstioRolloutsContent',
    component: () =>
      import('./components/EntityIstioRolloutsContent').then(
        m => m.EntityIstioRolloutsContent,
      ),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The overview card: phase and split of each active rollout, linking to the
 * Rollouts tab.
 * @public
 */
export const EntityIstioRolloutsCard = istioRolloutsPlugin.provide(
  createComponentExtension({
    name: 'EntityIstioRolloutsCard',
    component: {
      lazy: () =>
        import('./components/EntityIstioRolloutsCard').then(
          m => m.EntityIstioRolloutsCard,
        ),
    },
  }),
);
