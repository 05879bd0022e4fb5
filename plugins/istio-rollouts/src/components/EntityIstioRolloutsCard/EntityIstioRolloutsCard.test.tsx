import { screen } from '@testing-library/react';
import { reviewsWithPlans } from '../../__fixtures__/plans';
import { gorillaResponse, reviewsResponse } from '../../__fixtures__/rollouts';
import {
  component,
  mockApi,
  renderWithApi,
} from '../../__testUtils__/renderWithApi';
import { EntityIstioRolloutsCard } from './EntityIstioRolloutsCard';

describe('EntityIstioRolloutsCard', () => {
  it('shows the phase and split of each active rollout and links to the tab', async () => {
    const api = mockApi();
    api.getRollouts.mockResolvedValue(reviewsResponse);
    await renderWithApi(<EntityIstioRolloutsCard />, { api });
    expect(await screen.findAllByText('canary 50%')).toHaveLength(1);
    expect(screen.getByText('canary 20%')).toBeInTheDocument();
    expect(
      screen.getByRole('img', {
        name: 'Traffic of reviews in demo-west: v1 80% / v2 20%',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Open the Rollouts tab/ }),
    ).toHaveAttribute('href', '/catalog/default/component/reviews/rollouts');
  });

  it('shows the label of a step plan running on a route, as the server words it', async () => {
    const api = mockApi();
    api.getRollouts.mockResolvedValue(reviewsWithPlans);
    await renderWithApi(<EntityIstioRolloutsCard />, { api });
    const chips = await screen.findAllByTestId('plan-chip');
    expect(chips.map(c => c.textContent)).toEqual([
      'plan #12 · step 6/8 · 50 %',
    ]);
    // Beside the phase of the rollout it runs on.
    expect(chips[0].parentElement).toHaveTextContent(
      /canary 50%plan #12 · step 6\/8 · 50 %reviews demo-east/,
    );
  });

  it('lists a rollout a plan runs on even at a stable split', async () => {
    const api = mockApi();
    const [east] = reviewsWithPlans.rollouts;
    api.getRollouts.mockResolvedValue({
      ...reviewsWithPlans,
      rollouts: [{ ...east, phase: 'stable' as const }],
    });
    await renderWithApi(<EntityIstioRolloutsCard />, { api });
    const list = await screen.findByRole('list', { name: 'Active rollouts' });
    expect(list).toHaveTextContent('plan #12 · step 6/8 · 50 %');
    expect(screen.queryByText('No rollout in progress.')).toBeNull();
  });

  it('links where the app says the tab is, and nowhere when the app has no tab', async () => {
    const api = mockApi();
    api.getRollouts.mockResolvedValue(reviewsResponse);
    const { unmount } = await renderWithApi(
      <EntityIstioRolloutsCard tabLink="/somewhere/traffic" />,
      { api },
    );
    expect(
      await screen.findByRole('link', { name: /Open the Rollouts tab/ }),
    ).toHaveAttribute('href', '/somewhere/traffic');
    unmount();

    await renderWithApi(<EntityIstioRolloutsCard tabLink={null} />, { api });
    expect(
      await screen.findByRole('img', {
        name: 'Traffic of reviews in demo-west: v1 80% / v2 20%',
      }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });

  it('says which rollouts are the last known of a cluster that stopped answering', async () => {
    const api = mockApi();
    const [east, west] = reviewsResponse.rollouts;
    api.getRollouts.mockResolvedValue({
      clusters: [
        { name: 'demo-east', status: 'ok' },
        {
          name: 'demo-west',
          status: 'error',
          error: { reason: 'Timeout', message: 'no answer in 5 s' },
        },
      ],
      rollouts: [
        east,
        {
          ...west,
          allowedActions: [],
          stale: { lastSeen: '2026-12-07T07:00:00.000Z', reason: 'Timeout' },
        },
      ],
    });
    await renderWithApi(<EntityIstioRolloutsCard />, { api });
    expect(
      await screen.findByText(/demo-west · bookinfo · last known/),
    ).toBeInTheDocument();
    expect(screen.getByText(/demo-east · bookinfo$/)).toBeInTheDocument();
  });

  it('shows a blue/green rollout', async () => {
    const api = mockApi();
    api.getRollouts.mockResolvedValue(gorillaResponse);
    await renderWithApi(<EntityIstioRolloutsCard />, {
      api,
      entity: component('gorilla-sfx-demo'),
    });
    expect(await screen.findByText('blue-green (header)')).toBeInTheDocument();
    expect(
      screen.getByRole('img', { name: /gorilla-sfx-demo in demo-east/ }),
    ).toBeInTheDocument();
  });

  it('asks for the annotation on an entity without it, without calling the backend', async () => {
    const api = mockApi();
    await renderWithApi(<EntityIstioRolloutsCard />, {
      api,
      entity: component('details', {}),
    });
    expect(screen.getByText('backstage.io/kubernetes-id')).toBeInTheDocument();
    expect(api.getRollouts).not.toHaveBeenCalled();
  });

  it('refreshes on its own, so a split changed elsewhere shows without a reload', async () => {
    const api = mockApi();
    const moved = structuredClone(reviewsResponse);
    const west = moved.rollouts.find(r => r.cluster === 'demo-west')!;
    west.resourceVersion = '15';
    west.routes[0].destinations[0].weight = 60;
    west.routes[0].destinations[1].weight = 40;
    // Later reads answer the moved split only once the first was seen.
    let seen: () => void = () => {};
    const firstSeen = new Promise<void>(resolve => (seen = resolve));
    api.getRollouts
      .mockResolvedValueOnce(reviewsResponse)
      .mockImplementation(() => firstSeen.then(() => moved));
    await renderWithApi(<EntityIstioRolloutsCard pollIntervalMs={50} />, {
      api,
    });
    expect(
      await screen.findByRole('img', {
        name: 'Traffic of reviews in demo-west: v1 80% / v2 20%',
      }),
    ).toBeInTheDocument();
    seen();
    expect(
      await screen.findByRole('img', {
        name: 'Traffic of reviews in demo-west: v1 60% / v2 40%',
      }),
    ).toBeInTheDocument();
  });
});
