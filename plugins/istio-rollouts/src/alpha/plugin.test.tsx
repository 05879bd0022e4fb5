import { Entity } from '@backstage/catalog-model';
import {
  ApiBlueprint,
  coreExtensionData,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderTestApp,
  RenderTestAppOptions,
} from '@backstage/frontend-test-utils';
import {
  defaultEntityContentGroups,
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  catalogApiMock,
  createTestEntityPage,
} from '@backstage/plugin-catalog-react/testUtils';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { reviewsResponse } from '../__fixtures__/rollouts';
import { component, mockApi, MockApi } from '../__testUtils__/renderWithApi';
import { istioRolloutsApiRef } from '../api';
import plugin from './index';

const apiExtension = plugin.getExtension('api:istio-rollouts');
const tab = plugin.getExtension('entity-content:istio-rollouts');
const card = plugin.getExtension('entity-card:istio-rollouts');

/** reviews, found by the annotation the Kubernetes plugin uses. */
const reviews = component('reviews');
/** An entity whose objects are found by a label selector instead. */
const bySelector = component('ratings', {
  'backstage.io/kubernetes-label-selector': 'app=ratings',
});
/** An entity not set up for Kubernetes. */
const details = component('details', {});

function answering(): MockApi {
  const api = mockApi();
  api.getRollouts.mockResolvedValue(reviewsResponse);
  return api;
}

/** An entity page of the new frontend system with one of the plugin's extensions on it. */
function renderEntityPage(
  entity: Entity,
  extension: typeof tab | typeof card,
  api: MockApi,
) {
  return renderTestApp({
    extensions: [createTestEntityPage({ entity }), extension],
    apis: [[istioRolloutsApiRef, api]],
  });
}

describe('the new frontend system plugin', () => {
  it('is the istio-rollouts plugin with its API, tab, card and page', () => {
    expect(plugin.$$type).toBe('@backstage/FrontendPlugin');
    expect(plugin.pluginId).toBe('istio-rollouts');
    for (const id of [
      'api:istio-rollouts',
      'entity-content:istio-rollouts',
      'entity-card:istio-rollouts',
      'page:istio-rollouts',
    ] as const) {
      expect(plugin.getExtension(id).$$type).toBe(
        '@backstage/ExtensionDefinition',
      );
    }
  });

  it('provides the API the components read, from discovery and fetch', () => {
    const factory = createExtensionTester(apiExtension).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api).toBe(istioRolloutsApiRef);
    expect(Object.values(factory.deps)).toEqual(
      expect.arrayContaining([discoveryApiRef, fetchApiRef]),
    );
  });

  it('shows the rollouts on an entity page through its own API client, without a mock of the API', async () => {
    const discoveryApi = mockApis.discovery();
    const fetch = jest.fn(
      async (_input: RequestInfo | URL, _init?: RequestInit) =>
        new Response(JSON.stringify(reviewsResponse), {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
        }),
    );
    renderTestApp({
      features: [plugin],
      extensions: [createTestEntityPage({ entity: reviews })],
      apis: [discoveryApi, mockApis.fetch({ baseImplementation: fetch })],
    });

    // The tab and the card both come from the plugin and both read the backend.
    expect(
      await screen.findByRole('img', {
        name: 'Traffic of http[0] reviews-route: v1 80% / v2 20%',
      }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('img', {
        name: 'Traffic of reviews in demo-west: v1 80% / v2 20%',
      }),
    ).toBeInTheDocument();
    const base = await discoveryApi.getBaseUrl('istio-rollouts');
    expect(fetch).toHaveBeenCalledWith(
      `${base}/v1/entities/component/default/reviews/rollouts`,
      expect.anything(),
    );
  });
});

describe('the Rollouts tab (entity-content:istio-rollouts)', () => {
  it('shows the rollouts of an entity with backstage.io/kubernetes-id in every cluster', async () => {
    const api = answering();
    renderEntityPage(reviews, tab, api);

    expect(
      await screen.findByRole('img', {
        name: 'Traffic of http[0] reviews-route: v1 50% / v2 50%',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', {
        name: 'Traffic of http[0] reviews-route: v1 80% / v2 20%',
      }),
    ).toBeInTheDocument();
    for (const cluster of reviewsResponse.clusters) {
      expect(
        screen.getByRole('heading', { name: cluster.name }),
      ).toBeInTheDocument();
    }
    expect(api.getRollouts).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'default', name: 'reviews' },
      expect.anything(),
    );
  });

  it('comes with the set-up help to every Component when the app widens its filter', async () => {
    const api = answering();
    renderTestApp({
      extensions: [createTestEntityPage({ entity: details }), tab],
      apis: [[istioRolloutsApiRef, api]],
      config: {
        app: {
          extensions: [
            {
              'entity-content:istio-rollouts': {
                config: { filter: { kind: 'component' } },
              },
            },
          ],
        },
      },
    });
    expect(
      await screen.findByRole('heading', {
        name: 'Set up details for the Rollouts tab',
      }),
    ).toBeInTheDocument();
    expect(api.getRollouts).not.toHaveBeenCalled();
  });

  it('is at /rollouts, in a group the entity page knows', () => {
    const tester = createExtensionTester(tab);
    expect(tester.get(coreExtensionData.routePath)).toBe('/rollouts');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Rollouts');
    expect(Object.keys(defaultEntityContentGroups)).toContain(
      tester.get(EntityContentBlueprint.dataRefs.group),
    );
  });
});

