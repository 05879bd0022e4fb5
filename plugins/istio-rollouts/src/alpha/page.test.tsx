import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { screen } from '@testing-library/react';
import { portalResponse } from '../__fixtures__/portal';
import { mockApi } from '../__testUtils__/renderWithApi';
import { istioRolloutsApiRef } from '../api';
import plugin from './index';

const page = plugin.getExtension('page:istio-rollouts');

describe('the portal-wide page (page:istio-rollouts)', () => {
  it('is at /istio-rollouts, titled for the nav, with its own route', () => {
    const tester = createExtensionTester(page);
    expect(tester.get(coreExtensionData.routePath)).toBe('/istio-rollouts');
    expect(tester.get(coreExtensionData.title)).toBe('Istio Rollouts');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
    expect(tester.get(coreExtensionData.routeRef)).toBe(plugin.routes.root);
  });

  it('lists every active rollout, each entity linking to its Rollouts tab, and is in the nav', async () => {
    const api = mockApi();
    api.getPortalRollouts.mockResolvedValue(portalResponse);
    renderTestApp({
      features: [catalogPlugin, plugin],
      apis: [catalogApiMock({ entities: [] }), [istioRolloutsApiRef, api]],
      initialRouteEntries: ['/istio-rollouts'],
    });

    expect(
      await screen.findByRole(
        'heading',
        { name: 'Active rollouts (5)' },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    // One header: the page's own, not the plugin's default one as well.
    expect(
      screen.getAllByRole('heading', { name: 'Istio Rollouts' }),
    ).toHaveLength(1);
    expect(screen.getAllByRole('link', { name: 'reviews' })[0]).toHaveAttribute(
      'href',
      '/catalog/default/component/reviews/rollouts',
    );
    // The app's nav lists the page, from its title and icon.
    expect(
      screen.getByRole('link', { name: 'Istio Rollouts' }),
    ).toHaveAttribute('href', '/istio-rollouts');
  });
});
