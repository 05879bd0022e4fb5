import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { ISTIO_ROLLOUTS_PLUGIN_ID } from '@internal/plugin-istio-rollouts-common';
import { isIstioRolloutsAvailable } from '../annotations';
import { IstioRolloutsClient, istioRolloutsApiRef } from '../api';
import { rolloutsTabRouteRef } from './routes';

/** The client of the backend, from discovery and fetch. @alpha */
export const istioRolloutsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: istioRolloutsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new IstioRolloutsClient({ discoveryApi, fetchApi }),
    }),
});

/** The Rollouts tab, on entities with the Kubernetes annotations. @alpha */
export const istioRolloutsEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/rollouts',
    title: 'Rollouts',
    group: 'deployment',
    routeRef: rolloutsTabRouteRef,
    // Annotated entities only by default, so installing the plugin adds no tab
    // to every entity of a catalog; an app that wants the tab's set-up help on
    // all its Components sets `config.filter: { kind: component }`.
    filter: isIstioRolloutsAvailable,
    loader: () =>
      import('../components/EntityIstioRolloutsContent').then(m => (
        <m.EntityIstioRolloutsContent />
      )),
  },
});

/** The overview card: phase and split of each active rollout, linking to the tab. @alpha */
export const istioRolloutsEntityCard = EntityCardBlueprint.make({
  params: {
    filter: isIstioRolloutsAvailable,
    loader: () => import('./TabLinkedCard').then(m => <m.TabLinkedCard />),
  },
});

/**
 * Istio Rollouts for the new frontend system: the Rollouts tab at
 * `/rollouts`, the overview card and the API client.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: ISTIO_ROLLOUTS_PLUGIN_ID,
  title: 'Istio Rollouts',
  info: { packageJson: () => import('../../package.json') },
  routes: { entityContent: rolloutsTabRouteRef },
  extensions: [
    istioRolloutsApi,
    istioRolloutsEntityContent,
    istioRolloutsEntityCard,
  ],
});