describe('the overview card (entity-card:istio-rollouts)', () => {
  /** The whole plugin, tab and card, on an entity page of an app with this config. */
  function renderPlugin(config: RenderTestAppOptions['config'] = {}) {
    return renderTestApp({
      features: [plugin],
      extensions: [createTestEntityPage({ entity: reviews })],
      apis: [[istioRolloutsApiRef, answering()]],
      config,
    });
  }

  it('shows the split of each active rollout in every cluster', async () => {
    renderEntityPage(reviews, card, answering());

    expect(
      await screen.findByRole('img', {
        name: 'Traffic of reviews in demo-west: v1 80% / v2 20%',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', {
        name: 'Traffic of reviews in demo-east: v1 50% / v2 50%',
      }),
    ).toBeInTheDocument();
  });

  it('links to the Rollouts tab', async () => {
    renderPlugin();
    // The test page is the entity page at `/`, so the tab is at its own path.
    const tabPath = createExtensionTester(tab).get(coreExtensionData.routePath);
    expect(
      await screen.findByRole('link', { name: /Open the Rollouts tab/ }),
    ).toHaveAttribute('href', tabPath);
  });

  it('links to the tab where the app config moved it', async () => {
    renderPlugin({
      app: {
        extensions: [
          { 'entity-content:istio-rollouts': { config: { path: '/traffic' } } },
        ],
      },
    });
    expect(
      await screen.findByRole('link', { name: /Open the Rollouts tab/ }),
    ).toHaveAttribute('href', '/traffic');
  });

  it('has no link to the tab when the app turned the tab off', async () => {
    renderPlugin({
      app: { extensions: [{ 'entity-content:istio-rollouts': false }] },
    });
    expect(
      await screen.findByRole('img', {
        name: 'Traffic of reviews in demo-west: v1 80% / v2 20%',
      }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: /Open the Rollouts tab/ }),
    ).not.toBeInTheDocument();
  });
});

describe.each([
  [
    'Rollouts tab',
    tab,
    () =>
      createExtensionTester(tab).get(
        EntityContentBlueprint.dataRefs.filterFunction,
      ),
  ],
  [
    'overview card',
    card,
    () =>
      createExtensionTester(card).get(
        EntityCardBlueprint.dataRefs.filterFunction,
      ),
  ],
] as const)('the %s’s filter', (_name, extension, filterOf) => {
  it('matches entities with either Kubernetes annotation, and only those', () => {
    const filter = filterOf();
    expect(filter).toBeDefined();
    expect(filter!(reviews)).toBe(true);
    expect(filter!(bySelector)).toBe(true);
    expect(filter!(details)).toBe(false);
  });

  it('keeps it off the page of an entity without the annotation, which reads nothing', async () => {
    const api = answering();
    renderEntityPage(details, extension, api);
    expect(await screen.findByTestId('empty-entity-page')).toBeInTheDocument();
    expect(api.getRollouts).not.toHaveBeenCalled();
  });

  it('puts it on the page of an entity found by label selector', async () => {
    const api = answering();
    renderEntityPage(bySelector, extension, api);
    expect(
      await screen.findByRole('img', { name: /v1 80% \/ v2 20%/ }),
    ).toBeInTheDocument();
    expect(api.getRollouts).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'ratings' }),
      expect.anything(),
    );
  });
});

describe('on the catalog plugin’s entity page', () => {
  /** The catalog and this plugin in one app, showing the entity’s page. */
  function renderCatalogEntityPage(entity: Entity, api: MockApi) {
    renderTestApp({
      features: [catalogPlugin, plugin],
      apis: [
        catalogApiMock({ entities: [entity] }),
        [istioRolloutsApiRef, api],
      ],
      initialRouteEntries: [
        `/catalog/default/component/${entity.metadata.name}`,
      ],
    });
  }
  // The first render loads the catalog's lazy pages.
  const loading = { timeout: 10_000 };

  it('lists the Rollouts tab, and the card opens it', async () => {
    renderCatalogEntityPage(reviews, answering());

    const cardLink = await screen.findByRole(
      'link',
      { name: /Open the Rollouts tab/ },
      loading,
    );
    expect(cardLink).toHaveAttribute(
      'href',
      '/catalog/default/component/reviews/rollouts',
    );
    expect(screen.getByRole('link', { name: 'Rollouts' })).toHaveAttribute(
      'href',
      cardLink.getAttribute('href'),
    );

    await userEvent.click(cardLink);
    expect(
      await screen.findByRole('img', {
        name: 'Traffic of http[0] reviews-route: v1 80% / v2 20%',
      }),
    ).toBeInTheDocument();
  });

  it('has no Rollouts tab or card for an entity without the annotation', async () => {
    const api = answering();
    renderCatalogEntityPage(details, api);

    // Once the catalog's own About card is there, ours would be too.
    expect(
      await screen.findByRole('heading', { name: 'About' }, loading),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Overview' })).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'Rollouts' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: /Open the Rollouts tab/ }),
    ).not.toBeInTheDocument();
    expect(api.getRollouts).not.toHaveBeenCalled();
  });
});
