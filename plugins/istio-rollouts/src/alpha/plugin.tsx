import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { ISTIO_ROLLOUTS_PLUGIN_ID } from '@internal/plugin-istio-rollouts-common';
import CallSplitIcon from '@material-ui/icons/CallSplit';
import { isIstioRolloutsAvailable } from '../annotations';
import { IstioRolloutsClient, istioRolloutsApiRef } from '../api';
import { portalPageRouteRef, rolloutsTabRouteRef } from './routes';

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
 * The portal-wide page of every active rollout the user may see. With a title, an icon and a route ref, the app's
 * nav lists it (1.55 has no NavItemBlueprint: nav items come from pages).
 * @alpha
 */
export const istioRolloutsPage = PageBlueprint.make({
  params: {
    path: '/istio-rollouts',
    title: 'Istio Rollouts',
    icon: <CallSplitIcon />,
    routeRef: portalPageRouteRef,
    // The page brings its own Backstage header, with the subtitle.
    noHeader: true,
    loader: () =>
      import('../components/IstioRolloutsPage').then(m => (
        <m.IstioRolloutsPage />
      )),
  },
});

/**
 * Istio Rollouts for the new frontend system: the Rollouts tab at
 * `/rollouts`, the overview card, the portal-wide page at `/istio-rollouts`
 * and the API client.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: ISTIO_ROLLOUTS_PLUGIN_ID,
  title: 'Istio Rollouts',
  info: { packageJson: () => import('../../package.json') },
  routes: { root: portalPageRouteRef, entityContent: rolloutsTabRouteRef },
  extensions: [
    istioRolloutsApi,
    istioRolloutsEntityContent,
    istioRolloutsEntityCard,
    istioRolloutsPage,
  ],
});
