import {
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { ISTIO_ROLLOUTS_PLUGIN_ID } from '@internal/plugin-istio-rollouts-common';
import { rootRouteRef } from './routes';

/** The Istio Rollouts frontend plugin. @public */
export const istioRolloutsPlugin = createPlugin({
  id: ISTIO_ROLLOUTS_PLUGIN_ID,
  routes: {
    entityContent: rootRouteRef,
  },
});

/**
 * The Rollouts tab of an entity page: its Istio canaries and blue/green
 * releases in every cluster.
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
