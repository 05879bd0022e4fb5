import type { ActionRequest } from '@internal/plugin-istio-rollouts-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  setWeightsApplied,
  setWeightsDryRun,
} from '../../__fixtures__/actions';
import { reviewsResponse } from '../../__fixtures__/rollouts';
import {
  component,
  mockApi,
  renderWithApi,
} from '../../__testUtils__/renderWithApi';
import { RolloutsView } from '../RolloutsView';
import { clusterStatus } from './FleetClusterItem';

const [east, west] = reviewsResponse.rollouts;

describe('Apply to all clusters, on the Rollouts tab', () => {
  it('promotes v2 on reviews in demo-east and demo-west, one request each, through the actions API', async () => {
    const api = mockApi();
    api.getRollouts.mockResolvedValue(reviewsResponse);
    api.runAction.mockImplementation(async (_entity, request: ActionRequest) =>
      request.dryRun
        ? setWeightsDryRun
        : {
            ...setWeightsApplied,
            rollout: request.rolloutId === west.id ? west : east,
          },
    );
    const { alertApi } = await renderWithApi(
      <RolloutsView entity={component('reviews')} pollIntervalMs={null} />,
      { api },
    );
    const eastCard = await screen.findByRole('article', {
      name: 'VirtualService bookinfo/reviews in demo-east',
    });
    await userEvent.click(
      within(eastCard).getByRole('button', { name: /^Promote v2/ }),
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Apply to all clusters…' }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Promote v2 on reviews in every cluster?',
    });
    const apply = within(dialog).getByRole('button', {
      name: 'Apply in 2 clusters',
    });
    await waitFor(() => expect(apply).toBeEnabled());
    await userEvent.click(apply);
    expect(
      await within(dialog).findByText('Applied in demo-east and demo-west'),
    ).toBeInTheDocument();

    const writes = api.runAction.mock.calls
      .map(([, request]) => request)
      .filter(request => !request.dryRun);
    expect(writes).toEqual([
      {
        rolloutId: east.id,
        resourceVersion: east.resourceVersion,
        route: { kind: 'http', index: 0 },
        action: 'promote',
        subset: 'v2',
      },
      {
        rolloutId: west.id,
        resourceVersion: west.resourceVersion,
        route: { kind: 'http', index: 0, name: 'reviews-route' },
        action: 'promote',
        subset: 'v2',
      },
    ]);
    // The page reads again after each cluster's change.
    await waitFor(() =>
      expect(api.getRollouts.mock.calls.length).toBeGreaterThanOrEqual(3),
    );

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(alertApi.post).toHaveBeenCalledTimes(1);
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({
        message: expect.stringMatching(/^Applied: demo-east: .*; demo-west: /),
      }),
    );
  });
});

describe('clusterStatus', () => {
  const ready = { state: 'ready', response: setWeightsDryRun } as const;
  const applied = { status: 'applied', response: setWeightsDryRun } as const;
  it.each([
    {
      when: 'its dry run is under way',
      args: { dryRun: { state: 'loading' } as const },
      text: 'Dry run…',
    },
    {
      when: 'its dry run failed',
      args: { dryRun: { state: 'error', error: 1 } as const },
      text: 'Left out: the dry run failed',
    },
    {
      when: 'its dry run changes nothing',
      args: {
        dryRun: { ...ready, response: { ...setWeightsDryRun, changed: false } },
      },
      text: 'Left out: nothing to change',
    },
    {
      when: 'it is the second of three to change',
      args: { dryRun: ready, position: 2 },
      text: 'Step 2 of 3',
    },
    {
      when: 'it is being applied',
      args: {
        dryRun: ready,
        position: 2,
        step: { status: 'applying' } as const,
      },
      text: 'Applying…',
    },
    {
      when: 'it was applied',
      args: { dryRun: ready, position: 2, step: applied },
      text: 'Changed',
    },
    {
      when: 'applying it failed',
      args: {
        dryRun: ready,
        position: 2,
        step: { status: 'failed', error: 1 } as const,
      },
      text: 'Failed: not changed',
    },
    {
      when: 'the run stopped before it',
      args: { dryRun: ready, position: 3, finished: true },
      text: 'Not changed: stopped before it',
    },
  ])('says "$text" when $when', ({ args, text }) => {
    expect(clusterStatus({ total: 3, finished: false, ...args }).text).toBe(
      text,
    );
  });
});
