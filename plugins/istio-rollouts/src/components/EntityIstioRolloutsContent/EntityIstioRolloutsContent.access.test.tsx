import { Entity } from '@backstage/catalog-model';
import {
  Rollout,
  ROLLOUT_ACTIONS,
} from '@internal/plugin-istio-rollouts-common';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  reviewsResponse,
  webServiceResponse,
} from '../../__fixtures__/rollouts';
import {
  component,
  demoOrgApis,
  mockApi,
  renderWithApi,
} from '../../__testUtils__/renderWithApi';
import { EntityIstioRolloutsContent } from './EntityIstioRolloutsContent';

/** An entity as the catalog serves it: owned by `team`, with the relation the catalog resolved. */
function ownedBy(name: string, team: string): Entity {
  const entity = component(name);
  return {
    ...entity,
    spec: { ...entity.spec, owner: team },
    relations: [{ type: 'ownedBy', targetRef: `group:default/${team}` }],
  };
}

describe('locked controls', () => {
  it('name Team Web, what the guest may not do on web-service, and whom to ask — in words', async () => {
    const api = mockApi();
    api.getRollouts.mockResolvedValue(webServiceResponse);
    const org = demoOrgApis();
    await renderWithApi(<EntityIstioRolloutsContent pollIntervalMs={null} />, {
      api,
      entity: ownedBy('web-service', 'team-web'),
      org,
    });

    expect(
      await screen.findByText(
        'Team Web owns web-service: you may view its traffic but not change it. Ask Team Web (group:default/team-web) for access.',
      ),
    ).toBeInTheDocument();
    // the permission ids only in the small print
    expect(screen.getByText(/^Missing permissions:/).textContent).toBe(
      'Missing permissions: istio-rollouts.traffic.update, istio-rollouts.traffic.promote',
    );

    const setWeights = screen.getByRole('button', { name: 'Set weights' });
    expect(setWeights).toBeDisabled();
    expect(setWeights).toHaveAccessibleDescription(
      'Team Web owns web-service: you may view its traffic but not set weights. Ask Team Web (group:default/team-web) for access.',
    );
    await userEvent.hover(setWeights.parentElement!);
    const tooltip = await screen.findByRole('tooltip');
    expect(tooltip).toHaveTextContent('Ask Team Web (group:default/team-web)');
    expect(tooltip).not.toHaveTextContent('istio-rollouts.traffic');
    expect(org.catalogApi.getEntitiesByRefs).toHaveBeenCalledTimes(1);
  });

  it('name the team by its ref until the catalog answers, and never wait for it', async () => {
    const api = mockApi();
    api.getRollouts.mockResolvedValue(webServiceResponse);
    const org = demoOrgApis();
    org.catalogApi.getEntitiesByRefs.mockImplementation(
      () => new Promise(() => {}),
    );
    await renderWithApi(<EntityIstioRolloutsContent pollIntervalMs={null} />, {
      api,
      entity: ownedBy('web-service', 'team-web'),
      org,
    });
    expect(
      // the line under the controls (the buttons' descriptions say it too)
      await screen.findByText(/^team-web owns web-service: /, {
        selector: 'p',
      }),
    ).toBeInTheDocument();
  });

  it('send an owner whom the policy refuses to the administrators, not to their own team', async () => {
    const updateOnly: Rollout = {
      ...reviewsResponse.rollouts[0],
      allowedActions: ROLLOUT_ACTIONS.filter(
        a => a !== 'promote' && a !== 'switch',
      ),
    };
    const api = mockApi();
    api.getRollouts.mockResolvedValue({
      clusters: [{ name: 'demo-east', status: 'ok' }],
      rollouts: [updateOnly],
    });
    await renderWithApi(<EntityIstioRolloutsContent pollIntervalMs={null} />, {
      api,
      entity: ownedBy('reviews', 'team-bookinfo'),
      org: demoOrgApis(),
    });
    await waitFor(() =>
      expect(
        screen.getByText(
          /^You may view the traffic of reviews but not promote: the portal’s permission policy does not allow it, although you are among its owners \(Team Bookinfo\)\./,
          { selector: 'p' },
        ),
      ).toBeInTheDocument(),
    );
    expect(screen.getByRole('button', { name: 'Set weights' })).toBeEnabled();
    expect(
      screen.getByRole('button', { name: 'Promote v2' }),
    ).toHaveAccessibleDescription(/Ask your Backstage administrators/);
  });
});
