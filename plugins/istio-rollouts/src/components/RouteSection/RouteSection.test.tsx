import { Route } from '@internal/plugin-istio-rollouts-common';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { reviewsMetrics } from '../../__fixtures__/metrics';
import { reviewsResponse } from '../../__fixtures__/rollouts';
import { RouteSection } from './RouteSection';

const reviews = reviewsResponse.rollouts[0];

const render = (route: Route, editing = false, withMetrics = false) =>
  renderInTestApp(
    <RouteSection
      metrics={withMetrics ? reviewsMetrics.rollouts[0] : undefined}
      windowSeconds={300}
      rollout={{ ...reviews, routes: [route] }}
      route={route}
      findings={[
        {
          code: 'SUBSET_HAS_NO_READY_PODS',
          severity: 'info',
          message: 'Subset v3 selects no ready pod.',
          subset: 'v3',
        },
      ]}
      editing={editing}
      onEdit={jest.fn()}
      onCancelEdit={jest.fn()}
      onAction={jest.fn()}
      onReviewWeights={jest.fn()}
    />,
  );

describe('RouteSection', () => {
  it('shows the match in words, the bar, the findings and the subsets', async () => {
    await render(reviews.routes[0]);
    expect(
      screen.getByRole('heading', { name: 'http[0] reviews-route' }),
    ).toBeInTheDocument();
    expect(screen.getByText('match: prefix /reviews')).toBeInTheDocument();
    expect(
      screen.getByRole('img', { name: /v1 50% \/ v2 50%/ }),
    ).toBeInTheDocument();
    expect(screen.getByText('SUBSET_HAS_NO_READY_PODS')).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'Subsets' })).toBeInTheDocument();
    expect(screen.queryByRole('slider')).toBeNull();
  });

  it('opens the weight editor under the route', async () => {
    await render(reviews.routes[0], true);
    expect(screen.getAllByRole('slider')).toHaveLength(2);
    expect(screen.getByRole('button', { name: 'Set weights' })).toHaveAttribute(
      'aria-expanded',
      'true',
    );
  });

  it('says what a route mirrors', async () => {
    await render({
      ...reviews.routes[0],
      mirror: { host: 'reviews', subset: 'v3', percentage: 10 },
    });
    expect(
      screen.getByText(/Mirrors 10% of these requests to v3/),
    ).toBeInTheDocument();
  });

  it('names the VirtualService a route delegates to', async () => {
    await render({
      kind: 'http',
      index: 0,
      match: 'prefix /api',
      delegate: { name: 'reviews-api', namespace: 'bookinfo' },
      destinations: [],
      offers: {},
      state: {
        phase: 'stable',
        label: 'stable',
        description: 'Delegated.',
        retired: [],
        next: [],
      },
    });
    expect(screen.getByText('bookinfo/reviews-api')).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('shows the server’s verdict beside the match, the figures and the health chart', async () => {
    await render(reviews.routes[0], false, true);
    const match = screen.getByText('match: prefix /reviews');
    const verdict = screen.getByLabelText(
      'Canary v2: failing: 4.2 % errors vs 0.3 %',
    );
    expect(match.closest('div[class*="header"]')).toContainElement(verdict);
    expect(
      screen.getByRole('columnheader', { name: 'Req/s' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('tablist', { name: 'Health of http[0] reviews-route' }),
    ).toBeInTheDocument();
  });

  it('shows neither verdict nor chart without metrics', async () => {
    await render(reviews.routes[0]);
    expect(screen.queryByLabelText(/^Canary /)).toBeNull();
    expect(screen.queryByRole('tablist')).toBeNull();
  });

  it('says “changed outside Backstage” only while the route differs from the last change made here', async () => {
    const { unmount } = await render(reviews.routes[0]);
    expect(screen.queryByText('Changed outside Backstage')).toBeNull();
    unmount();
    await render({
      ...reviews.routes[0],
      drift: {
        detectedAt: new Date().toISOString(),
        by: 'kubectl-patch',
        resourceVersion: '44',
        expected: reviews.routes[0].destinations,
      },
    });
    expect(screen.getByRole('note')).toHaveTextContent(
      /Changed outside Backstage\s*kubectl-patch changed this route/,
    );
  });
});
