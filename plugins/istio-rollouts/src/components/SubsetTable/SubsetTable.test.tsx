import { Rollout } from '@internal/plugin-istio-rollouts-common';
import { mockBreakpoint, renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { reviewsMetrics } from '../../__fixtures__/metrics';
import { reviewsResponse } from '../../__fixtures__/rollouts';
import { SubsetTable } from './SubsetTable';

const reviews = reviewsResponse.rollouts[0];
const metrics = reviewsMetrics.rollouts[0];

const rowOf = (name: string) =>
  screen
    .getAllByRole('row')
    .find(
      r =>
        within(r).queryAllByRole('cell')[0]?.firstElementChild?.textContent ===
        name,
    )!;

/** The cells of a row, as text. */
const cellsOf = (name: string) =>
  within(rowOf(name))
    .getAllByRole('cell')
    .map(c => c.textContent);

describe('SubsetTable', () => {
  it('lists the route’s subsets, then the staged ones, with labels, images, pods and weight', async () => {
    await renderInTestApp(
      <SubsetTable rollout={reviews} route={reviews.routes[0]} />,
    );
    const rows = screen.getAllByRole('row').slice(1);
    expect(
      rows.map(r => within(r).getAllByRole('cell')[0].textContent),
    ).toEqual(['v1', 'v2', 'v3']);
    expect(rowOf('v1')).toHaveTextContent('version: v1');
    expect(rowOf('v1')).toHaveTextContent(
      'docker.io/istio/examples-bookinfo-reviews-v1:1.20.3',
    );
    expect(rowOf('v1')).toHaveTextContent('3/3 ready');
    expect(rowOf('v1')).toHaveTextContent('50%');
    expect(rowOf('v3')).toHaveTextContent('staged, no traffic');
  });

  it('shows in red a subset that gets traffic but has no ready pod', async () => {
    const broken: Rollout = {
      ...reviews,
      subsets: reviews.subsets.map(s =>
        s.name === 'v2'
          ? { ...s, workloads: [{ ...s.workloads[0], readyReplicas: 0 }] }
          : s,
      ),
    };
    await renderInTestApp(
      <SubsetTable rollout={broken} route={broken.routes[0]} />,
    );
    const pods = within(rowOf('v2')).getByText('0/3 ready');
    expect(pods.closest('span[class*="noPods"]')).not.toBeNull();
    // the staged subset with no pods would not be red
    expect(within(rowOf('v1')).getByText('3/3 ready')).toBeInTheDocument();
  });

  it('shows each subset’s requests per second, success rate and p99 from the server’s figures', async () => {
    await renderInTestApp(
      <SubsetTable
        rollout={reviews}
        route={reviews.routes[0]}
        metrics={metrics}
        windowSeconds={300}
      />,
    );
    expect(screen.getAllByRole('columnheader').map(h => h.textContent)).toEqual(
      [
        'Subset',
        'Labels',
        'Deployments and images',
        'Pods',
        'Weight',
        'Req/s',
        'Success',
        'p99',
      ],
    );
    expect(screen.getByText('Req/s')).toHaveAttribute(
      'title',
      'Requests per second over the last 5 min',
    );
    expect(cellsOf('v1').slice(4)).toEqual(['50%', '12.4', '99.7 %', '42 ms']);
    expect(cellsOf('v2').slice(4)).toEqual(['50%', '12.1', '95.8 %', '88 ms']);
    // no request in the window: no figure
    expect(cellsOf('v3').slice(5)).toEqual(['—', '—', '—']);
  });

  it('shows no figure columns without metrics', async () => {
    await renderInTestApp(
      <SubsetTable rollout={reviews} route={reviews.routes[0]} />,
    );
    expect(screen.getAllByRole('columnheader')).toHaveLength(5);
    expect(screen.queryByText('—')).toBeNull();
  });

  describe('on a phone', () => {
    beforeEach(() => mockBreakpoint({ matches: true }));
    afterEach(() => mockBreakpoint({ matches: false }));

    it('puts the figures under the weight, and labels and images under the subset, in three columns', async () => {
      await renderInTestApp(
        <SubsetTable
          rollout={reviews}
          route={reviews.routes[0]}
          metrics={metrics}
        />,
      );
      expect(
        screen.getAllByRole('columnheader').map(h => h.textContent),
      ).toEqual(['Subset', 'Pods', 'Weight']);
      const [subset, pods, weight] = cellsOf('v2');
      expect(subset).toBe(
        'v2version: v2reviews-v2docker.io/istio/examples-bookinfo-reviews-v2:1.20.3',
      );
      expect(pods).toBe('3/3 ready');
      expect(weight).toBe('50%12.1 req/s95.8 % successp99 88 ms');
      expect(cellsOf('v3')[2]).toBe('staged, no traffic— req/s— successp99 —');
    });
  });
});
