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
import { portalPageRouteRef, rootRouteRef } from './routes';

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
    root: portalPageRouteRef,
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

/**
 * The portal-wide page: every active canary, blue/green release and running
 * step plan the user may see, across entities and clusters. Mount it at
 * `/istio-rollouts`.
 * @public
 */
export const IstioRolloutsPage = istioRolloutsPlugin.provide(
  createRoutableExtension({
    name: 'IstioRolloutsPage',
    component: () =>
      import('./components/IstioRolloutsPage').then(m => m.IstioRolloutsPage),
    mountPoint: portalPageRouteRef,
  }),
);
