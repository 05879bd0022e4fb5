import { Rollout } from '@internal/plugin-istio-rollouts-common';
import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { reviewsResponse } from '../../__fixtures__/rollouts';
import { SubsetTable } from './SubsetTable';

const reviews = reviewsResponse.rollouts[0];

const rowOf = (name: string) =>
  screen
    .getAllByRole('row')
    .find(r => within(r).queryAllByRole('cell')[0]?.textContent === name)!;

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
});
