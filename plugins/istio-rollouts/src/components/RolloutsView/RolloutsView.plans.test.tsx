import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  pausedPlan,
  reviewsPlans,
  reviewsWithPlans,
} from '../../__fixtures__/plans';
import {
  component,
  mockApi,
  renderWithApi,
} from '../../__testUtils__/renderWithApi';
import { RolloutsView } from './RolloutsView';

async function render() {
  const api = mockApi();
  api.getRollouts.mockResolvedValue(reviewsWithPlans);
  api.getPlans.mockResolvedValue(reviewsPlans);
  await renderWithApi(
    <RolloutsView entity={component('reviews')} pollIntervalMs={null} />,
    { api },
  );
  const east = await screen.findByRole('region', {
    name: 'http[0] reviews-route in demo-east',
  });
  const west = screen.getByRole('region', {
    name: 'http[0] reviews-route in demo-west',
  });
  return { api, east, west };
}

describe('RolloutsView, with step plans', () => {
  it('reads the plans once for the tab and shows each under the route it runs on', async () => {
    const { api, east, west } = await render();
    expect(
      await within(east).findByRole('region', { name: 'Step plan #12' }),
    ).toBeInTheDocument();
    expect(api.getPlans).toHaveBeenCalledTimes(1);
    expect(
      within(west).queryByRole('region', { name: /Step plan/ }),
    ).toBeNull();
    expect(
      within(west).getByRole('button', {
        name: 'Start plan on reviews-route in demo-west (v1 → v2)',
      }),
    ).toBeInTheDocument();
    expect(
      within(east).queryByRole('button', { name: /^Start plan/ }),
    ).toBeNull();
  });

  it('reads the plans, the rollouts and the history again after a command', async () => {
    const { api, east } = await render();
    api.commandPlan.mockResolvedValue({
      summary: 'plan #12 paused',
      record: pausedPlan,
    });
    api.getPlans.mockResolvedValue({
      ...reviewsPlans,
      plans: [pausedPlan, ...reviewsPlans.plans.slice(1)],
    });
    await userEvent.click(
      await within(east).findByRole('button', { name: /^Pause plan #12/ }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Pause plan' }));
    expect(
      await within(east).findByText(
        'Paused: waiting for a person to resume (step 7)',
      ),
    ).toBeInTheDocument();
    await waitFor(() => expect(api.getPlans).toHaveBeenCalledTimes(2));
    expect(api.getRollouts).toHaveBeenCalledTimes(2);
    expect(api.getHistory).toHaveBeenCalledTimes(2);
  });

  it('still shows the read model’s label of a plan when the plans cannot be read', async () => {
    const api = mockApi();
    api.getRollouts.mockResolvedValue(reviewsWithPlans);
    api.getPlans.mockRejectedValue(new Error('Failed to fetch'));
    await renderWithApi(
      <RolloutsView entity={component('reviews')} pollIntervalMs={null} />,
      { api },
    );
    const east = await screen.findByRole('region', {
      name: 'http[0] reviews-route in demo-east',
    });
    expect(
      within(east).getByText('plan #12 · step 6/8 · 50 %'),
    ).toBeInTheDocument();
    expect(
      await within(east).findByText(
        'The plan’s steps could not be read: Failed to fetch',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Start plan/ })).toBeNull();
  });
});
